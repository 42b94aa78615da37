package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigap.TestLakehouse;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
  @Test
  void everyLayerIsDeclared() {
    SchemaCatalog schemas = SchemaCatalog.load(TestLakehouse.PROJECT.resolve("schemas").toString());
    assertEquals(
        List.of("claims", "entities", "facts", "funding_rounds", "fx_rates_ecb", "model_downloads"),
        schemas.layer(SchemaCatalog.RAW).stream().map(TableSchema::name).toList());
    assertEquals(
        List.of(
            "claims",
            "downloads_daily",
            "entities",
            "entity_aliases",
            "facts",
            "funding_rounds",
            "fx_rates"),
        schemas.layer(SchemaCatalog.SILVER).stream().map(TableSchema::name).toList());
    assertEquals(9, schemas.layer(SchemaCatalog.GOLD).size());
    for (TableSchema s : schemas.all()) {
      s.sparkSchema(); // every declared type parses
      assertTrue(
          s.description() != null && !s.description().isBlank(), s.name() + " has a description");
      s.columns()
          .forEach(
              c ->
                  assertTrue(
                      c.description() != null, s.name() + "." + c.name() + " has a description"));
    }
  }

  @Test
  void theJarsCopyEqualsTheSchemasFolder() {
    SchemaCatalog folder = SchemaCatalog.load(TestLakehouse.PROJECT.resolve("schemas").toString());
    assertEquals(folder.all(), TestLakehouse.schemas().all());
  }

  @Test
  void anUnknownTableIsNamedWithTheKnownOnes() {
    PipelineException e =
        assertThrows(PipelineException.class, () -> TestLakehouse.schemas().get("gold", "nope"));
    assertTrue(
        e.getMessage().startsWith("No schema named 'gold/nope'; known schemas are [audit/run_log"),
        e.getMessage());
  }

  @Test
  void aPathThatTriesToEscapeItsFolderIsRefused() {
    LakehousePaths paths = new LakehousePaths("data/raw", "wh", "out");
    PipelineException e =
        assertThrows(PipelineException.class, () -> paths.rawFile("../../etc/passwd"));
    assertEquals(
        "Refusing path '../../etc/passwd': it must be a relative name inside data/raw",
        e.getMessage());
    assertThrows(PipelineException.class, () -> paths.output("/tmp/x"));
  }
}
