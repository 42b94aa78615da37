package org.aigap.bench;

/**
 * The aggregates the contenders compute from the two feeds: the group-bys and sums behind the
 * pipeline's funding_totals and download_shares (deals and amounts per month, country and sovereign
 * participation; downloads, shares and cumulative counts per month and country) and the money
 * totals of feed_reconciliation. Not repeated: the pipeline's largest-deal columns, investor
 * parsing into types, and the join to the facts with verdicts. Spark SQL and DuckDB SQL over the
 * views downloads and deals (with usd_per_unit and cny_per_unit of the deal's day); dialects differ
 * in month truncation and substring search, and DuckDB divides decimals as doubles, so its HKD and
 * CNY conversions can differ from Spark's in the last digits.
 */
final class FeedAggregates {
  private FeedAggregates() {}

  /** Per currency and ECB day: USD and CNY per unit, from the ECB's per-EUR table "ecb". */
  static final String RATES =
      """
      SELECT Date AS rate_date, 'USD' AS currency, CAST(1 AS DECIMAL(30,18)) AS usd_per_unit, CAST(CNY / USD AS DECIMAL(30,18)) AS cny_per_unit
      FROM ecb WHERE USD IS NOT NULL AND CNY IS NOT NULL
      UNION ALL
      SELECT Date, 'CNY', CAST(USD / CNY AS DECIMAL(30,18)), CAST(1 AS DECIMAL(30,18)) FROM ecb WHERE USD IS NOT NULL AND CNY IS NOT NULL
      UNION ALL
      SELECT Date, 'HKD', CAST(USD / HKD AS DECIMAL(30,18)), CAST(CNY / HKD AS DECIMAL(30,18)) FROM ecb
      WHERE USD IS NOT NULL AND CNY IS NOT NULL AND HKD IS NOT NULL
      """;

  static String fundingTotals(String month, String sovereign) {
    return """
    SELECT %1$s AS month, target_country, %2$s AS sovereign, count(*) AS deals,
           CAST(sum(amount * usd_per_unit) AS DECIMAL(38,4)) AS amount_usd,
           CAST(sum(amount * cny_per_unit) AS DECIMAL(38,4)) AS amount_cny
    FROM deals GROUP BY %1$s, target_country, %2$s
    """
        .formatted(month.formatted("announced_date"), sovereign);
  }

  static String downloadShares(String month) {
    return """
    WITH monthly AS (
      SELECT %1$s AS month, origin_country, sum(downloads) AS downloads FROM downloads GROUP BY %1$s, origin_country)
    SELECT month, origin_country, downloads,
           CAST(downloads AS DOUBLE) / sum(downloads) OVER (PARTITION BY month) AS share,
           sum(downloads) OVER (PARTITION BY origin_country ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
             AS cumulative_downloads
    FROM monthly
    """
        .formatted(month.formatted("date"));
  }

  /**
   * The reported totals the reconciliation recomputes (money from deals; shares come from
   * downloadShares).
   */
  static String reconciliation(String sovereign) {
    return """
    SELECT
      sum(CASE WHEN %1$s AND announced_date BETWEEN DATE '2025-01-01' AND DATE '2025-08-31' THEN amount * usd_per_unit END) AS sovereign_usd,
      sum(CASE WHEN %1$s AND target_country = 'US' AND announced_date BETWEEN DATE '2025-01-01' AND DATE '2025-08-31'
               THEN amount * usd_per_unit END) AS sovereign_us_usd,
      sum(CASE WHEN target_country = 'CN' AND announced_date BETWEEN DATE '2025-01-01' AND DATE '2025-11-15'
               THEN amount * cny_per_unit END) AS china_cny
    FROM deals
    """
        .formatted(sovereign);
  }
}
