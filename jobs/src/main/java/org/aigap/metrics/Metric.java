package org.aigap.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One gold output. It reads the silver views registered by {@link MetricsJob} (silver_NAME for
 * each of its SILVER_INPUTS) and returns rows in the shape declared in
 * schemas/gold/NAME.json; every row carries its lineage: the fact ids, citations and quotes it was
 * computed from, or the feed it sums.
 */
public interface Metric {
  String name();

  /** The Spark SQL that computes the output from the silver views. */
  String sql();

  default Dataset<Row> compute(SparkSession spark) {
    return spark.sql(sql());
  }
}
