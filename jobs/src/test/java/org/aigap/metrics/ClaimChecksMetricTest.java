package org.aigap.metrics;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClaimChecksMetricTest {
  private static Row claim(Dataset<Row> checks, String id) {
    return checks.filter("claim_id = '" + id + "'").first();
  }

  @Test
  void everyClaimInTheExtractIsChecked() {
    ShippedRun run = ShippedRun.get();
    assertEquals(run.silver("claims").count(), run.output("claim_checks").count());
  }

  @Test
  void theArticles1Point8PercentForXpengHoldsAtTheMarketRate() {
    Row r = claim(ShippedRun.get().output("claim_checks"), "xpeng_1_8pct_of_tesla");
    assertEquals("consistent", r.getAs("verdict"));
    assertEquals(1.75, r.<Double>getAs("stated_min"), 1e-12, "1.8 as written covers 1.75 to 1.85");
  }

  @Test
  void over93PercentHoldsFor433Of464() {
    Row r = claim(ShippedRun.get().output("claim_checks"), "swf_us_startups_share_over_93pct");
    assertEquals("consistent", r.getAs("verdict"));
    assertEquals(43300.0 / 464, r.<Double>getAs("recomputed_low"), 1e-9);
  }

  @Test
  void kimiAndXpengAtAbout1PercentHoldsForKimiButNotForXpeng() {
    Dataset<Row> checks = ShippedRun.get().output("claim_checks");
    assertEquals("consistent", claim(checks, "kimi_about_1pct_of_openai").getAs("verdict"));
    assertEquals("inconsistent", claim(checks, "xpeng_about_1pct_of_tesla").getAs("verdict"));
  }

  @Test
  void figureAisRmbEquivalentUsesAnFxRateThatDiffersFromTheMarkets() {
    Row r = claim(ShippedRun.get().output("claim_checks"), "figure_ai_usd_to_cny");
    assertEquals("approximate", r.getAs("verdict"));
    assertEquals(2650, r.<Double>getAs("stated_min"), 1e-9, "about 2700: its trailing zeros are not significant");
    String reason = r.getAs("reason");
    assertTrue(reason.contains("the document implies 6.9231 CNY per USD"), reason); // 2700 / 390
    assertTrue(reason.contains("the ECB cross rate on 2025-11-14"), reason);
  }

  @Test
  void aClaimMadeInconsistentInAFixtureIsCaught() {
    ShippedRun run = ShippedRun.get();
    Dataset<Row> claims =
        run.silver("claims")
            .withColumn("stated_low", when(col("claim_id").equalTo("xpeng_1_8pct_of_tesla"), lit(2.5)).otherwise(col("stated_low")).cast("decimal(38,12)"))
            .withColumn("stated_high", when(col("claim_id").equalTo("xpeng_1_8pct_of_tesla"), lit(2.5)).otherwise(col("stated_high")).cast("decimal(38,12)"));
    Row r = claim(run.compute("gold.claim_checks", Map.of("silver.claims", claims)), "xpeng_1_8pct_of_tesla");
    assertEquals("inconsistent", r.getAs("verdict"));
    assertTrue(r.<String>getAs("reason").contains("missing by"), r.<String>getAs("reason"));
    List<String> ids = r.getList(r.fieldIndex("fact_ids"));
    assertTrue(ids.containsAll(List.of("xpeng_market_cap_2025", "tesla_market_cap_2025")));
  }
}
