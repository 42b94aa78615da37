package org.aigap.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One gold output. It reads the silver views registered by {@link MetricsJob} (silver_facts,
 * silver_claims, silver_fx_rates, silver_entities) and returns rows in the shape declared in
 * schemas/gold/NAME.json; every row carries the fact ids, citations and quotes it was computed from.
 */
public interface Metric {
  String name();

  /** The Spark SQL that computes the output from the silver views. */
  String sql();

  default Dataset<Row> compute(SparkSession spark) {
    return spark.sql(sql());
  }
}
