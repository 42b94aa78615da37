package org.aigap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigap.core.LakehousePaths;
import org.aigap.core.PipelineException;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static long lineCount(String file) {
    try {
      return Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve(file)).size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void versionNamesTheProjectAndTheSparkAndDeltaItRunsOn() {
    assertEquals("version", Pipeline.parse(new String[] {"--version"}).command());
    assertTrue(Pipeline.version().matches("ai-valuation-gap \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Spark 4\\.\\d+\\.\\d+, Delta 4\\.\\d+\\.\\d+\\)"),
        Pipeline.version());
  }

  @Test
  void helpListsEveryCommandWithWhatItReadsAndWrites() {
    assertNull(Pipeline.parse(new String[] {"--help"}));
    String help = Pipeline.help();
    for (String command : List.of("ingest", "conform", "metrics", "all")) {
      assertTrue(help.contains("  " + command), "help names " + command);
    }
    assertTrue(help.contains("reads RAW/*.csv"));
    assertTrue(help.contains("writes OUTPUTS/<output>/"));
    assertTrue(help.contains("--select"));
  }

  @Test
  void pathsDefaultToFoldersUnderTheProjectAndAcceptAnyUri() {
    Pipeline.Options defaults = Pipeline.parse(new String[] {"all"});
    assertEquals(List.of("bronze", "silver", "gold"), defaults.selection());
    assertEquals(LakehousePaths.DEFAULT_WAREHOUSE, defaults.paths().warehouse());
    Pipeline.Options custom =
        Pipeline.parse(new String[] {"ingest", "--warehouse", "s3a://bucket/wh/", "--raw", "hdfs://nn/raw"});
    assertEquals(List.of("bronze"), custom.selection());
    Pipeline.Options selected = Pipeline.parse(new String[] {"run", "--select", "silver.facts+", "--full-refresh"});
    assertEquals(List.of("silver.facts+"), selected.selection());
    assertTrue(selected.fullRefresh());
    assertEquals("s3a://bucket/wh", custom.paths().warehouse());
    assertEquals("hdfs://nn/raw", custom.paths().raw());
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    PipelineException unknown = assertThrows(PipelineException.class, () -> Pipeline.parse(new String[] {"aggregate-all"}));
    assertEquals("Unknown command 'aggregate-all' (see --help)", unknown.getMessage());
    PipelineException noValue = assertThrows(PipelineException.class, () -> Pipeline.parse(new String[] {"all", "--raw"}));
    assertEquals("Option --raw needs a value (see --help)", noValue.getMessage());
    PipelineException noQuery = assertThrows(PipelineException.class, () -> Pipeline.parse(new String[] {"sql"}));
    assertTrue(noQuery.getMessage().startsWith("sql needs a query"), noQuery.getMessage());
    PipelineException badFormat = assertThrows(PipelineException.class, () -> Pipeline.parse(new String[] {"sql", "select 1", "--format", "xml"}));
    assertTrue(badFormat.getMessage().startsWith("--format is table, csv or json"), badFormat.getMessage());
    assertEquals("select 1", Pipeline.parse(new String[] {"sql", "select 1", "--format", "csv"}).query());
    PipelineException misplaced = assertThrows(PipelineException.class, () -> Pipeline.parse(new String[] {"ingest", "--select", "facts"}));
    assertEquals("--select goes with run or plan, not ingest (see --help)", misplaced.getMessage());
  }

  @Test
  void aWholeRunSucceedsAndEveryDeclaredTableAndOutputExists() throws IOException {
    ShippedRun run = ShippedRun.get();
    assertEquals(List.of("ingest", "conform", "metrics"), run.records.stream().map(RunRecord::job).toList());
    run.records.forEach(r -> assertEquals("succeeded", r.outcome(), r.job()));
    SchemaCatalog schemas = TestLakehouse.schemas();
    for (TableSchema raw : schemas.layer(SchemaCatalog.RAW)) {
      assertTrue(DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("bronze", raw.bronzeTable())), raw.bronzeTable());
    }
    for (TableSchema silver : schemas.layer(SchemaCatalog.SILVER)) {
      assertTrue(DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("silver", silver.name())), silver.name());
    }
    for (TableSchema gold : schemas.layer(SchemaCatalog.GOLD)) {
      Path out = Path.of(java.net.URI.create(run.ctx.paths().output(gold.name())));
      assertTrue(Files.exists(out.resolve("_manifest.json")), gold.name() + " has a manifest");
      assertEquals(gold.columnNames(), List.of(run.output(gold.name()).columns()), gold.name() + " columns as declared");
    }
    assertTrue(DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("audit", "run_log")));
    assertTrue(DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("bronze", "quarantine")));
  }

  @Test
  void aSecondRunOnTheSameDataSkipsEveryDatasetAndSaysWhy() {
    ShippedRun run = ShippedRun.get();
    List<RunRecord> again = Runs.select(run.lakehouse.newRun(), "bronze", "silver", "gold");
    List<RunRecord.TableCounts> datasets = again.stream().flatMap(r -> r.tables().stream()).toList();
    assertEquals(Registry.graph(TestLakehouse.schemas()).inRunOrder().size(), datasets.size());
    for (RunRecord.TableCounts t : datasets) {
      assertEquals("skipped", t.action(), t.dataset());
      assertTrue(t.reason().startsWith("unchanged since run "), t.reason());
    }
  }

  @Test
  void theBronzeFactsTableHoldsEveryLineOfTheExtractAndHasAHistory() throws IOException {
    ShippedRun run = ShippedRun.get();
    long dataLines = Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve("facts.csv")).size() - 1;
    assertEquals(dataLines, run.bronze("bronze_facts").count());
    DeltaTable facts = DeltaTable.forPath(run.ctx.spark(), run.ctx.paths().table("bronze", "bronze_facts"));
    List<String> operations = facts.history().orderBy("version").select("operation").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("WRITE"), operations, "created with its constraint and its rows in one commit");
  }

  @Test
  void theRunLogRecordsEachJobWithNothingLost() {
    ShippedRun run = ShippedRun.get();
    var log = run.ctx.spark().read().format("delta").load(run.ctx.paths().table("audit", "run_log"))
        .filter("run_id = '" + run.ctx.runId() + "'");
    assertEquals(3, log.count());
    Row ingest = log.filter("job = 'ingest'").first();
    List<Row> inputs = ingest.getList(ingest.fieldIndex("inputs"));
    assertEquals(TestLakehouse.schemas().layer(SchemaCatalog.RAW).size(), inputs.size(), "one input per raw extract");
    for (Row input : inputs) {
      assertEquals(64, input.<String>getAs("sha256").length(), "SHA-256 of " + input.getAs("path"));
    }
    List<Row> tables = ingest.getList(ingest.fieldIndex("tables"));
    long factsLines = lineCount("facts.csv") - 1;
    Row facts = tables.stream().filter(t -> t.getAs("table_name").equals("bronze_facts")).findFirst().orElseThrow();
    assertEquals(factsLines, facts.<Long>getAs("rows_read"), "every data line of facts.csv is counted");
    assertTrue(facts.<Double>getAs("seconds") > 0, "the time spent on the table is recorded");
  }
}
