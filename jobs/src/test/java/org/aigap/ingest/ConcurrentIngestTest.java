package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
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

/**
 * Two ingest runs against one warehouse at once: no duplicated or lost row, a clear conflict, a
 * clean re-run.
 */
class ConcurrentIngestTest {
  @Test
  void twoRunsAtOnceEitherBothSucceedOrOneFailsClearlyAndARerunSucceeds(@TempDir Path dir)
      throws Exception {
    TestLakehouse lake = new TestLakehouse(dir);
    List<String> extracts = List.of("facts", "entities", "claims");
    String selection = String.join(" ", extracts.stream().map(e -> "bronze." + e).toList());
    int succeeded = Concurrently.runTwice(() -> Runs.select(lake.newRun(), selection).get(0));
    System.out.println("concurrent ingest runs that succeeded: " + succeeded + " of 2");

    RunRecord rerun = Runs.select(lake.newRun(), selection).get(0);
    assertTrue(rerun.outcome().equals("succeeded"));
    assertEquals(3, lake.runsLogged(), "the two runs at once and the re-run are in the run log");
    for (String name : extracts) {
      TableSchema extract = TestLakehouse.schemas().get(SchemaCatalog.RAW, name);
      Dataset<Row> table =
          lake.newRun()
              .spark()
              .read()
              .format("delta")
              .load(lake.table("bronze", extract.bronzeTable()));
      long lines = lake.lines(extract.file()).size() - 1;
      assertEquals(lines, table.count(), extract.bronzeTable() + ": every line once");
      assertEquals(
          lines,
          table
              .select(
                  extract.key().stream()
                      .map(org.apache.spark.sql.functions::col)
                      .toArray(org.apache.spark.sql.Column[]::new))
              .distinct()
              .count(),
          extract.bronzeTable() + ": no duplicated key");
    }
  }
}
