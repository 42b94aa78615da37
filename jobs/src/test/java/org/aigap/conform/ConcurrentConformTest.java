package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.aigap.core.PipelineException;
import org.aigap.core.RunRecord;
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
    Path from = Path.of(java.net.URI.create(shipped.ctx.paths().raw())).getParent();
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
        Path target = dir.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    TestLakehouse lake = TestLakehouse.existing(dir);
    TestLakehouse.delete(dir.resolve("warehouse/silver")); // both runs now create every silver table

    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<RunRecord>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(pool.submit(() -> {
        start.await();
        return new ConformJob(lake.newRun()).run();
      }));
    }
    start.countDown();
    int succeeded = 0;
    for (Future<RunRecord> run : runs) {
      try {
        run.get();
        succeeded++;
      } catch (ExecutionException e) {
        assertTrue(e.getCause() instanceof PipelineException, "a clear failure, not " + e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(message.startsWith("Another run wrote to the same Delta table at the same time")
            || message.startsWith("Cannot create the Delta table at "), message);
        assertTrue(message.contains("re-run"), message);
      }
    }
    pool.shutdown();
    System.out.println("concurrent conform runs that succeeded: " + succeeded + " of 2");

    assertEquals("succeeded", new ConformJob(lake.newRun()).run().outcome());
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
