package org.aigap.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
import org.aigap.ingest.Ingest;
import org.aigap.metrics.ParquetOutput;
import org.aigap.metrics.ReplaceWhileReading;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.storage.DelegatingLogStore;
import org.apache.spark.sql.delta.storage.LogStore;
import org.apache.spark.sql.delta.storage.LogStoreAdaptor;

/**
 * The whole pipeline with its raw extracts, warehouse and outputs on one shared store (HDFS, an S3
 * API), through the runner a real run uses: the README says any Hadoop file system URI works, and a
 * shared cluster's storage is not the local disk every other test writes to. Every table must be a
 * Delta table there, through the log store the README names for that store; every output must equal
 * local mode's row for row; the fingerprints stored there must make a second run skip every
 * dataset; and a reader must never see an output half-written or two runs mixed while runs replace
 * it. One check for every store, so that the stores' tests cannot drift apart.
 */
public final class PipelineOnStore {
  /**
   * The extracts a run on a store caches (all but model_downloads.csv, 778 KB): that one is
   * ingested as a large file is, staged and then published the way the store allows.
   */
  public static final String CACHE_MAX_BYTES = String.valueOf(300_000);

  private PipelineOnStore() {}

  /**
   * Copies the shipped extracts under {@code root} ({@code hdfs://HOST:PORT}, {@code s3a://BUCKET})
   * and returns the paths a run there reads and writes.
   */
  public static LakehousePaths lake(String root) throws IOException {
    String lake = root + "/lake";
    FileSystem fs =
        new Path(lake).getFileSystem(SharedSpark.get().sparkContext().hadoopConfiguration());
    fs.copyFromLocalFile(new Path(TestLakehouse.SHIPPED_RAW.toUri()), new Path(lake + "/raw"));
    return new LakehousePaths(lake + "/raw", lake + "/warehouse", lake + "/outputs");
  }

  /**
   * Runs the whole pipeline in this JVM with everything under {@code root} on the store named
   * {@code store}, then {@link #verify}s it; prints the timings beside the fixture's start ({@code
   * fixture}, {@code fixtureSeconds}).
   */
  static void check(
      String store, String root, String logStore, String fixture, double fixtureSeconds)
      throws Exception {
    long t0 = System.nanoTime();
    LakehousePaths paths = lake(root);
    RunContext first = RunContext.create(SharedSpark.get(), TestLakehouse.schemas(), paths);
    List<RunRecord> records =
        SharedSpark.withSettings(
            Map.of(Ingest.CACHE_MAX_BYTES, CACHE_MAX_BYTES),
            () -> Runs.select(first, "bronze", "silver", "gold"));
    assertEquals(
        List.of("ingest", "conform", "metrics"), records.stream().map(RunRecord::job).toList());
    records.forEach(
        r -> assertEquals("succeeded", r.outcome(), r.job() + " on " + store + ": " + r.error()));
    System.out.printf("On %s: the whole pipeline %.1f s%n", store, (System.nanoTime() - t0) / 1e9);
    verify(store, root, paths, first.runId(), logStore);
    System.out.printf(
        "On %s: the test %.1f s (%s start %.1f s before it)%n",
        store, (System.nanoTime() - t0) / 1e9, fixture, fixtureSeconds);
  }

  /**
   * What a whole run {@code runId} (in this JVM or on a cluster) must have left under {@code root}:
   * every table a Delta table there, through the log store {@code logStore}; a run-log row per
   * layer; every output written by it and equal to local mode's; then a second run (in this JVM)
   * that skips every dataset by its fingerprint; and an output read over and over while runs
   * replace it, never a mix.
   */
  public static void verify(
      String store, String root, LakehousePaths paths, String runId, String logStore)
      throws Exception {
    SparkSession spark = SharedSpark.get();
    SchemaCatalog schemas = TestLakehouse.schemas();
    DataflowGraph graph = Registry.graph(schemas);
    RunContext onStore = RunContext.create(spark, schemas, paths); // its qualified paths
    FileSystem fs =
        new Path(paths.warehouse()).getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (TableSchema raw : schemas.layer(SchemaCatalog.RAW)) {
      assertDeltaOn(
          store, root, spark, onStore.paths().table(SchemaCatalog.BRONZE, raw.bronzeTable()));
    }
    for (TableSchema silver : schemas.layer(SchemaCatalog.SILVER)) {
      assertDeltaOn(store, root, spark, onStore.paths().table(SchemaCatalog.SILVER, silver.name()));
    }
    assertDeltaOn(store, root, spark, Quarantine.path(onStore));
    Path staging = new Path(paths.warehouse(), "_staging");
    assertEquals(
        List.of(),
        fs.exists(staging) ? List.of(fs.listStatus(staging)) : List.of(),
        "no staged table left on " + store);
    assertDeltaOn(store, root, spark, RunLog.path(onStore));
    assertEquals(
        3,
        spark
            .read()
            .format("delta")
            .load(RunLog.path(onStore))
            .filter("run_id = '" + runId + "'")
            .count(),
        "the run log on " + store + " has a row per layer of the run");
    assertEquals(
        logStore,
        logStoreOf(spark, RunLog.path(onStore)),
        "the log store Delta chooses on " + store + " by itself");

    for (TableSchema gold : schemas.layer(SchemaCatalog.GOLD)) {
      assertOutputEqualsLocalMode(store, fs, onStore, runId, gold.name());
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
        "the second run on " + store + " accounts for every dataset");
    for (RunRecord.TableCounts t : again) {
      assertEquals("skipped", t.action(), t.dataset() + " skipped by its fingerprint on " + store);
      assertEquals("unchanged since run " + runId, t.reason(), t.dataset());
    }

    // A reader reading an output over and over while runs replace it never sees a mix.
    long t2 = System.nanoTime();
    String concurrent =
        new Path(new Path(paths.warehouse()).getParent(), "concurrent/totals").toString();
    int reads = ReplaceWhileReading.run(spark, concurrent);
    double replaceSeconds = (System.nanoTime() - t2) / 1e9;
    assertTrue(reads >= 2, "the reader read while the runs replaced the output: " + reads);
    System.out.printf(
        "On %s: again with nothing changed %.1f s, %d reads while %d runs replaced an output %.1f"
            + " s%n",
        store, secondSeconds, reads, ReplaceWhileReading.RUNS, replaceSeconds);
  }

  /**
   * The gold output {@code name} on the store: in place with its manifest, written by run {@code
   * runId}, and equal row for row (run id aside) to local mode's.
   */
  private static void assertOutputEqualsLocalMode(
      String store, FileSystem fs, RunContext run, String runId, String name) throws IOException {
    String output = run.paths().output(name);
    assertTrue(
        fs.exists(new Path(output, ParquetOutput.MANIFEST)),
        name + " on " + store + " has a manifest");
    assertEquals(
        runId,
        ParquetOutput.readManifest(output, run.spark().sparkContext().hadoopConfiguration())
            .runId(),
        name + " on " + store + " was written by run " + runId);
    ShippedRun.get().assertSameOutput(name, output, "on " + store);
  }

  private static void assertDeltaOn(String store, String root, SparkSession spark, String path) {
    assertTrue(path.startsWith(root + "/"), path + " is on " + store);
    assertTrue(DeltaTable.isDeltaTable(spark, path), path + " is a Delta table");
  }

  /** The simple class name of the log store Delta uses for the table at {@code path}. */
  private static String logStoreOf(SparkSession spark, String path) {
    LogStore store = LogStore.apply(spark);
    if (store instanceof DelegatingLogStore delegating) {
      store = delegating.getDelegate(new Path(path));
    }
    return store instanceof LogStoreAdaptor adaptor
        ? adaptor.logStoreImpl().getClass().getSimpleName()
        : store.getClass().getSimpleName();
  }
}
