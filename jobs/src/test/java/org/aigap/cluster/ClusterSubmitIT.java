package org.aigap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aigap.PythonEnv;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.aigap.metrics.ParquetOutput;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar submitted with the real spark-submit to a real standalone cluster (master and
 * worker on 127.0.0.1), running the whole pipeline; its outputs must equal local mode's.
 */
class ClusterSubmitIT {
  /** What one spark-submit printed (standard output and error together) and its exit code. */
  private record Submitted(int exit, String output) {
    String lastLine() {
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      return lines.get(lines.size() - 1);
    }
  }

  /** The application jar submitted to the cluster with the pipeline's arguments. */
  private static Submitted submit(
      StandaloneCluster cluster, Path sparkHome, Path log, String... args) throws Exception {
    List<String> submit =
        new ArrayList<>(
            List.of(
                sparkHome.resolve("bin/spark-submit").toString(),
                "--master",
                cluster.masterUrl,
                "--deploy-mode",
                "client",
                "--class",
                "org.aigap.Pipeline",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.executor.memory=2g",
                "--conf",
                "spark.sql.shuffle.partitions=2",
                "--conf",
                "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                "--conf",
                "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
                "--driver-java-options",
                "-Dlog4j2.configurationFile="
                    + TestLakehouse.PROJECT.resolve("jobs/conf/log4j2.properties"),
                System.getProperty("aigap.app.jar")));
    submit.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(submit).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(cluster.environment());
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean finished = p.waitFor(15, TimeUnit.MINUTES);
    String output = Files.readString(log);
    System.out.printf(
        "spark-submit on the standalone cluster: %.1f s%n%s%n",
        (System.nanoTime() - t0) / 1e9, String.join(" ", submit));
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    assertTrue(finished, "spark-submit finished in time:\n" + output);
    return new Submitted(p.exitValue(), output);
  }

  @TempDir Path dir;

  /** The arguments, then the lake's paths. */
  private String[] onTheLake(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--raw",
            "file://" + dir.resolve("lake/raw"),
            "--warehouse",
            "file://" + dir.resolve("lake/warehouse"),
            "--outputs",
            "file://" + dir.resolve("lake/outputs")));
    return all.toArray(String[]::new);
  }

  @Test
  void theWholePipelineRunsOnAStandaloneClusterAndMatchesLocalMode() throws Exception {
    Path sparkHome = PythonEnv.sparkHome();
    Path jar = Path.of(System.getProperty("aigap.app.jar"));
    assertTrue(Files.exists(jar), "the application jar is built: " + jar);
    new TestLakehouse(dir.resolve("lake")); // the shipped raw extracts, copied
    Files.createDirectories(dir.resolve("logs"));
    ShippedRun local = ShippedRun.get();

    try (StandaloneCluster cluster = new StandaloneCluster(sparkHome, dir.resolve("logs"))) {
      Submitted all = submit(cluster, sparkHome, dir.resolve("logs/submit.log"), onTheLake("all"));
      assertEquals(0, all.exit(), "spark-submit succeeded:\n" + all.output());
      assertTrue(
          all.output().contains("Parquet outputs: file:" + dir.resolve("lake/outputs")),
          all.output());
      assertTrue(
          Files.readString(dir.resolve("logs/worker.log")).contains("Asked to launch executor"),
          "an executor ran on the worker");

      // The other entry points through the same spark-submit: a query, the version, a usage error.
      String query =
          "select claim_id, verdict from gold.claim_checks where verdict <> 'consistent'";
      Submitted sql =
          submit(
              cluster,
              sparkHome,
              dir.resolve("logs/sql.log"),
              onTheLake("sql", query, "--format", "csv"));
      assertEquals(0, sql.exit(), sql.output());
      List<String> expected = new ArrayList<>(List.of("claim_id,verdict"));
      local
          .output("claim_checks")
          .filter("verdict <> 'consistent'")
          .collectAsList()
          .forEach(r -> expected.add(r.getAs("claim_id") + "," + r.getAs("verdict")));
      assertTrue(expected.size() > 1, "the shipped data has claims that are not consistent");
      List<String> printed =
          sql.output().lines().filter(l -> l.matches("[a-z0-9_]+,[a-z_]+")).toList();
      assertEquals(
          expected.stream().sorted().toList(), printed.stream().sorted().toList(), sql.output());

      Submitted version = submit(cluster, sparkHome, dir.resolve("logs/version.log"), "--version");
      assertEquals(0, version.exit(), version.output());
      assertTrue(
          version
              .lastLine()
              .matches("ai-valuation-gap \\S+ \\(Spark 4\\.1\\.\\d+, Delta 4\\.\\d+\\.\\d+\\)"),
          version.output());

      Submitted usage =
          submit(cluster, sparkHome, dir.resolve("logs/usage.log"), "run", "--selekt", "gold");
      assertEquals(2, usage.exit(), usage.output());
      assertEquals(
          "FAILED: Unknown options: '--selekt', 'gold'; did you mean --select? (see aigap run"
              + " --help)",
          usage.lastLine());
    }

    for (TableSchema gold : TestLakehouse.schemas().layer(SchemaCatalog.GOLD)) {
      Dataset<Row> onCluster =
          ParquetOutput.read(
                  local.ctx.spark(), dir.resolve("lake/outputs").resolve(gold.name()).toString())
              .drop("run_id");
      Dataset<Row> inLocalMode = local.output(gold.name()).drop("run_id");
      assertEquals(inLocalMode.count(), onCluster.count(), gold.name());
      assertEquals(
          0,
          onCluster.exceptAll(inLocalMode).count(),
          gold.name() + ": cluster rows not in local mode");
      assertEquals(
          0,
          inLocalMode.exceptAll(onCluster).count(),
          gold.name() + ": local rows not on the cluster");
    }
  }
}
