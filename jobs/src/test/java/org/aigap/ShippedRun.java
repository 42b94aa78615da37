package org.aigap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.graph.DatasetDef;
import org.aigap.graph.Inputs;
import org.aigap.metrics.ParquetOutput;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One whole pipeline run (ingest, conform, metrics) on the shipped data, made once per build and
 * shared by the tests that check its tables and outputs. The unit tests make it in {@code
 * aigap.shipped.dir}; the integration tests of the same build ({@code aigap.build.id}) read it
 * there instead of paying for a second run.
 */
public final class ShippedRun {
  private static final String COMPLETE = "_complete";
  private static ShippedRun instance;

  public final TestLakehouse lakehouse;
  public final RunContext ctx;

  /** The jobs' records; empty when the run was made earlier in the build and is only read. */
  public final List<RunRecord> records;

  private ShippedRun(TestLakehouse lakehouse, boolean run) {
    this.lakehouse = lakehouse;
    this.ctx = lakehouse.newRun();
    this.records = run ? Runs.select(ctx, "bronze", "silver", "gold") : List.of();
  }

  public static synchronized ShippedRun get() {
    if (instance == null) {
      try {
        String dir = System.getProperty("aigap.shipped.dir");
        String build = System.getProperty("aigap.build.id");
        if (dir == null || build == null) {
          instance =
              new ShippedRun(
                  new TestLakehouse(Files.createTempDirectory("aigap-shipped-run")), true);
        } else {
          Path root = Path.of(dir);
          Path complete = root.resolve(COMPLETE);
          // Integration tests run in two JVMs at once: one makes the run, the other waits for it.
          Files.createDirectories(root.getParent());
          try (FileChannel lockFile =
                  FileChannel.open(
                      root.resolveSibling(root.getFileName() + ".lock"),
                      StandardOpenOption.CREATE,
                      StandardOpenOption.WRITE);
              FileLock held = lockFile.lock()) {
            if (Files.exists(complete) && Files.readString(complete).equals(build)) {
              instance = new ShippedRun(TestLakehouse.existing(root), false);
            } else {
              TestLakehouse.delete(root);
              instance = new ShippedRun(new TestLakehouse(root), true);
              Files.writeString(complete, build);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /**
   * A copy of this run's lakehouse (raw files, warehouse, outputs) under {@code dir}, for a test to
   * change.
   */
  public TestLakehouse copyTo(Path dir) throws IOException {
    TestLakehouse.copyTree(Path.of(java.net.URI.create(ctx.paths().raw())).getParent(), dir);
    return TestLakehouse.existing(dir);
  }

  public Dataset<Row> silver(String table) {
    return ctx.spark().read().format("delta").load(ctx.paths().table(SchemaCatalog.SILVER, table));
  }

  public Dataset<Row> bronze(String table) {
    return ctx.spark().read().format("delta").load(ctx.paths().table(SchemaCatalog.BRONZE, table));
  }

  public Dataset<Row> output(String name) {
    return ParquetOutput.read(ctx.spark(), ctx.paths().output(name));
  }

  /**
   * Asserts that the output {@code name} at {@code folder} (read through its manifest) holds the
   * same rows as this run's, run id aside; {@code where} names the other place in messages.
   */
  public void assertSameOutput(String name, String folder, String where) {
    Dataset<Row> there = ParquetOutput.read(ctx.spark(), folder).drop("run_id");
    Dataset<Row> here = output(name).drop("run_id");
    assertEquals(here.count(), there.count(), name + ": rows " + where + " and locally");
    assertEquals(0, there.exceptAll(here).count(), name + ": rows " + where + " not in local mode");
    assertEquals(0, here.exceptAll(there).count(), name + ": local rows not " + where);
  }

  /**
   * A dataset's transform computed alone on this run's tables, with some inputs replaced (a fixture
   * that changes one row, say): what the output would be, without writing anything.
   */
  public Dataset<Row> compute(String dataset, Map<String, Dataset<Row>> replaced) {
    DatasetDef d = Registry.graph(TestLakehouse.schemas()).get(dataset);
    Map<String, Dataset<Row>> in = new HashMap<>();
    for (String i : d.inputs()) {
      String table = i.substring(i.indexOf('.') + 1);
      in.put(
          i,
          replaced.containsKey(i)
              ? replaced.get(i)
              : i.startsWith("silver.") ? silver(table) : bronze("bronze_" + table));
    }
    return d.transform().apply(new Inputs(dataset, in));
  }

  /** The one silver fact with this id. */
  public Row fact(String factId) {
    List<Row> rows = silver("facts").filter("fact_id = '" + factId + "'").collectAsList();
    if (rows.size() != 1) {
      throw new AssertionError("expected one silver fact " + factId + ", found " + rows.size());
    }
    return rows.get(0);
  }
}
