package org.aigap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.List;
import org.aigap.Registry;
import org.aigap.Runs;
import org.aigap.SharedSpark;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.aigap.core.LakehousePaths;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.aigap.graph.DataflowGraph;
import org.aigap.metrics.ParquetOutput;
import org.aigap.metrics.ReplaceWhileReading;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline with its raw extracts, warehouse and outputs on a real HDFS in this JVM
 * ({@link MiniHdfs}), through the runner a real run uses: the README says any Hadoop file system
 * URI works, and a shared cluster's storage is HDFS, not the local disk every other test writes to.
 * Every table must be a Delta table on HDFS, every output must equal local mode's row for row, the
 * fingerprints stored there must make a second run skip every dataset, and a reader must never see
 * an output half-written or two runs mixed while runs replace it.
 */
class HdfsPipelineIT {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() {
    ShippedRun.get(); // local mode's run to compare with, made (or found) before the clock starts
    hdfs = new MiniHdfs(TestLakehouse.PROJECT.resolve("jobs/target/hdfs-pipeline-it"));
    System.out.printf("MiniDFSCluster started in %.1f s at %s%n", hdfs.startSeconds, hdfs.uri());
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Test
  void theWholePipelineRunsOnHdfsMatchesLocalModeSkipsWhatIsUnchangedAndPublishesAtomically()
      throws Exception {
    long t0 = System.nanoTime();
    String lake = hdfs.uri() + "/lake";
    FileSystem fs = hdfs.fileSystem();
    fs.copyFromLocalFile(new Path(TestLakehouse.SHIPPED_RAW.toUri()), new Path(lake + "/raw"));
    LakehousePaths paths =
        new LakehousePaths(lake + "/raw", lake + "/warehouse", lake + "/outputs");
    SparkSession spark = SharedSpark.get();
    SchemaCatalog schemas = TestLakehouse.schemas();
    DataflowGraph graph = Registry.graph(schemas);
    RunContext first = RunContext.create(spark, schemas, paths);
    List<RunRecord> records = Runs.select(first, "bronze", "silver", "gold");
    double firstSeconds = (System.nanoTime() - t0) / 1e9;

    assertEquals(
        List.of("ingest", "conform", "metrics"), records.stream().map(RunRecord::job).toList());
    records.forEach(
        r -> assertEquals("succeeded", r.outcome(), r.job() + " on HDFS: " + r.error()));
    for (TableSchema raw : schemas.layer(SchemaCatalog.RAW)) {
      assertDeltaOnHdfs(spark, first.paths().table(SchemaCatalog.BRONZE, raw.bronzeTable()));
    }
    for (TableSchema silver : schemas.layer(SchemaCatalog.SILVER)) {
      assertDeltaOnHdfs(spark, first.paths().table(SchemaCatalog.SILVER, silver.name()));
    }
    assertDeltaOnHdfs(spark, Quarantine.path(first));
    assertDeltaOnHdfs(spark, RunLog.path(first));
    assertEquals(
        3,
        spark
            .read()
            .format("delta")
            .load(RunLog.path(first))
            .filter("run_id = '" + first.runId() + "'")
            .count(),
        "the run log on HDFS has a row per layer of the run");

    for (TableSchema gold : schemas.layer(SchemaCatalog.GOLD)) {
      assertOutputEqualsLocalMode(fs, first, gold.name());
    }

    long t1 = System.nanoTime();
    List<RunRecord.TableCounts> again =
        Runs.select(RunContext.create(spark, schemas, paths), "bronze", "silver", "gold").stream()
            .flatMap(r -> r.tables().stream())
            .toList();
    double secondSeconds = (System.nanoTime() - t1) / 1e9;
    assertEquals(
        graph.inRunOrder().size(),
        again.size(),
        "the second run on HDFS accounts for every dataset");
    for (RunRecord.TableCounts t : again) {
      assertEquals("skipped", t.action(), t.dataset() + " skipped by its fingerprint on HDFS");
      assertEquals("unchanged since run " + first.runId(), t.reason(), t.dataset());
    }

    // A reader reading an output over and over while runs replace it never sees a mix.
    long t2 = System.nanoTime();
    int reads = ReplaceWhileReading.run(spark, lake + "/concurrent/totals");
    double replaceSeconds = (System.nanoTime() - t2) / 1e9;
    assertTrue(reads >= 2, "the reader read while the runs replaced the output: " + reads);

    System.out.printf(
        "On HDFS: the whole pipeline %.1f s, again with nothing changed %.1f s, %d reads while %d"
            + " runs replaced an output %.1f s; the test %.1f s (MiniDFSCluster start %.1f s"
            + " before it)%n",
        firstSeconds,
        secondSeconds,
        reads,
        ReplaceWhileReading.RUNS,
        replaceSeconds,
        (System.nanoTime() - t0) / 1e9,
        hdfs.startSeconds);
  }

  /**
   * The gold output {@code name} on HDFS: in place with its manifest, written by {@code run}, and
   * equal row for row (run id aside) to local mode's.
   */
  private static void assertOutputEqualsLocalMode(FileSystem fs, RunContext run, String name)
      throws IOException {
    String output = run.paths().output(name);
    assertTrue(
        fs.exists(new Path(output, ParquetOutput.MANIFEST)), name + " on HDFS has a manifest");
    assertEquals(
        run.runId(),
        ParquetOutput.readManifest(output, run.spark().sparkContext().hadoopConfiguration())
            .runId(),
        name + " on HDFS was written by run " + run.runId());
    Dataset<Row> onHdfs = ParquetOutput.read(run.spark(), output).drop("run_id");
    Dataset<Row> inLocalMode = ShippedRun.get().output(name).drop("run_id");
    assertEquals(inLocalMode.count(), onHdfs.count(), name + ": rows on HDFS and locally");
    assertEquals(0, onHdfs.exceptAll(inLocalMode).count(), name + ": HDFS rows not in local mode");
    assertEquals(0, inLocalMode.exceptAll(onHdfs).count(), name + ": local rows not on HDFS");
  }

  private static void assertDeltaOnHdfs(SparkSession spark, String path) {
    assertTrue(path.startsWith(hdfs.uri() + "/"), path + " is on HDFS");
    assertTrue(DeltaTable.isDeltaTable(spark, path), path + " is a Delta table");
  }
}
