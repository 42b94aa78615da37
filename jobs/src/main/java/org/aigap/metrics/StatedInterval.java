package org.aigap.metrics;

/**
 * How a figure as written bounds the true value, as Spark SQL over its columns: from its qualifier
 * and written precision ("1.8%" covers 1.75-1.85; "about 2700" covers 2650-2750, the trailing
 * zeros of a round number not being significant; "over 93%" is 93 and up). A recomputed range is
 * consistent when it meets the interval, approximate when it misses by at most {@link #TOLERANCE}
 * of the stated value, else inconsistent. Shared by the claim checks and the feed reconciliation.
 */
final class StatedInterval {
  static final double TOLERANCE = 0.10;

  private StatedInterval() {}

  /** Half a unit of the last significant written digit of {@code low}. */
  static String halfUnit(String low, String qualifier) {
    return """
        CASE WHEN %2$s = 'about' AND %1$s = floor(%1$s)
             THEN 0.5 * power(10, length(regexp_extract(CAST(CAST(%1$s AS BIGINT) AS STRING), '(0*)$', 1)))
             ELSE 0.5 * power(10, -length(regexp_extract(CAST(%1$s AS STRING), '\\\\.([0-9]*?)0*$', 1)))
        END""".formatted(low, qualifier);
  }

  static String min(String low, String qualifier, String halfUnit) {
    return """
        CASE WHEN %2$s IN ('under', 'up_to') THEN CAST('-Infinity' AS DOUBLE)
             WHEN %2$s IN ('over', 'at_least') THEN CAST(%1$s AS DOUBLE)
             ELSE CAST(%1$s AS DOUBLE) - %3$s END""".formatted(low, qualifier, halfUnit);
  }

  static String max(String high, String qualifier, String halfUnit) {
    return """
        CASE WHEN %2$s IN ('over', 'at_least') THEN CAST('Infinity' AS DOUBLE)
             WHEN %2$s IN ('under', 'up_to') THEN CAST(%1$s AS DOUBLE)
             ELSE CAST(%1$s AS DOUBLE) + %3$s END""".formatted(high, qualifier, halfUnit);
  }

  /** How far the recomputed range lies outside the interval, relative to the stated midpoint. */
  static String relativeMiss(String min, String max, String recomputedLow, String recomputedHigh, String low, String high) {
    return "greatest(%s - %s, %s - %s, 0D) / abs(CAST((%s + %s) / 2 AS DOUBLE))"
        .formatted(min, recomputedHigh, recomputedLow, max, low, high);
  }

  static String verdict(String relativeMiss) {
    return """
        CASE WHEN %1$s = 0 THEN 'consistent'
             WHEN %1$s <= %2$s THEN 'approximate'
             ELSE 'inconsistent' END""".formatted(relativeMiss, TOLERANCE);
  }
}
