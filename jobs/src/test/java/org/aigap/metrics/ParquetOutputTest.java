package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aigap.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetOutputTest {
  private static final int RUNS = 6;

  /** Run k of an output: 10 + k rows, each carrying the run's id. */
  private static void publish(SparkSession spark, String target, int k) {
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
  public static int replaceWhileReading(SparkSession spark, String target) throws Exception {
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

  @Test
  void aReaderNeverSeesAHalfWrittenOutputOrTwoRunsMixedWhileRunsReplaceIt(@TempDir Path dir)
      throws Exception {
    String target = dir.resolve("outputs/totals").toUri().toString();
    int reads = replaceWhileReading(SharedSpark.get(), target);
    System.out.println("Reads while " + RUNS + " runs replaced the output: " + reads);
    assertTrue(reads >= 2, "the reader read while the runs replaced the output: " + reads);
    assertEquals(
        "run-06",
        ParquetOutput.readManifest(target, new org.apache.hadoop.conf.Configuration()).runId());
  }

  @Test
  void pastTheRetentionOnlyTheCommittedRunAndTheOneBeforeItKeepTheirFiles(@TempDir Path dir)
      throws Exception {
    String target = dir.resolve("outputs/totals").toUri().toString();
    SparkSession spark = SharedSpark.get();
    for (int k = 0; k < 3; k++) {
      publish(spark, target, k);
    }
    Path folder = dir.resolve("outputs/totals");
    Files.createDirectories(folder.resolve("_runs/run-killed")); // a run killed before its commit
    try (var runs = Files.list(folder.resolve("_runs"))) {
      assertEquals(4, runs.count(), "within the retention every run keeps its files");
    }
    spark.conf().set(ParquetOutput.RETENTION, "0");
    try {
      publish(spark, target, 3);
    } finally {
      spark.conf().unset(ParquetOutput.RETENTION);
    }
    List<String> kept = new ArrayList<>();
    try (var runs = Files.list(folder.resolve("_runs"))) {
      runs.map(p -> p.getFileName().toString()).sorted().forEach(kept::add);
    }
    assertEquals(List.of("run-02", "run-03"), kept);
    ParquetOutput.Manifest m =
        ParquetOutput.readManifest(target, new org.apache.hadoop.conf.Configuration());
    assertEquals(13, m.rows());
    assertTrue(
        m.files().stream().allMatch(f -> f.startsWith("_runs/run-03/")), m.files().toString());
    try (var top = Files.list(folder)) {
      assertEquals(
          List.of("_manifest.json", "_runs"),
          top.map(p -> p.getFileName().toString())
              .filter(n -> !n.endsWith(".crc")) // the local file system's checksums
              .sorted()
              .toList(),
          "nothing but the manifest and the runs' folders");
    }
  }
}
