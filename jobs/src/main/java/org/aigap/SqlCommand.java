package org.aigap;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigap.core.DeltaTables;
import org.aigap.core.Errors;
import org.aigap.core.LakehousePaths;
import org.aigap.core.SchemaCatalog;
import org.aigap.graph.DataflowGraph;
import org.aigap.graph.DatasetDef;
import org.aigap.graph.Layer;
import org.aigap.metrics.ParquetOutput;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code aigap sql "QUERY"}: one Spark SQL query over every dataset by its name ({@code
 * bronze.facts}, {@code silver.facts}, {@code gold.claim_checks}) and the system tables ({@code
 * bronze.quarantine}, {@code audit.run_log}). Each Delta table is read at its latest committed
 * version, each output as its manifest says it was written; a dataset not built yet is absent.
 */
final class SqlCommand {
  private SqlCommand() {}

  /**
   * Where each name the query may use is stored, and whether it is a Delta table (else a Parquet
   * output).
   */
  record Source(String path, boolean delta) {}

  static Map<String, Source> sources(DataflowGraph graph, LakehousePaths paths) {
    Map<String, Source> out = new LinkedHashMap<>();
    for (DatasetDef d : graph.inRunOrder()) {
      out.put(d.name(), new Source(d.path(paths), d.layer() != Layer.GOLD));
    }
    out.put("bronze.quarantine", new Source(paths.table(SchemaCatalog.BRONZE, "quarantine"), true));
    out.put("audit.run_log", new Source(paths.table(SchemaCatalog.AUDIT, "run_log"), true));
    return out;
  }

  /**
   * The query's result. The names are tables of a session catalog of their own (its databases in a
   * temporary folder, removed when the JVM exits, so nothing is written next to the data); a table
   * is registered only when its data exists, so a query naming one not built yet fails with Spark's
   * "table not found".
   */
  static Dataset<Row> query(
      SparkSession spark, DataflowGraph graph, LakehousePaths paths, String sql) {
    var hadoop = spark.sparkContext().hadoopConfiguration();
    List<String> databases = new ArrayList<>();
    try {
      java.nio.file.Path catalog = Files.createTempDirectory("aigap-sql");
      catalog.toFile().deleteOnExit(); // after its databases' folders, registered later
      String catalogDir = catalog.toUri().toString();
      for (Map.Entry<String, Source> e : sources(graph, paths).entrySet()) {
        String[] name = e.getKey().split("\\.", 2);
        Source s = e.getValue();
        // An output is read at its committed run's folder: never a run being written beside it.
        String location;
        if (s.delta()) {
          location = DeltaTables.exists(spark, s.path()) ? s.path() : null;
        } else {
          location = ParquetOutput.committedFolder(s.path(), hadoop);
        }
        if (location == null) {
          continue;
        }
        if (!databases.contains(name[0])) {
          spark.sql(
              "CREATE DATABASE IF NOT EXISTS `"
                  + name[0]
                  + "` LOCATION '"
                  + catalogDir
                  + name[0]
                  + ".db'");
          catalog.resolve(name[0] + ".db").toFile().deleteOnExit();
          databases.add(name[0]);
        }
        spark.sql(
            "CREATE TABLE IF NOT EXISTS `"
                + name[0]
                + "`.`"
                + name[1]
                + "` USING "
                + (s.delta() ? "delta" : "parquet")
                + " LOCATION '"
                + location.replace("'", "\\'")
                + "'");
      }
    } catch (java.io.IOException e) {
      throw Errors.cannotRead("a temporary folder for", "the sql command's catalog", e);
    }
    try {
      return spark.sql(sql);
    } catch (Exception e) { // Spark's parse and analysis errors are checked exceptions
      throw Errors.usage("The query does not run: " + Errors.firstLine(e));
    }
  }
}
