package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import org.aigap.EcbRates;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FundingComparisonMetricTest {
  private static Row row() {
    return ShippedRun.get().output("funding_comparison").first();
  }

  @Test
  void theUsShareOfSovereignAiMoneyIs433Of464() {
    assertEquals(433.0 / 464.0, row().<Double>getAs("us_share_of_sovereign"), 1e-12);
  }

  @Test
  void chinasRmb48BnIsConvertedAtTheSpotRateOfItsAsOfDate() {
    BigDecimal usd =
        new BigDecimal("48000000000")
            .multiply(new EcbRates().usdPerUnit("CNY", LocalDate.of(2025, 11, 15)));
    assertEquals(
        0,
        usd.setScale(4, java.math.RoundingMode.HALF_UP)
            .compareTo(row().getAs("china_funding_usd")));
    assertEquals(0, new BigDecimal("48000000000.0000").compareTo(row().getAs("china_funding_cny")));
  }

  @Test
  void runRatesPutJanToNov15AndJanToAugOnOneFooting() {
    Row r = row();
    assertEquals(
        0, new BigDecimal("10.4839").compareTo(r.getAs("china_months")), "Jan 1 to Nov 15");
    assertEquals(0, new BigDecimal("8.0000").compareTo(r.getAs("sovereign_months")), "Jan to Aug");
    double china =
        r.<BigDecimal>getAs("china_funding_usd")
            .divide(new BigDecimal("10.4839"), MathContext.DECIMAL128)
            .doubleValue();
    double us = 43.3e9 / 8;
    assertEquals(china / us, r.<Double>getAs("china_to_sovereign_us_run_rate_ratio"), 1e-6);
    assertEquals(
        r.<BigDecimal>getAs("china_funding_usd").doubleValue() / 43.3e9,
        r.<Double>getAs("china_to_sovereign_us_ratio"),
        1e-12);
  }
}
