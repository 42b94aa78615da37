package org.aigap.core;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a run uses. Settings resolve in one order: spark-submit's --conf or
 * spark-defaults.conf first, then the defaults below. Without a master (a plain java launch) the
 * session runs in local mode.
 */
public final class SparkSessions {
  public static final String LOCAL_MASTER = "local[2]";

  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName, String warehouse) {
    SparkConf conf = new SparkConf(); // picks up spark.* system properties set by spark-submit
    conf.setIfMissing("spark.master", LOCAL_MASTER);
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.setIfMissing(
        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    // Small data: a handful of shuffle partitions instead of 200 tiny tasks.
    conf.setIfMissing("spark.sql.shuffle.partitions", "4");
    // Delta rebuilds a table's state from its log with this many tasks (default 50): our logs are
    // short, and 50 tasks per snapshot made up a third of a run on the shipped data. A cluster with
    // tables of many thousands of files can raise it with --conf.
    conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "1");
    // Ingest filters on flags computed from a hundred or so checks per row; inferring constraints
    // from such a plan takes the optimizer minutes (and gigabytes) and saves nothing here.
    conf.setIfMissing("spark.sql.constraintPropagation.enabled", "false");
    // Dates such as 2025-11-15 and run timestamps must never shift with the machine's zone.
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
    // Local paths without a chmod or readlink process per file Hadoop creates or renames.
    NioLocalFileSystem.SETTINGS.forEach((k, v) -> conf.setIfMissing("spark.hadoop." + k, v));
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing("spark.sql.warehouse.dir", warehouse + "/_spark_sql");
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
