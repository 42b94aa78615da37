package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.aigap.Concurrently;
import org.aigap.Runs;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two conform runs creating the silver tables at once: whole tables, a clear conflict at worst, a
 * clean re-run.
 */
class ConcurrentConformTest {
  @Test
  void twoRunsAtOnceEitherBothSucceedOrOneFailsClearlyAndARerunSucceeds(@TempDir Path dir)
      throws Exception {
    ShippedRun shipped = ShippedRun.get();
    TestLakehouse lake = shipped.copyTo(dir);
    TestLakehouse.delete(dir.resolve("warehouse/silver")); // both runs now create the silver tables
    List<String> tables = List.of("entities", "entity_aliases", "fx_rates", "downloads_daily");
    String selection = String.join(" ", tables.stream().map(t -> "silver." + t).toList());

    long logged = lake.runsLogged();
    int succeeded = Concurrently.runTwice(() -> Runs.select(lake.newRun(), selection).get(0));
    System.out.println("concurrent conform runs that succeeded: " + succeeded + " of 2");

    assertEquals("succeeded", Runs.select(lake.newRun(), selection).get(0).outcome());
    assertEquals(
        logged + 3, lake.runsLogged(), "the two runs at once and the re-run are in the run log");
    for (String name : tables) {
      TableSchema t = TestLakehouse.schemas().get(SchemaCatalog.SILVER, name);
      Dataset<Row> table =
          shipped
              .ctx
              .spark()
              .read()
              .format("delta")
              .load(lake.table(SchemaCatalog.SILVER, t.name()));
      long rows = table.count();
      assertEquals(
          shipped.silver(t.name()).count(),
          rows,
          "silver " + t.name() + ": the same rows as a lone run");
      if (!t.key().isEmpty()) {
        assertEquals(
            rows,
            table
                .select(t.key().stream().map(functions::col).toArray(Column[]::new))
                .distinct()
                .count(),
            "silver " + t.name() + ": no key twice");
      }
    }
  }
}
