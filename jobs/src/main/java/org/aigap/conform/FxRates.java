package org.aigap.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import org.aigap.core.ColumnSpec;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DecimalType;

/**
 * Cross rates from the ECB's wide table of euro reference rates: for each day and currency, the
 * value of one unit in USD and in CNY (through the euro), with EUR itself at 1 per EUR.
 */
final class FxRates {
  private static final DecimalType RATE = new DecimalType(30, 18);

  private FxRates() {}

  static Dataset<Row> conform(Dataset<Row> bronze, TableSchema ecb, long version) {
    String dateColumn = ecb.key().get(0);
    List<String> currencies = new ArrayList<>();
    for (ColumnSpec c : ecb.columns()) {
      if (!c.name().equals(dateColumn) && !c.name().startsWith("_")) {
        currencies.add(c.name());
      }
    }
    StringBuilder stack = new StringBuilder("stack(" + (currencies.size() + 1) + ", 'EUR', CAST(1 AS DECIMAL(18,6))");
    for (String c : currencies) {
      stack.append(", '").append(c).append("', `").append(c).append('`');
    }
    stack.append(") AS (currency, units_per_eur)");
    Dataset<Row> daily =
        bronze.selectExpr("`" + dateColumn + "` AS rate_date", "`USD` AS usd_per_eur", "`CNY` AS cny_per_eur", stack.toString())
            .filter(col("units_per_eur").isNotNull().and(col("usd_per_eur").isNotNull()).and(col("cny_per_eur").isNotNull()));
    return daily
        .withColumn("usd_per_unit", col("usd_per_eur").divide(col("units_per_eur")).cast(RATE))
        .withColumn("cny_per_unit", col("cny_per_eur").divide(col("units_per_eur")).cast(RATE))
        .withColumn("source", lit(ecb.source() == null ? "ECB euro foreign exchange reference rates" : ecb.source()))
        .withColumn("bronze_version", lit(version));
  }
}
