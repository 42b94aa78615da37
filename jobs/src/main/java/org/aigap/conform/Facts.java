package org.aigap.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.aigap.core.Errors;
import org.aigap.core.Frames;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DecimalType;

/** Facts on one footing: scale, percent as fraction, USD and CNY at the right dated rate, months, run-rates, choice among sources. */
final class Facts {
  private static final DecimalType VALUE = new DecimalType(38, 6);
  private static final DecimalType AMOUNT = new DecimalType(38, 4);
  private static final DecimalType RATE = new DecimalType(30, 18);

  private Facts() {}

  /** Adds entity_id and country through the alias table; both null where the name is unknown. */
  static Dataset<Row> resolve(Dataset<Row> facts, Dataset<Row> aliases, Dataset<Row> entities) {
    Dataset<Row> a =
        aliases.select(col("alias_key"), col("entity_id"))
            .join(entities.select(col("entity_id"), col("country")), Frames.seq("entity_id"));
    return facts
        .withColumn("alias_key", ConformJob.keyOf(col("entity_name")))
        .join(a, Frames.seq("alias_key"), "left")
        .drop("alias_key");
  }

  static Dataset<Row> conform(Dataset<Row> resolved, Dataset<Row> rates, long version) {
    Column percent = col("unit").equalTo("percent");
    Column scaled = col("scale").cast(VALUE);
    Dataset<Row> f =
        resolved
            .withColumn("low", when(percent, col("value_low").divide(100)).otherwise(col("value_low").multiply(scaled)).cast(VALUE))
            .withColumn("high", when(percent, col("value_high").divide(100)).otherwise(col("value_high").multiply(scaled)).cast(VALUE))
            .withColumn("mid", col("low").plus(col("high")).divide(2).cast(VALUE))
            .withColumn("period_months", round(months_between(date_add(col("period_end"), 1), col("period_start")), 4).cast(new DecimalType(10, 4)))
            .withColumn(
                "fx_basis",
                when(col("currency").isNull(), lit(null))
                    .when(col("kind").equalTo("flow").and(col("period_start").isNotNull()), lit("period_average"))
                    .otherwise(lit("spot")));

    Dataset<Row> withFx = f.join(spotRates(f, rates).unionByName(averageRates(f, rates)), Frames.seq("fact_id"), "left");
    failOnMissingRate(withFx);

    Dataset<Row> amounts =
        withFx
            .withColumn("usd_low", col("low").multiply(col("usd_per_unit")).cast(AMOUNT))
            .withColumn("usd_mid", col("mid").multiply(col("usd_per_unit")).cast(AMOUNT))
            .withColumn("usd_high", col("high").multiply(col("usd_per_unit")).cast(AMOUNT))
            .withColumn("cny_low", col("low").multiply(col("cny_per_unit")).cast(AMOUNT))
            .withColumn("cny_mid", col("mid").multiply(col("cny_per_unit")).cast(AMOUNT))
            .withColumn("cny_high", col("high").multiply(col("cny_per_unit")).cast(AMOUNT))
            .withColumn("usd_monthly_run_rate", col("usd_mid").divide(col("period_months")).cast(AMOUNT))
            .withColumn("usd_annualised", col("usd_monthly_run_rate").multiply(12).cast(AMOUNT));

    // Several sources for one entity, metric and period: keep all, prefer one, show the spread.
    WindowSpec same =
        Window.partitionBy(
            col("entity_id"), col("metric"),
            when(col("period_start").isNull(), col("as_of_date")).otherwise(col("period_start")),
            when(col("period_end").isNull(), col("as_of_date")).otherwise(col("period_end")));
    // Amounts compare in USD (the same figure may be given in USD and in CNY), others as they are.
    Column comparable = coalesce(col("usd_mid"), col("mid")).cast("double");
    WindowSpec ranked =
        same.orderBy(
            col("as_of_basis").equalTo("stated").desc(),
            col("as_of_date").desc(),
            col("qualifier").equalTo("exact").desc(),
            coalesce(col("usd_high").minus(col("usd_low")), col("high").minus(col("low"))).asc(),
            col("fact_id").asc());
    return amounts
        .withColumn("sources_for_key", count(lit(1)).over(same).cast("int"))
        .withColumn("is_preferred", row_number().over(ranked).equalTo(1))
        .withColumn(
            "spread",
            when(
                count(lit(1)).over(same).gt(1),
                max(comparable).over(same).minus(min(comparable).over(same))
                    .divide(nullif(min(comparable).over(same), lit(0.0)))))
        .withColumn("bronze_fact_ids", array(col("fact_id")))
        .withColumn("bronze_version", lit(version));
  }

  /** The rate on, or last before, the as-of date (no older than MAX_SPOT_AGE_DAYS). */
  private static Dataset<Row> spotRates(Dataset<Row> f, Dataset<Row> rates) {
    Dataset<Row> r = rates.select(col("currency").as("r_currency"), col("rate_date"), col("usd_per_unit"), col("cny_per_unit"), col("source").as("fx_source"));
    Dataset<Row> spot = f.filter(col("fx_basis").equalTo("spot")).select("fact_id", "currency", "as_of_date");
    Dataset<Row> joined =
        spot.join(
            r,
            col("r_currency").equalTo(col("currency"))
                .and(col("rate_date").leq(col("as_of_date")))
                .and(col("rate_date").geq(date_sub(col("as_of_date"), ConformJob.MAX_SPOT_AGE_DAYS))));
    return joined
        .withColumn("rn", row_number().over(Window.partitionBy("fact_id").orderBy(col("rate_date").desc())))
        .filter(col("rn").equalTo(1))
        .select(
            col("fact_id"),
            col("rate_date").as("fx_rate_date"),
            lit(null).cast("int").as("fx_days"),
            col("usd_per_unit"),
            col("cny_per_unit"),
            col("fx_source"));
  }

  /** The mean of the daily rates over the fact's period. */
  private static Dataset<Row> averageRates(Dataset<Row> f, Dataset<Row> rates) {
    Dataset<Row> r = rates.select(col("currency").as("r_currency"), col("rate_date"), col("usd_per_unit"), col("cny_per_unit"), col("source").as("fx_source"));
    Dataset<Row> flows = f.filter(col("fx_basis").equalTo("period_average")).select("fact_id", "currency", "period_start", "period_end");
    return flows
        .join(r, col("r_currency").equalTo(col("currency")).and(col("rate_date").between(col("period_start"), col("period_end"))))
        .groupBy("fact_id", "period_start", "period_end")
        .agg(
            min("rate_date").as("first_rate"),
            max("rate_date").as("last_rate"),
            count(lit(1)).cast("int").as("fx_days"),
            avg("usd_per_unit").cast(RATE).as("usd_per_unit"),
            avg("cny_per_unit").cast(RATE).as("cny_per_unit"),
            max("fx_source").as("fx_source"))
        // Rates that cover only part of the period (the ECB file ends too early) are no average of it.
        .filter(
            col("first_rate").leq(date_add(col("period_start"), ConformJob.MAX_SPOT_AGE_DAYS))
                .and(col("last_rate").geq(date_sub(col("period_end"), ConformJob.MAX_SPOT_AGE_DAYS))))
        .select(col("fact_id"), lit(null).cast("date").as("fx_rate_date"), col("fx_days"), col("usd_per_unit"), col("cny_per_unit"), col("fx_source"));
  }

  private static void failOnMissingRate(Dataset<Row> withFx) {
    List<Row> missing =
        withFx.filter(col("currency").isNotNull().and(col("usd_per_unit").isNull()))
            .select(
                col("currency"),
                when(col("fx_basis").equalTo("spot"), concat(lit("on or up to " + ConformJob.MAX_SPOT_AGE_DAYS + " days before "), col("as_of_date").cast("string")))
                    .otherwise(concat(lit("covering the period "), col("period_start").cast("string"), lit(" to "), col("period_end").cast("string"))),
                col("fact_id"))
            .orderBy("fact_id")
            .limit(1)
            .collectAsList();
    if (!missing.isEmpty()) {
      Row m = missing.get(0);
      throw Errors.missingFxRate(m.getString(0), m.getString(1), m.getString(2));
    }
  }
}
