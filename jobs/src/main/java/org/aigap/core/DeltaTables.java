package org.aigap.core;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;

/** Creating, versioning and appending to the Delta tables of the warehouse. */
public final class DeltaTables {
  /** The CHECK constraint that holds a table's declared rules. */
  public static final String CONSTRAINT_PROPERTY = "delta.constraints.declared_rules";
  private static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";

  private DeltaTables() {}

  /**
   * Creates the table at {@code path} if it does not exist, with NOT NULL from the schema and the
   * given CHECK constraints, so that a writer that bypasses the jobs cannot break the invariants.
   */
  public static DeltaTable createIfMissing(
      SparkSession spark, String path, StructType schema, List<String> constraints) {
    return createIfMissing(spark, path, schema, constraints, List.of());
  }

  /**
   * As above, with file statistics (min, max, nulls) kept only for {@code statsColumns}: Delta
   * otherwise computes them for the first 32 columns of every row written, about a fifth of the
   * cost of writing a large table, and queries filter on a few columns only. Empty: Delta's default.
   * See {@link #statsColumns(TableSchema)}.
   */
  public static DeltaTable createIfMissing(
      SparkSession spark, String path, StructType schema, List<String> constraints, List<String> statsColumns) {
    if (DeltaTable.isDeltaTable(spark, path)) {
      return DeltaTable.forPath(spark, path);
    }
    var builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(schema);
    if (!statsColumns.isEmpty()) {
      builder = builder.property(STATS_COLUMNS_PROPERTY, String.join(",", statsColumns));
    }
    // One constraint holding every rule, set as the table is created: each ALTER TABLE ADD
    // CONSTRAINT would be a commit of its own costing seconds.
    if (!constraints.isEmpty()) {
      String all = String.join(" AND ", constraints.stream().map(c -> "(" + c + ")").toList());
      builder = builder.property(CONSTRAINT_PROPERTY, all);
    }
    try {
      builder.execute();
    } catch (Exception e) { // e.g. DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION: a concurrent run is creating it
      if (!createdByAnotherRun(spark, path)) {
        throw Errors.cannotCreateTable(path, e);
      }
    }
    return DeltaTable.forPath(spark, path);
  }

  /** Waits briefly for a concurrent run's CREATE TABLE commit to land. */
  private static boolean createdByAnotherRun(SparkSession spark, String path) {
    for (int attempt = 0; attempt < 20; attempt++) {
      if (DeltaTable.isDeltaTable(spark, path)) {
        return true;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** The columns readers filter a table by, given file statistics for data skipping: its key and its dates. */
  public static List<String> statsColumns(TableSchema schema) {
    List<String> out = new ArrayList<>(schema.key());
    schema.columns().stream()
        .filter(c -> c.sparkType() instanceof DateType && !out.contains(c.name()))
        .forEach(c -> out.add(c.name()));
    return out;
  }

  public static long version(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
  }

  /** Reads a table the run needs, failing with the step to run when it is missing. */
  public static Dataset<Row> read(SparkSession spark, String name, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw Errors.missingInput(name, path);
    }
    return spark.read().format("delta").load(path);
  }

  /** A table written by a job: its version after the write, and whether the write changed it. */
  public record Written(long version, boolean changed, long rows) {}

  /**
   * Replaces the table's content with {@code rows} (projected to the declared schema), unless the
   * content is already the same: a re-run on unchanged inputs writes no new version. The commit
   * carries the run id as its user metadata.
   */
  public static Written replaceIfChanged(
      SparkSession spark, String path, TableSchema schema, Dataset<Row> rows, String runId) {
    Dataset<Row> next = Frames.project(rows, schema);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      // A new table: written in one pass and counted from its commit's file statistics.
      createIfMissing(spark, path, schema.sparkSchema(), List.of(), statsColumns(schema));
      overwrite(next, path, runId);
      long version = version(spark, path);
      return new Written(version, true, rowsAt(spark, path, version));
    }
    next.persist();
    try {
      long count = next.count();
      Dataset<Row> current = spark.read().format("delta").load(path);
      if (current.count() == count && next.exceptAll(current).isEmpty()) {
        return new Written(version(spark, path), false, count);
      }
      overwrite(next, path, runId);
      return new Written(version(spark, path), true, count);
    } finally {
      next.unpersist();
    }
  }

  private static void overwrite(Dataset<Row> rows, String path, String runId) {
    rows.write().format("delta").mode("overwrite").option("userMetadata", runId).save(path);
  }

  /** The rows of the table at a version; Delta answers from its file statistics, without a scan. */
  public static long rowsAt(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path).count();
  }

  /**
   * Appends rows to a table, creating it from its declared schema on first use. Columns added to
   * the declared schema since the table was created are added to the table (schema evolution).
   */
  public static long append(SparkSession spark, String path, TableSchema schema, Dataset<Row> rows) {
    createIfMissing(spark, path, schema.sparkSchema(), List.of());
    rows.write().format("delta").mode("append").option("mergeSchema", "true").save(path);
    return version(spark, path);
  }
}
