package org.aigap.conform;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.trunc;

import org.aigap.core.Frames;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Funding rounds on one footing: each deal's amount in USD and in CNY at the spot rate of its
 * announcement day ({@link SpotRates}), whether a sovereign wealth fund took part, and the investor
 * types as a list. A deal without a rate keeps null amounts, for its rule to quarantine.
 */
public final class FundingRounds {
  private FundingRounds() {}

  public static Dataset<Row> conform(Dataset<Row> bronze, Dataset<Row> rates) {
    Dataset<Row> byDay =
        SpotRates.byDay(rates)
            .select(
                col("currency"),
                col("day").as("announced_date"),
                col("fx_rate_date"),
                col("usd_per_unit"),
                col("cny_per_unit"));
    Column types = expr("transform(split(investors, ';'), i -> element_at(split(i, '\\\\|'), 2))");
    return bronze
        .join(broadcast(byDay), Frames.seq("currency", "announced_date"), "left")
        .withColumn("month", trunc(col("announced_date"), "month"))
        .withColumn("amount_usd", col("amount").multiply(col("usd_per_unit")).cast(Money.AMOUNT))
        .withColumn("amount_cny", col("amount").multiply(col("cny_per_unit")).cast(Money.AMOUNT))
        .withColumn("investor_types", expr("array_sort(array_distinct(" + types + "))"))
        .withColumn("investor_count", expr("size(split(investors, ';'))"))
        .withColumn("sovereign", array_contains(col("investor_types"), "sovereign_wealth_fund"));
  }
}
