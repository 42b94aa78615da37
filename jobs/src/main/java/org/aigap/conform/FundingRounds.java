package org.aigap.conform;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.trunc;

import org.aigap.core.Frames;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DecimalType;

/**
 * Funding rounds on one footing: each deal's amount in USD and in CNY at the FX rate of its
 * announcement day (or the last ECB day before it, at most {@link ConformJob#MAX_SPOT_AGE_DAYS}
 * back), whether a sovereign wealth fund took part, and the investor types as a list.
 */
final class FundingRounds {
  private static final DecimalType AMOUNT = new DecimalType(38, 4);

  private FundingRounds() {}

  /**
   * The rate in force on every calendar day the rates cover (ECB days and the gaps between them):
   * a small table, so the deals join it on equality instead of a range join over a million rows.
   */
  static Dataset<Row> ratesByDay(Dataset<Row> rates) {
    Dataset<Row> days =
        rates.groupBy("currency")
            .agg(min("rate_date").as("first"), max("rate_date").as("last"))
            .select(col("currency"), expr("explode(sequence(first, date_add(last, " + ConformJob.MAX_SPOT_AGE_DAYS + "))) AS day"));
    Dataset<Row> r = rates.select(col("currency").as("r_currency"), col("rate_date"), col("usd_per_unit"), col("cny_per_unit"));
    return days.join(
            r,
            col("r_currency").equalTo(col("currency"))
                .and(col("rate_date").leq(col("day")))
                .and(col("rate_date").geq(date_sub(col("day"), ConformJob.MAX_SPOT_AGE_DAYS))))
        .groupBy("currency", "day")
        .agg(
            max("rate_date").as("fx_rate_date"),
            max_by(col("usd_per_unit"), col("rate_date")).as("usd_per_unit"),
            max_by(col("cny_per_unit"), col("rate_date")).as("cny_per_unit"));
  }

  /** Deals with their rate; a deal without one has null rates and is quarantined by the job. */
  static Dataset<Row> withRates(Dataset<Row> bronze, Dataset<Row> ratesByDay) {
    return bronze
        .join(
            broadcast(ratesByDay.withColumnRenamed("day", "announced_date")),
            Frames.seq("currency", "announced_date"),
            "left");
  }

  static Dataset<Row> conform(Dataset<Row> withRates, long version) {
    Column types = expr("transform(split(investors, ';'), i -> element_at(split(i, '\\\\|'), 2))");
    return withRates
        .withColumn("month", trunc(col("announced_date"), "month"))
        .withColumn("amount_usd", col("amount").multiply(col("usd_per_unit")).cast(AMOUNT))
        .withColumn("amount_cny", col("amount").multiply(col("cny_per_unit")).cast(AMOUNT))
        .withColumn("investor_types", expr("array_sort(array_distinct(" + types + "))"))
        .withColumn("investor_count", expr("size(split(investors, ';'))"))
        .withColumn("sovereign", array_contains(col("investor_types"), "sovereign_wealth_fund"))
        .withColumn("bronze_version", lit(version));
  }

  /** Why a deal has no rate: the message a quarantined deal carries. */
  static Column missingRateReason() {
    return concat(
        lit("no FX reference rate for "), col("currency"), lit(" on or up to " + ConformJob.MAX_SPOT_AGE_DAYS + " days before "),
        col("announced_date").cast("string"), lit("; extend data/raw/eurofxref-hist.csv"));
  }

}
