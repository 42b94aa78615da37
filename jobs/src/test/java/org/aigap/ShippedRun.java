package org.aigap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One whole pipeline run (ingest, conform, metrics) on the shipped data, made once per test JVM
 * and shared by the tests that check its tables and outputs.
 */
public final class ShippedRun {
  private static ShippedRun instance;

  public final TestLakehouse lakehouse;
  public final RunContext ctx;
  public final List<RunRecord> records;

  private ShippedRun(TestLakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.ctx = lakehouse.newRun();
    this.records = Pipeline.runSteps(ctx, List.of(Pipeline.Step.values()));
  }

  public static synchronized ShippedRun get() {
    if (instance == null) {
      try {
        Path root = Files.createTempDirectory("aigap-shipped-run");
        instance = new ShippedRun(new TestLakehouse(root));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  public Dataset<Row> silver(String table) {
    return ctx.spark().read().format("delta").load(ctx.paths().table(SchemaCatalog.SILVER, table));
  }

  public Dataset<Row> bronze(String table) {
    return ctx.spark().read().format("delta").load(ctx.paths().table(SchemaCatalog.BRONZE, table));
  }

  public Dataset<Row> output(String name) {
    return ctx.spark().read().parquet(ctx.paths().output(name));
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
