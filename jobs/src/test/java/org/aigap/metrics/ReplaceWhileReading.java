package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** An output replaced by run after run while a reader reads it: on any store the test gives. */
public final class ReplaceWhileReading {
  private ReplaceWhileReading() {}

  public static final int RUNS = 6;

  /** Run k of an output: 10 + k rows, each carrying the run's id. */
  static void publish(SparkSession spark, String target, int k) {
    String runId = String.format("run-%02d", k);
    ParquetOutput.write(
        spark.range(10 + k).selectExpr("id", "'" + runId + "' AS run_id"),
        target,
        runId,
        Map.of(),
        "test output",
        null,
        Map.of());
  }

  /**
   * Replaces the output at {@code target} {@value #RUNS} times while another thread reads it the
   * documented way ({@link ParquetOutput#read}) as fast as it can; every read must be one whole
   * run: all rows of one run id, and as many as that run wrote. Returns the number of reads.
   */
  public static int run(SparkSession spark, String target) throws Exception {
    publish(spark, target, 0);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    Future<Integer> reads =
        reader.submit(
            () -> {
              int n = 0;
              while (writing.get()) {
                List<Row> rows = ParquetOutput.read(spark, target).collectAsList();
                List<String> runs =
                    rows.stream().map(r -> r.<String>getAs("run_id")).distinct().toList();
                assertEquals(1, runs.size(), "one run per read, found " + runs);
                int k = Integer.parseInt(runs.get(0).substring(4));
                assertEquals(10 + k, rows.size(), "every row of " + runs.get(0));
                n++;
              }
              return n;
            });
    try {
      for (int k = 1; k <= RUNS; k++) {
        publish(spark, target, k);
      }
    } finally {
      writing.set(false);
      reader.shutdown();
    }
    return reads.get();
  }
}
