package org.aigap.core;

import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's own Spark settings ({@code spark.aigap.*}, each in the README's table), read in
 * one way: a value that is not a whole number is an error naming the setting, not a stack trace.
 */
public final class Settings {
  private Settings() {}

  /** The whole number {@code key} is set to in the session, else {@code defaultValue}. */
  public static long number(SparkSession spark, String key, long defaultValue, String unit) {
    String value = spark.conf().get(key, String.valueOf(defaultValue));
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw Errors.badSetting(key, value, "a whole number of " + unit);
    }
  }
}
