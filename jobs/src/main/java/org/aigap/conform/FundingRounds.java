package org.aigap.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.util.List;
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
  /** The investor types the raw schema's {@code investors} pattern allows, sorted. */
  static final List<String> INVESTOR_TYPES =
      List.of(
          "angel", "corporate", "government_fund", "private_equity", "sovereign_wealth_fund", "vc");

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
    return bronze
        .join(broadcast(byDay), Frames.seq("currency", "announced_date"), "left")
        .withColumn("month", trunc(col("announced_date"), "month"))
        .withColumn(
            "amount_usd", col("amount").multiply(col("usd_per_unit")).cast(Money.DEAL_AMOUNT))
        .withColumn(
            "amount_cny", col("amount").multiply(col("cny_per_unit")).cast(Money.DEAL_AMOUNT))
        .withColumn("investor_types", investorTypes(col("investors")))
        .withColumn("investor_count", size(split(col("investors"), ";")))
        .withColumn("sovereign", array_contains(col("investor_types"), "sovereign_wealth_fund"));
  }

  /**
   * The distinct types named in {@code name|type;name|type...}, in sorted order. Bronze's pattern
   * proves every entry ends in one of the known types, so testing for {@code "|type;"} in the list
   * with a closing ';' is exact. One test per type, each giving its type or nothing, compiles to
   * plain code; splitting and transforming each list ran Spark's interpreted lambdas on every deal.
   */
  static Column investorTypes(Column investors) {
    Column closed = concat(investors, lit(";"));
    Column none = array().cast("array<string>");
    Column[] found =
        INVESTOR_TYPES.stream()
            .map(type -> when(closed.contains("|" + type + ";"), array(lit(type))).otherwise(none))
            .toArray(Column[]::new);
    return concat(found);
  }
}
