package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
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

/** Two conform runs creating the silver tables at once: whole tables, a clear conflict at worst, a clean re-run. */
class ConcurrentConformTest {
  @Test
  void twoRunsAtOnceEitherBothSucceedOrOneFailsClearlyAndARerunSucceeds(@TempDir Path dir) throws Exception {
    ShippedRun shipped = ShippedRun.get();
    TestLakehouse lake = shipped.copyTo(dir);
    TestLakehouse.delete(dir.resolve("warehouse/silver")); // both runs now create every silver table

    int succeeded = Concurrently.runTwice(() -> Runs.layer(lake.newRun(), "silver"));
    System.out.println("concurrent conform runs that succeeded: " + succeeded + " of 2");

    assertEquals("succeeded", Runs.layer(lake.newRun(), "silver").outcome());
    for (TableSchema t : TestLakehouse.schemas().layer(SchemaCatalog.SILVER)) {
      Dataset<Row> table = shipped.ctx.spark().read().format("delta").load(lake.table(SchemaCatalog.SILVER, t.name()));
      long rows = table.count();
      assertEquals(shipped.silver(t.name()).count(), rows, "silver " + t.name() + ": the same rows as a lone run");
      if (!t.key().isEmpty()) {
        assertEquals(rows, table.select(t.key().stream().map(functions::col).toArray(Column[]::new)).distinct().count(),
            "silver " + t.name() + ": no key twice");
      }
    }
  }
}
