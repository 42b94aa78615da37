package org.aigap.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The spot-rate rule, in one place: an amount dated D is converted at the ECB rate of D, or of the
 * last ECB day before D, at most {@link Conventions#MAX_SPOT_AGE_DAYS} back (a weekend or holiday
 * falls back to the last business day). As a table of every calendar day the rates cover, so that
 * facts and a million deals alike join it on equality instead of a range join.
 */
public final class SpotRates {
  private SpotRates() {}

  /** (currency, day, fx_rate_date, usd_per_unit, cny_per_unit, fx_source) for each covered day. */
  public static Dataset<Row> byDay(Dataset<Row> rates) {
    Dataset<Row> days =
        rates.groupBy("currency")
            .agg(min("rate_date").as("first"), max("rate_date").as("last"))
            .select(col("currency"), expr("explode(sequence(first, date_add(last, " + Conventions.MAX_SPOT_AGE_DAYS + "))) AS day"));
    Dataset<Row> r =
        rates.select(col("currency").as("r_currency"), col("rate_date"), col("usd_per_unit"), col("cny_per_unit"), col("source"));
    return days.join(
            r,
            col("r_currency").equalTo(col("currency"))
                .and(col("rate_date").leq(col("day")))
                .and(col("rate_date").geq(date_sub(col("day"), Conventions.MAX_SPOT_AGE_DAYS))))
        .groupBy("currency", "day")
        .agg(
            max("rate_date").as("fx_rate_date"),
            max_by(col("usd_per_unit"), col("rate_date")).as("usd_per_unit"),
            max_by(col("cny_per_unit"), col("rate_date")).as("cny_per_unit"),
            max_by(col("source"), col("rate_date")).as("fx_source"));
  }

  /** Why an amount dated {@code date} in {@code currency} has no rate. */
  public static String missingRateSql(String currency, String date) {
    return "concat('no FX reference rate for ', " + currency + ", ' on or up to " + Conventions.MAX_SPOT_AGE_DAYS
        + " days before ', CAST(" + date + " AS STRING), '; extend data/raw/eurofxref-hist.csv')";
  }
}
