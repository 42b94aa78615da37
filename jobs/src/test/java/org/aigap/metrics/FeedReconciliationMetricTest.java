package org.aigap.metrics;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FeedReconciliationMetricTest {
  private static Row row(Dataset<Row> rows, String factId) {
    return rows.filter(col("fact_id").equalTo(factId)).first();
  }

  @Test
  void everyFigureTheFeedsCoverIsReconciled() {
    ShippedRun run = ShippedRun.get();
    long covered =
        run.silver("facts")
            .filter(
                "is_preferred AND metric IN ('ai_vc_deal_value', 'ai_funding_total',"
                    + " 'new_download_share', 'cumulative_downloads')")
            .count();
    assertEquals(9, covered);
    List<Row> rows = run.output("feed_reconciliation").collectAsList();
    assertEquals(covered, rows.size());
    rows.forEach(r -> assertEquals("consistent", r.getAs("verdict"), r.<String>getAs("reason")));
  }

  @Test
  void theSovereignTotalsComeOutToTheCentFromTheDeals() {
    Dataset<Row> out = ShippedRun.get().output("feed_reconciliation");
    Row us = row(out, "us_ai_startups_swf_ai_vc_deal_value_2025_01_08");
    assertEquals(0, new BigDecimal("43300000000").compareTo(us.getAs("computed")));
    assertEquals(0, BigDecimal.ZERO.compareTo(us.getAs("difference")));
    assertEquals("silver/funding_rounds", us.getAs("feed_table"));
    assertTrue(
        us.<String>getAs("reason").startsWith("computed 433.0000 (as written) from "),
        us.<String>getAs("reason"));
    Row china = row(out, "china_ai_funding_total_2025_ytd");
    assertEquals("CNY", china.getAs("currency"));
    assertEquals(0, new BigDecimal("48000000000").compareTo(china.getAs("computed")));
  }

  @Test
  void over60PercentIsMetBy61AndTheDifferenceSaysSo() {
    Row r = row(ShippedRun.get().output("feed_reconciliation"), "us_models_download_share_2023_11");
    assertEquals(0, new BigDecimal("61").compareTo(r.getAs("computed")));
    assertEquals(0, BigDecimal.ONE.compareTo(r.getAs("difference")), "percentage points");
    assertEquals(Double.POSITIVE_INFINITY, r.<Double>getAs("stated_max"));
  }

  @Test
  void aDealMissingFromTheFeedShowsAsAnExactShortfall() {
    ShippedRun run = ShippedRun.get();
    Dataset<Row> deals = run.silver("funding_rounds");
    Row dropped =
        deals
            .filter(
                "sovereign AND target_country = 'US' AND announced_date BETWEEN '2025-01-01' AND"
                    + " '2025-08-31'")
            .orderBy(col("amount").desc())
            .first();
    Dataset<Row> out =
        run.compute(
                "gold.feed_reconciliation",
                Map.of(
                    "silver.funding_rounds",
                    deals.filter(col("deal_id").notEqual(dropped.<String>getAs("deal_id")))))
            .cache();
    BigDecimal amount = dropped.getAs("amount");
    for (String factId :
        List.of(
            "us_ai_startups_swf_ai_vc_deal_value_2025_01_08", "swf_ai_vc_deal_value_2025_01_08")) {
      Row r = row(out, factId);
      assertEquals(0, amount.negate().compareTo(r.getAs("difference")), factId);
      assertTrue(
          List.of("approximate", "inconsistent").contains(r.<String>getAs("verdict")),
          r.<String>getAs("reason"));
    }
    assertEquals("consistent", row(out, "china_ai_funding_total_2025_ytd").getAs("verdict"));
  }
}
