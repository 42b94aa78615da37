package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.aigap.EcbRates;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ValuationGapMetricTest {
  private static Row pair(String id) {
    List<Row> rows =
        ShippedRun.get().output("valuation_gap").filter("pair_id = '" + id + "'").collectAsList();
    assertEquals(1, rows.size(), id);
    return rows.get(0);
  }

  @Test
  void comparesTheFivePairsTheDocumentsCompare() {
    assertEquals(
        List.of(
            "china_first_tier_llm_vs_openai",
            "china_market_llm_vs_openai",
            "moonshot_ai_vs_openai",
            "unitree_vs_figure_ai",
            "xpeng_vs_tesla"),
        ShippedRun.get()
            .output("valuation_gap")
            .select("pair_id")
            .orderBy("pair_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
  }

  @Test
  void xpengIsTesla_s_marketCapShareAtTheHkdRateOfTheLastEcbDayBeforeTheAsOfDate() {
    // 1900亿港元 / 1.34万亿美元, HKD converted at the ECB cross rate of Friday 2025-11-14 (as-of Saturday
    // 2025-11-15).
    BigDecimal usdPerHkd = new EcbRates().usdPerUnit("HKD", LocalDate.of(2025, 11, 15));
    double expected = new BigDecimal("190000000000").multiply(usdPerHkd).doubleValue() / 1.34e12;
    Row row = pair("xpeng_vs_tesla");
    assertEquals(expected, row.<Double>getAs("ratio_mid"), 1e-12);
    assertEquals(0.0182, row.<Double>getAs("ratio_mid"), 0.0001, "about the article's 1.8%");
    assertEquals(
        LocalDate.of(2025, 11, 14), row.<java.sql.Date>getAs("china_fx_rate_date").toLocalDate());
    assertEquals("about", row.getAs("ratio_qualifier"), "小鹏 is about 1900亿");
  }

  @Test
  void aRangeOnOneSideGivesARangeOfRatios() {
    Row row = pair("moonshot_ai_vs_openai"); // 33亿至50亿美元 against 5000亿美元
    assertEquals(0.0066, row.<Double>getAs("ratio_low"), 1e-12);
    assertEquals(0.0083, row.<Double>getAs("ratio_mid"), 1e-12);
    assertEquals(0.0100, row.<Double>getAs("ratio_high"), 1e-12);
    assertEquals(0, new BigDecimal("3300000000").compareTo(row.getAs("china_usd_low")));
  }

  @Test
  void aBoundOnTheUsSideBoundsTheRatioTheOtherWay() {
    // Had the article's "突破5000亿美元" (over) been the figure used, Moonshot/OpenAI would be an upper
    // bound.
    ShippedRun run = ShippedRun.get();
    var facts =
        run.silver("facts")
            .withColumn(
                "qualifier",
                org.apache.spark.sql.functions.expr(
                    "CASE WHEN fact_id = 'openai_valuation_2025_10' THEN 'over' ELSE qualifier"
                        + " END"));
    Row row =
        run.compute("gold.valuation_gap", java.util.Map.of("silver.facts", facts))
            .filter("pair_id = 'moonshot_ai_vs_openai'")
            .first();
    assertEquals("under", row.getAs("ratio_qualifier"));
  }

  @Test
  void everyRowLeadsBackToTheSentencesItWasComputedFrom() {
    Row row = pair("xpeng_vs_tesla");
    List<String> ids = row.getList(row.fieldIndex("fact_ids"));
    assertEquals(List.of("xpeng_market_cap_2025", "tesla_market_cap_2025"), ids);
    List<String> quotes = row.getList(row.fieldIndex("quotes"));
    assertTrue(quotes.get(0).contains("1900亿港元"), quotes.get(0));
    Row bronze =
        ShippedRun.get().bronze("bronze_facts").filter("fact_id = 'xpeng_market_cap_2025'").first();
    List<String> raw = ShippedRun.get().lakehouse.lines("facts.csv");
    long line = bronze.getAs("_source_line");
    assertTrue(
        raw.get((int) line - 1).startsWith("xpeng_market_cap_2025,"),
        "bronze _source_line points at the raw line");
  }

  @Test
  void theMarketRangeAndTheFirstTierArePairedWithTheirOwnFigures() {
    EcbRates ecb = new EcbRates();
    Row market =
        pair("china_market_llm_vs_openai"); // 200亿-600亿 CNY (as of 2025-11-15) against 5000亿 USD
    // (今年10月)
    double u25 = ecb.usdPerUnit("CNY", LocalDate.of(2025, 11, 15)).doubleValue();
    assertEquals(200e8 * u25 / 5000e8, market.<Double>getAs("ratio_low"), 1e-12); // 0.5637%
    assertEquals(600e8 * u25 / 5000e8, market.<Double>getAs("ratio_high"), 1e-12); // 1.6911%
    assertEquals(
        List.of("china_llm_valuation_range_2025", "openai_valuation_2025_10"),
        market.getList(market.fieldIndex("fact_ids")));
    assertTrue(market.<Boolean>getAs("rests_on_inferred_date"));
    Row tier = pair("china_first_tier_llm_vs_openai"); // 约600亿 CNY against 约900亿 USD, both 2023年底
    double u23 = ecb.usdPerUnit("CNY", LocalDate.of(2023, 12, 31)).doubleValue();
    assertEquals(600e8 * u23 / 900e8, tier.<Double>getAs("ratio_mid"), 1e-12); // 9.3832%
    assertEquals(
        List.of("china_first_tier_llm_valuation_pe_method", "openai_valuation_pe_method"),
        tier.getList(tier.fieldIndex("fact_ids")));
    assertEquals(
        LocalDate.of(2023, 12, 29), tier.<java.sql.Date>getAs("china_fx_rate_date").toLocalDate());
    assertEquals("about", tier.getAs("ratio_qualifier"));
    assertFalse(tier.<Boolean>getAs("rests_on_inferred_date"));
  }
}
