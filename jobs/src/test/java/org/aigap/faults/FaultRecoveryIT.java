package org.aigap.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.aigap.Runs;
import org.aigap.SharedSpark;
import org.aigap.ShippedRun;
import org.aigap.ShortLivedJvm;
import org.aigap.TestLakehouse;
import org.aigap.core.FaultPoints;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.Staging;
import org.aigap.core.TableSchema;
import org.aigap.ingest.Ingest;
import org.aigap.metrics.ParquetOutput;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM killed (SIGKILL) in the middle of staging a bronze table, of a conform write and of a
 * Parquet output commit: readers only ever see committed tables and complete outputs, and the next
 * run completes with every table and output consistent, nothing lost and nothing duplicated. Each
 * kill hits a named crash point ({@link FaultPoints}) in a child JVM running the pipeline.
 */
class FaultRecoveryIT {
  private static final long SIGKILLED = 128 + 9;

  private static SparkSession spark() {
    return ShippedRun.get().ctx.spark();
  }

  /** Runs the pipeline in a child JVM and kills it with SIGKILL when it reaches {@code pauseAt}. */
  private static void killedAt(Path log, String pauseAt, TestLakehouse lake, String... command)
      throws Exception {
    killedAt(log, pauseAt, lake, List.of(), command);
  }

  private static void killedAt(
      Path log, String pauseAt, TestLakehouse lake, List<String> settings, String... command)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx2g"));
    cmd.addAll(ShortLivedJvm.FLAGS);
    cmd.addAll(settings);
    for (String flag : System.getProperty("aigap.jvm.flags", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        cmd.add(flag);
      }
    }
    cmd.add(
        "-Dlog4j2.configurationFile="
            + TestLakehouse.PROJECT.resolve("jobs/conf/log4j2.properties"));
    // Superseded outputs' files go at once (not after an hour), so the test sees what is kept.
    cmd.add("-D" + ParquetOutput.RETENTION + "=0");
    cmd.add("-D" + FaultPoints.PROPERTY + "=" + pauseAt);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.aigap.Pipeline"));
    cmd.addAll(List.of(command));
    cmd.addAll(
        List.of(
            "--raw",
            lake.paths().raw(),
            "--warehouse",
            lake.paths().warehouse(),
            "--outputs",
            lake.paths().outputs()));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!Files.readString(log).contains("PAUSED AT " + pauseAt)) {
        assertTrue(
            p.isAlive() && System.nanoTime() < deadline,
            "reached " + pauseAt + ":\n" + Files.readString(log));
        Thread.sleep(100);
      }
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      p.waitFor();
      assertEquals(SIGKILLED, p.exitValue(), "killed with SIGKILL");
    } finally {
      p.destroyForcibly();
    }
  }

  private static long rows(TestLakehouse lake, String layer, String table) {
    return spark().read().format("delta").load(lake.table(layer, table)).count();
  }

  private static long dataLines(TestLakehouse lake, String file) throws IOException {
    try (Stream<String> lines = Files.lines(lake.raw().resolve(file))) {
      return lines.count() - 1;
    }
  }

  /** A local path given as a plain path or a file: URI. */
  private static Path local(String path) {
    return path.startsWith("file:") ? Path.of(java.net.URI.create(path)) : Path.of(path);
  }

  @Test
  void killsInAnIngestCommitAConformWriteAndAnOutputCommitAreRepairedByTheNextRun(@TempDir Path dir)
      throws Exception {
    ShippedRun shipped = ShippedRun.get();
    TestLakehouse lake = shipped.copyTo(dir.resolve("lake"));
    Map<String, Long> silverBefore = new TreeMap<>();
    for (TableSchema t : TestLakehouse.schemas().layer(SchemaCatalog.SILVER)) {
      silverBefore.put(t.name(), rows(lake, SchemaCatalog.SILVER, t.name()));
    }
    Map<String, Long> outputsBefore = outputRows(lake);

    // 1. Conform killed after writing silver facts, before the tables that follow it (a full
    // refresh, since on unchanged inputs every table would be skipped).
    killedAt(
        dir.resolve("conform-killed.log"),
        "conform:written:facts",
        lake,
        "run",
        "--select",
        "silver.facts",
        "--full-refresh");

    // 2. Metrics killed after writing and verifying the new files, before committing its manifest:
    // readers still get the previous output, whole, and the killed run's files are named by
    // nothing.
    String previousRun = manifest(lake, "valuation_gap").get("run_id").asText();
    killedAt(
        dir.resolve("metrics-killed.log"),
        "metrics:staged:valuation_gap",
        lake,
        "run",
        "--select",
        "gold.valuation_gap",
        "--full-refresh");
    Path outputs = local(lake.paths().outputs());
    assertEquals(previousRun, manifest(lake, "valuation_gap").get("run_id").asText());
    try (Stream<Path> runs = Files.list(outputs.resolve("valuation_gap/_runs"))) {
      assertEquals(2, runs.count(), "the committed run's files and the killed run's, unnamed");
    }
    outputRows(lake).forEach((name, n) -> assertEquals(outputsBefore.get(name), n, name));

    // 3. Ingest killed inside the Spark task staging a new bronze table (its folder removed first;
    // the file taken as large, so staged): readers see no table at all, and the killed task's data
    // file is in the run's staging folder, in no commit.
    String downloads = lake.table(SchemaCatalog.BRONZE, "bronze_model_downloads");
    TestLakehouse.delete(local(downloads));
    killedAt(
        dir.resolve("ingest-killed.log"),
        "ingest:writing:bronze_model_downloads",
        lake,
        List.of("-D" + Ingest.CACHE_MAX_BYTES + "=0"),
        "ingest");
    assertFalse(Files.exists(local(downloads)), "no table, not even a half-written one");
    Path staging = local(lake.paths().warehouse()).resolve("_staging");
    try (Stream<Path> files = Files.walk(staging)) {
      assertTrue(
          files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")),
          "the killed task left a staged data file that no commit names");
    }

    // The next run (in this JVM: what the killed runs left on disk is all it goes by) completes,
    // and every table and output is whole: nothing lost, nothing twice.
    List<RunRecord> repair =
        SharedSpark.withSettings(
            Map.of(ParquetOutput.RETENTION, "0", Staging.MAX_AGE, "0"),
            () ->
                Runs.select(
                    RunContext.create(spark(), TestLakehouse.schemas(), lake.paths()),
                    "bronze",
                    "silver",
                    "gold"));
    for (RunRecord r : repair) {
      assertEquals("succeeded", r.outcome(), r.job() + ": " + r.error());
    }
    try (Stream<Path> left = Files.list(staging)) {
      assertEquals(List.of(), left.toList(), "the killed run's staging removed");
    }
    for (TableSchema extract : TestLakehouse.schemas().layer(SchemaCatalog.RAW)) {
      assertEquals(
          dataLines(lake, extract.file()),
          rows(lake, SchemaCatalog.BRONZE, extract.bronzeTable()),
          extract.bronzeTable() + ": every line once");
    }
    assertEquals(
        dataLines(lake, "model_downloads.csv"),
        spark()
            .read()
            .format("delta")
            .load(downloads)
            .select("model_id", "date")
            .distinct()
            .count(),
        "no key twice");
    for (TableSchema t : TestLakehouse.schemas().layer(SchemaCatalog.SILVER)) {
      assertEquals(
          silverBefore.get(t.name()),
          rows(lake, SchemaCatalog.SILVER, t.name()),
          "silver " + t.name());
    }
    assertEquals(outputsBefore, outputRows(lake), "every output back, with the same rows");
    try (Stream<Path> left = Files.list(outputs.resolve("_staging"))) {
      assertEquals(
          List.of(), left.map(p -> p.getFileName().toString()).toList(), "no lock left behind");
    }
    try (Stream<Path> runs = Files.list(outputs.resolve("valuation_gap/_runs"))) {
      assertEquals(
          List.of(manifest(lake, "valuation_gap").get("run_id").asText(), previousRun),
          runs.map(p -> p.getFileName().toString())
              .sorted(java.util.Comparator.reverseOrder())
              .toList(),
          "the killed run's files removed; the committed run's and the one before it kept");
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode manifest(TestLakehouse lake, String output)
      throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(local(lake.paths().output(output)).resolve("_manifest.json").toFile());
  }

  /** Rows per output, as its manifest declares and its Parquet files hold (both must agree). */
  private static Map<String, Long> outputRows(TestLakehouse lake) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (TableSchema gold : TestLakehouse.schemas().layer(SchemaCatalog.GOLD)) {
      Path folder = local(lake.paths().output(gold.name()));
      if (!Files.exists(folder)) {
        continue;
      }
      assertTrue(Files.exists(folder.resolve("_manifest.json")), gold.name() + " is complete");
      long declared = manifest(lake, gold.name()).get("rows").asLong();
      assertEquals(
          declared,
          ParquetOutput.read(spark(), lake.paths().output(gold.name())).count(),
          gold.name());
      out.put(gold.name(), declared);
    }
    return out;
  }
}
