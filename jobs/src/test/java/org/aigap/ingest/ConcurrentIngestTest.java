package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aigap.TestLakehouse;
import org.aigap.core.PipelineException;
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
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<RunRecord>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(pool.submit(() -> {
        start.await();
        return new IngestJob(lake.newRun()).run();
      }));
    }
    start.countDown();
    int succeeded = 0;
    for (Future<RunRecord> run : runs) {
      try {
        run.get();
        succeeded++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof PipelineException, "a clear failure, not " + e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(message.startsWith("Another run wrote to the same Delta table at the same time")
            || message.startsWith("Cannot create the Delta table at "), message);
        assertTrue(message.contains("re-run"), message);
      }
    }
    pool.shutdown();
    System.out.println("concurrent ingest runs that succeeded: " + succeeded + " of 2");

    RunRecord rerun = new IngestJob(lake.newRun()).run();
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
