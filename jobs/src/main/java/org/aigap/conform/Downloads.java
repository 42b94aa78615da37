package org.aigap.conform;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Daily model downloads per origin country: the grain every download share and cumulative count is
 * computed from, small enough (days x countries) for the outputs to scan in a moment even when
 * bronze holds a hundred million model-days.
 */
public final class Downloads {
  private Downloads() {}

  public static Dataset<Row> daily(Dataset<Row> bronze) {
    return bronze
        .groupBy("date", "origin_country")
        .agg(count(lit(1)).as("model_days"), sum("downloads").as("downloads"));
  }
}
