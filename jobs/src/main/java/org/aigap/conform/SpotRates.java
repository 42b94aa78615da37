package org.aigap.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.sequence;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The spot-rate rule, in one place: an amount dated D is converted at the ECB rate of D, or of the
 * last ECB day before D, at most {@link Conventions#MAX_SPOT_AGE_DAYS} back (a weekend or holiday
 * falls back to the last business day). As a table of every calendar day the rates cover, so that
 * facts and a million deals alike join it on equality instead of a range join.
 */
public final class SpotRates {
  private SpotRates() {}

  /**
   * (currency, day, fx_rate_date, usd_per_unit, cny_per_unit, fx_source) for each covered day: each
   * rate covers its own day and the days after it until the next rate, at most {@link
   * Conventions#MAX_SPOT_AGE_DAYS} of them. Linear in the rates, without a join.
   */
  public static Dataset<Row> byDay(Dataset<Row> rates) {
    Column next =
        lead(col("rate_date"), 1).over(Window.partitionBy("currency").orderBy("rate_date"));
    Column lastDay =
        least(
            date_add(col("rate_date"), Conventions.MAX_SPOT_AGE_DAYS),
            coalesce(date_sub(next, 1), date_add(col("rate_date"), Conventions.MAX_SPOT_AGE_DAYS)));
    return rates
        .withColumn("_last_day", lastDay)
        .select(
            col("currency"),
            explode(sequence(col("rate_date"), col("_last_day"))).as("day"),
            col("rate_date").as("fx_rate_date"),
            col("usd_per_unit"),
            col("cny_per_unit"),
            col("source").as("fx_source"));
  }

  /** Why an amount dated {@code date} in {@code currency} has no rate. */
  public static String missingRateSql(String currency, String date) {
    return "concat('no FX reference rate for ', "
        + currency
        + ", ' on or up to "
        + Conventions.MAX_SPOT_AGE_DAYS
        + " days before ', CAST("
        + date
        + " AS STRING), '; extend data/raw/eurofxref-hist.csv')";
  }
}
