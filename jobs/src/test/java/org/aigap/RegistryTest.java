package org.aigap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.aigap.graph.DataDictionary;
import org.aigap.graph.DataflowGraph;
import org.aigap.graph.DatasetDef;
import org.aigap.graph.Layer;
import org.junit.jupiter.api.Test;

/**
 * The registry: every declared schema is a dataset, the graph is valid, and the README shows it as
 * it is.
 */
class RegistryTest {
  private static final DataflowGraph GRAPH = Registry.graph(TestLakehouse.schemas());

  @Test
  void everySchemaOfEveryLayerIsADatasetOfTheGraph() {
    SchemaCatalog schemas = TestLakehouse.schemas();
    for (TableSchema raw : schemas.layer(SchemaCatalog.RAW)) {
      assertEquals(Layer.BRONZE, GRAPH.get("bronze." + raw.name()).layer());
    }
    for (String layer : List.of(SchemaCatalog.SILVER, SchemaCatalog.GOLD)) {
      for (TableSchema t : schemas.layer(layer)) {
        assertEquals(t, GRAPH.get(layer + "." + t.name()).schema(), layer + "." + t.name());
      }
    }
    assertEquals(
        schemas.layer(SchemaCatalog.RAW).size()
            + schemas.layer(SchemaCatalog.SILVER).size()
            + schemas.layer(SchemaCatalog.GOLD).size(),
        GRAPH.inRunOrder().size());
  }

  @Test
  void theGraphValidatesAndRunsEachDatasetAfterWhatItReads() {
    GRAPH.validate(SharedSpark.get(), TestLakehouse.schemas(), GRAPH.inRunOrder());
    List<String> order = GRAPH.inRunOrder().stream().map(DatasetDef::name).toList();
    for (DatasetDef d : GRAPH.inRunOrder()) {
      for (String input : d.inputs()) {
        assertTrue(order.indexOf(input) < order.indexOf(d.name()), input + " before " + d.name());
      }
    }
  }

  /**
   * What a change to an extract recomputes: the shipped datasets that read it, and none of those
   * that do not (a new output adds itself to the first kind without changing this test).
   */
  @Test
  void aChangeToTheFactsExtractReachesItsDatasetsAndNotTheFeeds() {
    Set<String> facts = GRAPH.downstream("bronze.facts");
    assertTrue(
        facts.containsAll(
            Set.of(
                "silver.facts",
                "silver.claims",
                "gold.valuation_gap",
                "gold.funding_comparison",
                "gold.company_economics",
                "gold.downloads",
                "gold.pe_valuation",
                "gold.claim_checks",
                "gold.feed_reconciliation")),
        facts.toString());
    assertTrue(
        java.util.Collections.disjoint(
            facts,
            Set.of(
                "silver.entities",
                "silver.entity_aliases",
                "silver.fx_rates",
                "silver.funding_rounds",
                "silver.downloads_daily",
                "gold.funding_totals",
                "gold.download_shares")),
        facts.toString());
    Set<String> downloads = GRAPH.downstream("bronze.model_downloads");
    assertTrue(
        downloads.containsAll(
            Set.of("silver.downloads_daily", "gold.download_shares", "gold.feed_reconciliation")),
        downloads.toString());
    assertTrue(
        java.util.Collections.disjoint(downloads, Set.of("silver.facts", "silver.claims")),
        downloads.toString());
  }

  @Test
  void theReadmeShowsTheGraphAndWhatEachDatasetReadsAndWritesAsTheRegistryDeclaresThem()
      throws IOException {
    String readme = Files.readString(TestLakehouse.PROJECT.resolve("README.md"));
    String block = "```mermaid\n" + GRAPH.mermaid() + "```\n\n" + GRAPH.table();
    assertTrue(
        readme.contains(block),
        "README.md's graph is out of date; replace it with the output of: jobs/bin/aigap graph\n"
            + block);
  }

  @Test
  void theDataDictionaryIsGeneratedFromTheSchemasAsTheyAre() throws IOException {
    String dictionary = DataDictionary.of(GRAPH, TestLakehouse.schemas());
    assertEquals(
        dictionary,
        Files.readString(TestLakehouse.PROJECT.resolve("schemas/DICTIONARY.md")),
        "schemas/DICTIONARY.md is out of date; replace it with the output of: jobs/bin/aigap"
            + " dictionary");
    // Every column of every dataset is there, with its type.
    for (DatasetDef d : GRAPH.inRunOrder()) {
      assertTrue(dictionary.contains("\n## " + d.name() + "\n"), d.name());
      d.schema()
          .columns()
          .forEach(
              c ->
                  assertTrue(
                      dictionary.contains("| `" + c.name() + "` | " + c.type() + " |"),
                      d.name() + "." + c.name()));
    }
  }

  /** Tools (the feed generator, the benchmark) depend on the pipeline, never the reverse. */
  @Test
  void nothingInThePipelineImportsTheFeedGenerator() throws IOException {
    Path main = TestLakehouse.PROJECT.resolve("jobs/src/main/java/org/aigap");
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".java") && !p.startsWith(main.resolve("feeds")))
              .toList()) {
        assertTrue(
            !Files.readString(f).contains("org.aigap.feeds"),
            main.relativize(f) + " imports the feed generator");
      }
    }
  }
}
