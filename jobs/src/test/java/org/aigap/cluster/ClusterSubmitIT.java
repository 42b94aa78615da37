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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar submitted with the real spark-submit to a real standalone cluster (master and
 * worker on 127.0.0.1), running the whole pipeline; its outputs must equal local mode's.
 */
class ClusterSubmitIT {
  @Test
  void theWholePipelineRunsOnAStandaloneClusterAndMatchesLocalMode(@TempDir Path dir) throws Exception {
    Path sparkHome = PythonEnv.sparkHome();
    Path jar = Path.of(System.getProperty("aigap.app.jar"));
    assertTrue(Files.exists(jar), "the application jar is built: " + jar);
    TestLakehouse lake = new TestLakehouse(dir.resolve("lake"));
    Files.createDirectories(dir.resolve("logs"));

    try (StandaloneCluster cluster = new StandaloneCluster(sparkHome, dir.resolve("logs"))) {
      List<String> submit = new ArrayList<>(List.of(
          sparkHome.resolve("bin/spark-submit").toString(),
          "--master", cluster.masterUrl,
          "--deploy-mode", "client",
          "--class", "org.aigap.Pipeline",
          "--conf", "spark.driver.host=127.0.0.1",
          "--conf", "spark.driver.bindAddress=127.0.0.1",
          "--conf", "spark.executor.memory=2g",
          "--conf", "spark.sql.shuffle.partitions=2",
          "--conf", "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
          "--conf", "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
          "--driver-java-options", "-Dlog4j2.configurationFile=" + TestLakehouse.PROJECT.resolve("jobs/conf/log4j2.properties"),
          jar.toString(),
          "all",
          "--raw", "file://" + lake.raw(),
          "--warehouse", "file://" + dir.resolve("lake/warehouse"),
          "--outputs", "file://" + dir.resolve("lake/outputs")));
      Path log = dir.resolve("logs/submit.log");
      ProcessBuilder pb = new ProcessBuilder(submit).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(cluster.environment());
      long t0 = System.nanoTime();
      Process p = pb.start();
      boolean finished = p.waitFor(15, TimeUnit.MINUTES);
      String output = Files.readString(log);
      System.out.printf("spark-submit on the standalone cluster: %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, String.join(" ", submit));
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      assertTrue(finished, "spark-submit finished in time:\n" + output);
      assertEquals(0, p.exitValue(), "spark-submit succeeded:\n" + output);
      assertTrue(output.contains("Parquet outputs: file:" + dir.resolve("lake/outputs")), output);
      assertTrue(Files.readString(dir.resolve("logs/worker.log")).contains("Asked to launch executor"), "an executor ran on the worker");
    }

    ShippedRun local = ShippedRun.get();
    for (TableSchema gold : TestLakehouse.schemas().layer(SchemaCatalog.GOLD)) {
      Dataset<Row> onCluster = local.ctx.spark().read().parquet(dir.resolve("lake/outputs").resolve(gold.name()).toString()).drop("run_id");
      Dataset<Row> inLocalMode = local.output(gold.name()).drop("run_id");
      assertEquals(inLocalMode.count(), onCluster.count(), gold.name());
      assertEquals(0, onCluster.exceptAll(inLocalMode).count(), gold.name() + ": cluster rows not in local mode");
      assertEquals(0, inLocalMode.exceptAll(onCluster).count(), gold.name() + ": local rows not on the cluster");
    }
  }
}
