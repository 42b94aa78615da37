package org.aigap.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Cross rates from the ECB's wide table of euro reference rates: for each day and currency, the
 * value of one unit in USD and in CNY (through the euro), with EUR itself at 1 per EUR. A day
 * without a USD or CNY rate, or without the currency's own, gives no row.
 */
public final class FxRates {
  private FxRates() {}

  /**
   * @param dateColumn the ECB table's date column; every other column not starting with an
   *     underscore (lineage) is a currency
   * @param source the public source the rates are cited from
   */
  public static Dataset<Row> conform(Dataset<Row> bronze, String dateColumn, String source) {
    List<String> currencies =
        Arrays.stream(bronze.columns())
            .filter(c -> !c.equals(dateColumn) && !c.startsWith("_"))
            .toList();
    StringBuilder stack =
        new StringBuilder("stack(" + (currencies.size() + 1) + ", 'EUR', CAST(1 AS DECIMAL(18,6))");
    for (String c : currencies) {
      stack.append(", '").append(c).append("', `").append(c).append('`');
    }
    stack.append(") AS (currency, units_per_eur)");
    return bronze
        .selectExpr(
            "`" + dateColumn + "` AS rate_date",
            "`USD` AS usd_per_eur",
            "`CNY` AS cny_per_eur",
            stack.toString())
        .filter(
            col("units_per_eur")
                .isNotNull()
                .and(col("usd_per_eur").isNotNull())
                .and(col("cny_per_eur").isNotNull()))
        .withColumn(
            "usd_per_unit", col("usd_per_eur").divide(col("units_per_eur")).cast(Money.RATE))
        .withColumn(
            "cny_per_unit", col("cny_per_eur").divide(col("units_per_eur")).cast(Money.RATE))
        .withColumn("source", lit(source));
  }
}
