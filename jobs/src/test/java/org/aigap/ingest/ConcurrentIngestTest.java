package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.aigap.Concurrently;
import org.aigap.Runs;
import org.aigap.TestLakehouse;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two ingest runs against one warehouse at once: no duplicated or lost row, a clear conflict, a clean re-run. */
class ConcurrentIngestTest {
  @Test
  void twoRunsAtOnceEitherBothSucceedOrOneFailsClearlyAndARerunSucceeds(@TempDir Path dir) throws Exception {
    TestLakehouse lake = new TestLakehouse(dir);
    int succeeded = Concurrently.runTwice(() -> Runs.layer(lake.newRun(), "bronze"));
    System.out.println("concurrent ingest runs that succeeded: " + succeeded + " of 2");

    RunRecord rerun = Runs.layer(lake.newRun(), "bronze");
    assertTrue(rerun.outcome().equals("succeeded"));
    for (TableSchema extract : TestLakehouse.schemas().layer(SchemaCatalog.RAW)) {
      Dataset<Row> table = lake.newRun().spark().read().format("delta").load(lake.table("bronze", extract.bronzeTable()));
      long lines = lake.lines(extract.file()).size() - 1;
      assertEquals(lines, table.count(), extract.bronzeTable() + ": every line once");
      assertEquals(lines, table.select(extract.key().stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)).distinct().count(),
          extract.bronzeTable() + ": no duplicated key");
    }
  }
}
