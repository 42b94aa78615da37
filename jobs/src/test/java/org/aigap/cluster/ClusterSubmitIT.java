package org.aigap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aigap.PythonEnv;
import org.aigap.ShippedRun;
import org.aigap.ShortLivedJvm;
import org.aigap.TestLakehouse;
import org.aigap.core.FaultPoints;
import org.aigap.core.LakehousePaths;
import org.aigap.ingest.Ingest;
import org.aigap.storage.MiniHdfs;
import org.aigap.storage.PipelineOnStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar submitted with the real spark-submit to a real standalone cluster (master and
 * worker on 127.0.0.1) whose driver and executor share nothing but HDFS (a NameNode and DataNode in
 * this JVM), as the hosts of a real cluster would: the whole pipeline in cluster deploy mode (the
 * driver on the worker), its executor killed while it writes the bronze table of the model
 * downloads; the table must hold every row exactly once, and the lake on HDFS pass {@link
 * PipelineOnStore#verify} (outputs equal to local mode's, a second run skipping everything, atomic
 * publication). Then the other entry points through the same spark-submit: a query, the version, a
 * usage error.
 */
class ClusterSubmitIT {
  private static final String DOWNLOADS_WRITE = "ingest:writing:bronze_model_downloads";

  @TempDir Path dir;

  /** What one spark-submit printed (standard output and error together) and its exit code. */
  private record Submitted(int exit, String output) {
    String lastLine() {
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      return lines.get(lines.size() - 1);
    }
  }

  /**
   * The application jar submitted to the cluster: spark-submit's options, the jar, its arguments.
   */
  private Submitted submit(
      StandaloneCluster cluster, String log, List<String> options, String... args)
      throws Exception {
    List<String> submit =
        new ArrayList<>(
            List.of(
                PythonEnv.sparkHome().resolve("bin/spark-submit").toString(),
                "--master",
                cluster.masterUrl,
                "--class",
                "org.aigap.Pipeline",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.sql.shuffle.partitions=2",
                "--conf",
                "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                "--conf",
                "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"));
    submit.addAll(options);
    submit.add(System.getProperty("aigap.app.jar"));
    submit.addAll(List.of(args));
    Path out = dir.resolve("logs").resolve(log);
    ProcessBuilder pb =
        new ProcessBuilder(submit).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(cluster.environment());
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean finished = p.waitFor(10, TimeUnit.MINUTES);
    String output = Files.readString(out);
    System.out.printf(
        "spark-submit: %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, String.join(" ", submit));
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    assertTrue(finished, "spark-submit finished in time:\n" + output);
    return new Submitted(p.exitValue(), output);
  }

  /** Client deploy mode: the driver is spark-submit's JVM, its output spark-submit's. */
  private static List<String> clientMode() {
    return List.of(
        "--deploy-mode",
        "client",
        "--conf",
        "spark.driver.bindAddress=127.0.0.1",
        "--driver-java-options",
        "-Dlog4j2.configurationFile="
            + TestLakehouse.PROJECT.resolve("jobs/conf/log4j2.properties"));
  }

  @Test
  void theWholePipelineRunsOnAClusterOverHdfsSurvivesALostExecutorAndMatchesLocalMode()
      throws Exception {
    Path jar = Path.of(System.getProperty("aigap.app.jar"));
    assertTrue(Files.exists(jar), "the application jar is built: " + jar);
    Files.createDirectories(dir.resolve("logs"));
    ShippedRun local = ShippedRun.get();
    SparkSession spark = local.ctx.spark();

    try (MiniHdfs hdfs = new MiniHdfs(dir.resolve("hdfs"));
        StandaloneCluster cluster =
            new StandaloneCluster(PythonEnv.sparkHome(), dir.resolve("logs"))) {
      LakehousePaths lake = PipelineOnStore.lake(hdfs.uri());
      String[] paths = {
        "--raw", lake.raw(), "--warehouse", lake.warehouse(), "--outputs", lake.outputs()
      };

      // Cluster deploy mode: the driver runs on the worker; the executor pauses (once) inside the
      // task staging the downloads' bronze table, and the test kills its JVM there; the retried
      // task stages it whole, and the driver moves it into place with one rename on HDFS.
      String fault =
          ShortLivedJvm.OPTIONS
              + " -D"
              + FaultPoints.PROPERTY
              + "="
              + DOWNLOADS_WRITE
              + " -D"
              + FaultPoints.ONCE
              + "="
              + dir.resolve("executor-paused");
      List<String> clusterMode =
          List.of(
              "--deploy-mode",
              "cluster",
              "--conf",
              "spark.standalone.submit.waitAppCompletion=true",
              "--conf",
              "spark.driver.memory=1g",
              "--conf",
              Ingest.CACHE_MAX_BYTES + "=" + PipelineOnStore.CACHE_MAX_BYTES,
              "--conf",
              "spark.driver.extraJavaOptions=" + fault,
              "--conf",
              "spark.executor.extraJavaOptions=" + fault);
      Thread killer =
          new Thread(() -> killTheExecutorWhenPaused(cluster, dir.resolve("logs/work")));
      killer.start();
      Submitted all =
          submit(
              cluster,
              "submit.log",
              clusterMode,
              Stream.concat(Stream.of("all"), Stream.of(paths)).toArray(String[]::new));
      killer.join(TimeUnit.MINUTES.toMillis(1));
      String driver = driverOutput(dir.resolve("logs/work"));
      assertEquals(0, all.exit(), "spark-submit succeeded:\n" + all.output() + "\n" + driver);
      assertTrue(Files.exists(dir.resolve("executor-paused")), "an executor paused in the write");
      try (Stream<Path> apps = Files.list(dir.resolve("logs/work"))) {
        Path app =
            apps.filter(a -> a.getFileName().toString().startsWith("app-"))
                .findFirst()
                .orElseThrow();
        try (Stream<Path> executors = Files.list(app)) {
          assertTrue(executors.count() >= 2, "the worker started a new executor after the kill");
        }
      }
      assertTrue(driver.contains("Parquet outputs: " + lake.outputs()), driver);
      Matcher finished = Pattern.compile("Run (\\S+) finished in").matcher(driver);
      assertTrue(finished.find(), driver);

      // Every line of the downloads extract exactly once, read from the table itself.
      Dataset<Row> downloads =
          spark.read().format("delta").load(lake.warehouse() + "/bronze/bronze_model_downloads");
      long lines =
          Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve("model_downloads.csv")).size() - 1;
      assertEquals(lines, downloads.count(), "every line of model_downloads.csv in the table");
      assertEquals(lines, downloads.select("model_id", "date").distinct().count(), "no row twice");

      // What any whole run on HDFS must leave (tables, run log, outputs equal to local mode's), a
      // second run in this JVM skipping everything the cluster computed, atomic publication there.
      PipelineOnStore.verify("HDFS", hdfs.uri(), lake, finished.group(1), "HDFSLogStore");

      // The other entry points through the same spark-submit, client deploy mode: a query over the
      // lake on HDFS (in local mode: the cluster run above already proved the jar on executors),
      // the version, a usage error.
      String query =
          "select claim_id, verdict from gold.claim_checks where verdict <> 'consistent'";
      String[] sqlArgs =
          Stream.concat(Stream.of("sql", query, "--format", "csv"), Stream.of(paths))
              .toArray(String[]::new);
      List<String> localMaster = new ArrayList<>(clientMode());
      localMaster.addAll(List.of("--master", "local[2]")); // the last --master given wins
      Submitted sql = submit(cluster, "sql.log", localMaster, sqlArgs);
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

      Submitted version = submit(cluster, "version.log", clientMode(), "--version");
      assertEquals(0, version.exit(), version.output());
      assertTrue(
          version
              .lastLine()
              .matches("ai-valuation-gap \\S+ \\(Spark 4\\.1\\.\\d+, Delta 4\\.\\d+\\.\\d+\\)"),
          version.output());

      Submitted usage = submit(cluster, "usage.log", clientMode(), "run", "--selekt", "gold");
      assertEquals(2, usage.exit(), usage.output());
      assertEquals(
          "FAILED: Unknown options: '--selekt', 'gold'; did you mean --select? (see aigap run"
              + " --help)",
          usage.lastLine());
    }
  }

  /**
   * Waits for an executor's output to say it paused in the write, then kills that executor's JVM
   * (SIGKILL), as a host lost mid-task would.
   */
  private static void killTheExecutorWhenPaused(StandaloneCluster cluster, Path work) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    try {
      while (System.nanoTime() < deadline) {
        Optional<Path> paused;
        try (Stream<Path> files = Files.exists(work) ? Files.walk(work) : Stream.empty()) {
          paused =
              files
                  .filter(
                      f ->
                          f.getFileName().toString().equals("stdout")
                              && !f.toString().contains("driver-"))
                  .filter(f -> read(f).contains("PAUSED AT " + DOWNLOADS_WRITE))
                  .findFirst();
        }
        if (paused.isPresent()) {
          cluster.killExecutors();
          System.out.println(
              "Killed the executor paused at " + DOWNLOADS_WRITE + " (" + paused.get() + ")");
          return;
        }
        Thread.sleep(200);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What the driver printed, in cluster deploy mode: its stdout and stderr in the worker's work
   * folder.
   */
  private static String driverOutput(Path work) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.walk(work)) {
      files
          .filter(f -> f.toString().contains("driver-") && Files.isRegularFile(f))
          .filter(f -> f.getFileName().toString().matches("stdout|stderr"))
          .sorted()
          .forEach(f -> out.append(read(f)));
    }
    return out.toString();
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
