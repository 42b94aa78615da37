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
}
