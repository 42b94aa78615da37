package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aigap.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetOutputTest {
  @Test
  void aReaderNeverSeesAHalfWrittenOutputOrTwoRunsMixedWhileRunsReplaceIt(@TempDir Path dir)
      throws Exception {
    String target = dir.resolve("outputs/totals").toUri().toString();
    int reads = ReplaceWhileReading.run(SharedSpark.get(), target);
    System.out.println(
        "Reads while " + ReplaceWhileReading.RUNS + " runs replaced the output: " + reads);
    assertTrue(reads >= 2, "the reader read while the runs replaced the output: " + reads);
    assertEquals(
        "run-06",
        ParquetOutput.readManifest(target, SharedSpark.get().sparkContext().hadoopConfiguration())
            .runId());
  }

  @Test
  void aRunWrittenLongAgoKeepsItsFilesForTheRetentionAfterItWasReplaced(@TempDir Path dir)
      throws Exception {
    String target = dir.resolve("outputs/totals").toUri().toString();
    Path runs = dir.resolve("outputs/totals/_runs");
    SparkSession spark = SharedSpark.get();
    ReplaceWhileReading.publish(spark, target, 0);
    writtenHoursAgo(runs.resolve("run-00"), 2);
    ReplaceWhileReading.publish(spark, target, 1); // replaces run-00 now
    ReplaceWhileReading.publish(spark, target, 2);
    assertTrue(
        Files.exists(runs.resolve("run-00")),
        "written two hours ago, replaced a moment ago: a reader of it has an hour left");
    writtenHoursAgo(runs.resolve("run-00"), 2); // as if run-01 had replaced it two hours ago
    ReplaceWhileReading.publish(spark, target, 3);
    try (var left = Files.list(runs)) {
      assertEquals(
          List.of("run-01", "run-02", "run-03"),
          left.map(p -> p.getFileName().toString()).sorted().toList(),
          "run-00 replaced over an hour ago; run-01 replaced a moment ago");
      assertTrue(Files.exists(runs.resolve("run-01/" + ParquetOutput.REPLACED)), "when it was");
    }
  }

  /** Sets a run folder's and its files' times to {@code hours} ago. */
  private static void writtenHoursAgo(Path run, int hours) throws java.io.IOException {
    java.nio.file.attribute.FileTime t =
        java.nio.file.attribute.FileTime.fromMillis(
            System.currentTimeMillis() - hours * 3_600_000L);
    try (var files = Files.list(run)) {
      for (Path f : files.toList()) {
        Files.setLastModifiedTime(f, t);
      }
    }
    Files.setLastModifiedTime(run, t);
  }

  @Test
  void pastTheRetentionOnlyTheCommittedRunAndTheOneBeforeItKeepTheirFiles(@TempDir Path dir)
      throws Exception {
    String target = dir.resolve("outputs/totals").toUri().toString();
    SparkSession spark = SharedSpark.get();
    for (int k = 0; k < 3; k++) {
      ReplaceWhileReading.publish(spark, target, k);
    }
    Path folder = dir.resolve("outputs/totals");
    Files.createDirectories(folder.resolve("_runs/run-killed")); // a run killed before its commit
    try (var runs = Files.list(folder.resolve("_runs"))) {
      assertEquals(4, runs.count(), "within the retention every run keeps its files");
    }
    SharedSpark.runWithSettings(
        Map.of(ParquetOutput.RETENTION, "0"), () -> ReplaceWhileReading.publish(spark, target, 3));
    List<String> kept = new ArrayList<>();
    try (var runs = Files.list(folder.resolve("_runs"))) {
      runs.map(p -> p.getFileName().toString()).sorted().forEach(kept::add);
    }
    assertEquals(List.of("run-02", "run-03"), kept);
    ParquetOutput.Manifest m =
        ParquetOutput.readManifest(target, SharedSpark.get().sparkContext().hadoopConfiguration());
    assertEquals(13, m.rows());
    assertTrue(
        m.files().stream().allMatch(f -> f.startsWith("_runs/run-03/")), m.files().toString());
    try (var top = Files.list(folder)) {
      assertEquals(
          List.of("_manifest.json", "_runs"),
          top.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing but the manifest and the runs' folders (no checksum file to replace with it)");
    }
  }
}
