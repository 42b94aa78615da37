package org.aigap.conform;

import org.apache.spark.sql.types.DecimalType;

/**
 * How silver types money, as its schemas declare it: an amount to the ten-thousandth of its
 * currency unit, a rate to 18 places. A transform rounds to them where it computes, so that what it
 * derives from an amount (a run-rate, a sum) starts from the amount as stored.
 */
final class Money {
  private Money() {}

  static final DecimalType AMOUNT = new DecimalType(38, 4);
  static final DecimalType RATE = new DecimalType(30, 18);

  /**
   * One deal's amount, to the ten-thousandth as {@link #AMOUNT}, but up to 10^14 units: 64 bits
   * that Spark sums and Parquet stores without precision 38's big-integer arithmetic on each of a
   * million deals. Room for the largest amount bronze admits (10^12) at any rate up to 100 units of
   * the target currency per unit of the deal's; USD, CNY and HKD stay under 8.
   */
  static final DecimalType DEAL_AMOUNT = new DecimalType(18, 4);
}
