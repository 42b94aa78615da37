package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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

  /**
   * What passes a column's checks is written under a constraint of the same rules without Delta
   * evaluating it again, so a rule that the check and the constraint would read differently is
   * refused when the schema is read.
   */
  @Test
  void aColumnWhoseCheckAndConstraintCouldDisagreeIsRefused() {
    String notNullWarned =
        "{\"name\": \"quote\", \"type\": \"string\", \"nullable\": false, \"level\": \"warn\"}";
    String patternOnNumber =
        "{\"name\": \"year\", \"type\": \"int\", \"pattern\": \"^20\\\\d\\\\d$\"}";
    assertEquals(
        "Invalid schema column quote: a column that may not be null cannot be checked at the warn"
            + " level",
        refusal(notNullWarned));
    assertEquals(
        "Invalid schema column year: a pattern applies to a string column, found type 'int'",
        refusal(patternOnNumber));
    assertEquals(
        "^20\\d\\d$",
        assertDoesNotThrow(
                () ->
                    Json.MAPPER.readValue(
                        patternOnNumber.replace("int", "string"), ColumnSpec.class))
            .pattern());
  }

  private static String refusal(String column) {
    Exception e =
        assertThrows(Exception.class, () -> Json.MAPPER.readValue(column, ColumnSpec.class));
    Throwable cause = e;
    while (!(cause instanceof PipelineException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
