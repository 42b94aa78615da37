package org.aigap.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.aigap.EcbRates;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClaimChecksMetricTest {
  private static Row claim(Dataset<Row> checks, String id) {
    return checks.filter("claim_id = '" + id + "'").first();
  }

  @Test
  void everyClaimInTheExtractIsCheckedOnce() throws java.io.IOException {
    List<String> lines =
        java.nio.file.Files.readAllLines(org.aigap.TestLakehouse.SHIPPED_RAW.resolve("claims.csv"));
    List<String> inExtract =
        lines.subList(1, lines.size()).stream()
            .map(l -> l.substring(0, l.indexOf(',')))
            .sorted()
            .toList();
    List<String> checked =
        ShippedRun.get()
            .output("claim_checks")
            .select("claim_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList()
            .stream()
            .sorted()
            .toList();
    assertEquals(inExtract, checked);
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
    assertEquals(
        2650,
        r.<Double>getAs("stated_min"),
        1e-9,
        "about 2700: its trailing zeros are not significant");
    String reason = r.getAs("reason");
    assertTrue(reason.contains("the document implies 6.9231 CNY per USD"), reason); // 2700 / 390
    assertTrue(reason.contains("the ECB cross rate on 2025-11-14"), reason);
  }

  @Test
  void aClaimMadeInconsistentInAFixtureIsCaught() {
    ShippedRun run = ShippedRun.get();
    Dataset<Row> claims =
        run.silver("claims")
            .withColumn(
                "stated_low",
                when(col("claim_id").equalTo("xpeng_1_8pct_of_tesla"), lit(2.5))
                    .otherwise(col("stated_low"))
                    .cast("decimal(38,12)"))
            .withColumn(
                "stated_high",
                when(col("claim_id").equalTo("xpeng_1_8pct_of_tesla"), lit(2.5))
                    .otherwise(col("stated_high"))
                    .cast("decimal(38,12)"));
    Row r =
        claim(
            run.compute("gold.claim_checks", Map.of("silver.claims", claims)),
            "xpeng_1_8pct_of_tesla");
    assertEquals("inconsistent", r.getAs("verdict"));
    assertTrue(r.<String>getAs("reason").contains("missing by"), r.<String>getAs("reason"));
    List<String> ids = r.getList(r.fieldIndex("fact_ids"));
    assertTrue(ids.containsAll(List.of("xpeng_market_cap_2025", "tesla_market_cap_2025")));
  }

  private static final EcbRates ECB = new EcbRates();

  @Test
  void openAisValuationFrom900To5000亿IsTheMultipleItsFiguresImply() {
    Row r = claim(ShippedRun.get().output("claim_checks"), "openai_valuation_900_to_5000_multiple");
    assertEquals(
        5000.0 / 900,
        r.<Double>getAs("recomputed_low"),
        1e-12); // 5000亿 / the top of 800-900亿 (2023年底)
    assertEquals(5000.0 / 800, r.<Double>getAs("recomputed_high"), 1e-12);
    assertEquals(
        4999.5 / 900.5,
        r.<Double>getAs("stated_min"),
        1e-12); // 5000 and 900 as written, each +-0.5
    assertEquals(5000.5 / 899.5, r.<Double>getAs("stated_max"), 1e-12);
    assertEquals("consistent", r.getAs("verdict"));
    assertTrue(r.<Boolean>getAs("rests_on_inferred_date"));
  }

  @Test
  void theFirstTiersCoefficientAtTheEnd2023RateIsUnderTheOpenAiCeiling() {
    // 约600亿 CNY at the ECB cross rate of Friday 2023-12-29 (as-of Sunday 2023-12-31), over 约900亿
    // USD
    LocalDate asOf = LocalDate.of(2023, 12, 31);
    assertEquals(LocalDate.of(2023, 12, 29), ECB.lastRateDateOnOrBefore(asOf));
    double expected = 600e8 * ECB.usdPerUnit("CNY", asOf).doubleValue() / 900e8; // 0.093832
    Row r = claim(ShippedRun.get().output("claim_checks"), "first_tier_within_openai_ceiling");
    assertEquals(expected, r.<Double>getAs("recomputed_low"), 1e-12);
    assertEquals(0.0938, expected, 0.00005);
    assertEquals(Double.NEGATIVE_INFINITY, r.<Double>getAs("stated_min").doubleValue());
    assertEquals(1.0, r.<Double>getAs("stated_max"), 0.0);
    assertEquals("consistent", r.getAs("verdict"));
    assertTrue(
        r.<String>getAs("reason").contains("1 CNY = 0.140748 USD (2023-12-29)"),
        r.<String>getAs("reason"));
    // the same coefficient as pe_valuation's document case
    Row doc = ShippedRun.get().output("pe_valuation").filter("is_document_case").first();
    assertEquals(expected, doc.<Double>getAs("china_to_openai_coefficient"), 1e-12);
  }

  @Test
  void theMarketRangesTopIsTheMethods600亿InCnyWithoutFx() {
    Row r =
        claim(ShippedRun.get().output("claim_checks"), "china_market_range_top_at_method_value");
    assertEquals(600.0 / 600.0 * 100, r.<Double>getAs("recomputed_low"), 1e-12);
    assertEquals(100.0, r.<Double>getAs("recomputed_high"), 1e-12);
    assertEquals(99.5, r.<Double>getAs("stated_min"), 1e-12);
    assertEquals("consistent", r.getAs("verdict"));
    assertTrue(!r.<String>getAs("reason").contains("FX used"), r.<String>getAs("reason"));
  }

  @Test
  void domesticFundingIsLessThanTheSovereignDealsInTotals() {
    // 约480亿 CNY at the ECB cross rate of Friday 2025-11-14 (as-of Saturday 2025-11-15) against 464亿
    // USD
    double chinaUsd = 480e8 * ECB.usdPerUnit("CNY", LocalDate.of(2025, 11, 15)).doubleValue();
    Row r =
        claim(
            ShippedRun.get().output("claim_checks"),
            "china_funding_much_less_than_sovereign_deals");
    assertEquals(chinaUsd / 464e8 * 100, r.<Double>getAs("recomputed_low"), 1e-9); // 14.578
    assertEquals("consistent", r.getAs("verdict"));
  }

  @Test
  void domesticFundingIsLessThanTheSovereignDealsInMonthlyRunRates() {
    double chinaUsd = 480e8 * ECB.usdPerUnit("CNY", LocalDate.of(2025, 11, 15)).doubleValue();
    double chinaMonths =
        Math.round((10 + 15.0 / 31) * 1e4)
            / 1e4; // 2025-01-01..11-15: months_between, 4 dp = 10.4839
    double swfMonths = 8; // 2025-01-01..08-31
    Row r =
        claim(
            ShippedRun.get().output("claim_checks"),
            "china_funding_much_less_than_sovereign_deals_run_rate");
    assertEquals(
        (chinaUsd / chinaMonths) / (464e8 / swfMonths) * 100,
        r.<Double>getAs("recomputed_low"),
        1e-9); // 11.124
    assertEquals("consistent", r.getAs("verdict"));
  }

  @Test
  void openAisH1LossAnnualisedIsFarShortOfTheSteadyState3Bn() {
    Row r = claim(ShippedRun.get().output("claim_checks"), "openai_short_of_steady_state_profit");
    assertEquals(-135.0 / 6 * 12, r.<Double>getAs("recomputed_low"), 1e-9); // -270 (亿 USD a year)
    assertEquals(30.0, r.<Double>getAs("stated_max"), 0.0);
    assertEquals("consistent", r.getAs("verdict"));
  }

  @Test
  void theShareSumsAreOurConsistencyChecksNotTheDocumentsClaims() {
    Dataset<Row> checks = ShippedRun.get().output("claim_checks");
    assertEquals(
        List.of("download_shares_2023_11_sum", "download_shares_2025_09_sum"),
        checks
            .filter("kind = 'consistency_check'")
            .select("claim_id")
            .orderBy("claim_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
    assertEquals(15, checks.filter("kind = 'stated_claim'").count());
  }
}
