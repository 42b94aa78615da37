package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.aigap.EcbRates;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CompanyEconomicsMetricTest {
  private static Row row(String entity, String metric) {
    return ShippedRun.get()
        .output("company_economics")
        .filter("entity_id = '" + entity + "' AND metric = '" + metric + "'")
        .first();
  }

  @Test
  void openAisH1NetMarginIsMinus135Over43() {
    Row r = row("openai", "net_margin");
    assertEquals(-135.0 / 43.0, r.<BigDecimal>getAs("mid").doubleValue(), 1e-6);
    assertEquals("about", r.getAs("qualifier"), "revenue is about 43亿");
  }

  @Test
  void openAisValuationIsAbout58TimesItsAnnualisedH1Revenue() {
    assertEquals(
        5000.0 / (43.0 * 2),
        row("openai", "valuation_to_annualised_revenue").<BigDecimal>getAs("mid").doubleValue(),
        1e-4);
  }

  @Test
  void zaiRdInRmbIsConvertedAtTheH1AverageRate() {
    BigDecimal avg =
        new EcbRates()
            .averageUsdPerUnit("CNY", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 6, 30));
    double expected = 1.6e9 * avg.doubleValue();
    assertEquals(
        expected, row("z_ai", "rd_expense").<BigDecimal>getAs("usd_mid").doubleValue(), 1.0);
  }

  @Test
  void growthRatesAlsoAppearAsMultiples() {
    assertEquals(
        0,
        new BigDecimal("4.25").compareTo(row("z_ai", "revenue_growth_multiple").getAs("mid")),
        "325% growth");
    assertEquals(
        0,
        new BigDecimal("2.75").compareTo(row("minimax", "revenue_growth_multiple").getAs("mid")),
        "175% growth");
    assertNull(
        row("minimax", "cloud_cost_ratio").getAs("derivation"),
        "a reported figure has no derivation");
  }

  @Test
  void rowsOnAnInferredPeriodOrDateSaySo() {
    Row rd = row("z_ai", "rd_expense");
    assertTrue(rd.<Boolean>getAs("rests_on_inferred_date"));
    assertTrue(
        rd.<String>getList(rd.fieldIndex("inferred_date_reasons"))
            .get(0)
            .startsWith("zai_rd_expense_2025_h1: period written"));
    assertTrue(
        row("openai", "valuation_to_annualised_revenue")
            .<Boolean>getAs("rests_on_inferred_date")); // 今年10月
    assertFalse(
        row("openai", "net_margin")
            .<Boolean>getAs("rests_on_inferred_date")); // 2025年上半年 is written
    assertFalse(row("z_ai", "revenue_growth_yoy").<Boolean>getAs("rests_on_inferred_date"));
  }
}
