package org.aigap.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
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

import org.aigap.core.Frames;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DecimalType;

/**
 * Facts on one footing: entity resolved through the alias table, scale applied, percent as a
 * fraction, USD and CNY at the dated rate that fits the fact, months, run-rates, the day a total
 * counts until, and the choice among several sources. A fact whose name resolves to no entity keeps
 * a null entity_id, and one without a rate null amounts, for the dataset's rules to judge.
 */
public final class Facts {
  private static final DecimalType VALUE = new DecimalType(38, 6);

  private Facts() {}

  public static Dataset<Row> conform(
      Dataset<Row> bronze, Dataset<Row> aliases, Dataset<Row> entities, Dataset<Row> rates) {
    return onOneFooting(resolve(bronze, aliases, entities), rates);
  }

  /** Adds entity_id and country through the alias table; both null where the name is unknown. */
  static Dataset<Row> resolve(Dataset<Row> facts, Dataset<Row> aliases, Dataset<Row> entities) {
    Dataset<Row> a =
        aliases
            .select(col("alias_key"), col("entity_id"))
            .join(entities.select(col("entity_id"), col("country")), Frames.seq("entity_id"));
    return facts
        .withColumn("alias_key", Conventions.aliasKey(col("entity_name")))
        .join(a, Frames.seq("alias_key"), "left")
        .drop("alias_key");
  }

  static Dataset<Row> onOneFooting(Dataset<Row> resolved, Dataset<Row> rates) {
    Column percent = col("unit").equalTo("percent");
    Column scaled = col("scale").cast(VALUE);
    Dataset<Row> f =
        resolved
            .withColumn(
                "low",
                when(percent, col("value_low").divide(100))
                    .otherwise(col("value_low").multiply(scaled))
                    .cast(VALUE))
            .withColumn(
                "high",
                when(percent, col("value_high").divide(100))
                    .otherwise(col("value_high").multiply(scaled))
                    .cast(VALUE))
            .withColumn("mid", col("low").plus(col("high")).divide(2).cast(VALUE))
            .withColumn(
                "period_months",
                round(months_between(date_add(col("period_end"), 1), col("period_start")), 4)
                    .cast(new DecimalType(10, 4)))
            .withColumn(
                "fx_basis",
                when(col("currency").isNull(), lit(null))
                    .when(
                        col("kind").equalTo("flow").and(col("period_start").isNotNull()),
                        lit("period_average"))
                    .otherwise(lit("spot")));

    Dataset<Row> withFx =
        f.join(
            spotRates(f, rates).unionByName(averageRates(f, rates)), Frames.seq("fact_id"), "left");

    Dataset<Row> amounts =
        withFx
            .withColumn("usd_low", col("low").multiply(col("usd_per_unit")).cast(Money.AMOUNT))
            .withColumn("usd_mid", col("mid").multiply(col("usd_per_unit")).cast(Money.AMOUNT))
            .withColumn("usd_high", col("high").multiply(col("usd_per_unit")).cast(Money.AMOUNT))
            .withColumn("cny_low", col("low").multiply(col("cny_per_unit")).cast(Money.AMOUNT))
            .withColumn("cny_mid", col("mid").multiply(col("cny_per_unit")).cast(Money.AMOUNT))
            .withColumn("cny_high", col("high").multiply(col("cny_per_unit")).cast(Money.AMOUNT))
            .withColumn(
                "usd_monthly_run_rate",
                col("usd_mid").divide(col("period_months")).cast(Money.AMOUNT))
            .withColumn(
                "usd_annualised", col("usd_monthly_run_rate").multiply(12).cast(Money.AMOUNT))
            .withColumn(
                "counted_until",
                Conventions.countedUntil(col("kind"), col("period_end"), col("as_of_date")));

    // Several sources for one entity, metric and period: keep all, prefer one, show the spread.
    WindowSpec same =
        Window.partitionBy(
            col("entity_id"),
            col("metric"),
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
                max(comparable)
                    .over(same)
                    .minus(min(comparable).over(same))
                    .divide(nullif(min(comparable).over(same), lit(0.0)))))
        .withColumn("bronze_fact_ids", array(col("fact_id")));
  }

  /** The spot rate of the as-of date ({@link SpotRates}). */
  private static Dataset<Row> spotRates(Dataset<Row> f, Dataset<Row> rates) {
    return f.filter(col("fx_basis").equalTo("spot"))
        .select(col("fact_id"), col("currency"), col("as_of_date").as("day"))
        .join(SpotRates.byDay(rates), Frames.seq("currency", "day"))
        .select(
            col("fact_id"),
            col("fx_rate_date"),
            lit(null).cast("int").as("fx_days"),
            col("usd_per_unit"),
            col("cny_per_unit"),
            col("fx_source"));
  }

  /** The mean of the daily rates over the fact's period. */
  private static Dataset<Row> averageRates(Dataset<Row> f, Dataset<Row> rates) {
    Dataset<Row> r =
        rates.select(
            col("currency").as("r_currency"),
            col("rate_date"),
            col("usd_per_unit"),
            col("cny_per_unit"),
            col("source").as("fx_source"));
    Dataset<Row> flows =
        f.filter(col("fx_basis").equalTo("period_average"))
            .select("fact_id", "currency", "period_start", "period_end");
    return flows
        .join(
            r,
            col("r_currency")
                .equalTo(col("currency"))
                .and(col("rate_date").between(col("period_start"), col("period_end"))))
        .groupBy("fact_id", "period_start", "period_end")
        .agg(
            min("rate_date").as("first_rate"),
            max("rate_date").as("last_rate"),
            count(lit(1)).cast("int").as("fx_days"),
            avg("usd_per_unit").cast(Money.RATE).as("usd_per_unit"),
            avg("cny_per_unit").cast(Money.RATE).as("cny_per_unit"),
            max("fx_source").as("fx_source"))
        // Rates that cover only part of the period (the ECB file ends too early) are no average of
        // it.
        .filter(
            col("first_rate")
                .leq(date_add(col("period_start"), Conventions.MAX_SPOT_AGE_DAYS))
                .and(
                    col("last_rate")
                        .geq(date_sub(col("period_end"), Conventions.MAX_SPOT_AGE_DAYS))))
        .select(
            col("fact_id"),
            lit(null).cast("date").as("fx_rate_date"),
            col("fx_days"),
            col("usd_per_unit"),
            col("cny_per_unit"),
            col("fx_source"));
  }
}
