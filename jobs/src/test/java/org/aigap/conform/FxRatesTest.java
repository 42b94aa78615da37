package org.aigap.conform;

import static org.aigap.Rows.date;
import static org.aigap.Rows.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.aigap.Rows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FxRatesTest {
  private static final Dataset<Row> ECB =
      Rows.of(
          "Date DATE, USD DECIMAL(18,6), CNY DECIMAL(18,6), HKD DECIMAL(18,6), _row_hash BIGINT",
          new Object[] {date("2025-11-14"), dec("1.1623"), dec("8.2475"), dec("9.0353"), 1L},
          new Object[] {date("2025-11-17"), dec("1.1600"), dec("8.2400"), null, 2L});

  private static Row rate(String currency, String day) {
    return FxRates.conform(ECB, "Date", "ECB")
        .filter("currency = '" + currency + "' AND rate_date = DATE'" + day + "'")
        .first();
  }

  @Test
  void crossRatesGoThroughTheEuro() {
    Row hkd = rate("HKD", "2025-11-14");
    // to 18 places, give or take the last one (Spark rounds the quotient at 20 places, then at 18)
    BigDecimal usdPerHkd = dec("1.1623").divide(dec("9.0353"), 18, RoundingMode.HALF_UP);
    assertTrue(
        usdPerHkd.subtract(hkd.getAs("usd_per_unit")).abs().compareTo(dec("1e-18")) <= 0,
        "USD per HKD = USD per EUR / HKD per EUR");
    BigDecimal cnyPerHkd = dec("8.2475").divide(dec("9.0353"), 18, RoundingMode.HALF_UP);
    assertTrue(cnyPerHkd.subtract(hkd.getAs("cny_per_unit")).abs().compareTo(dec("1e-18")) <= 0);
    assertEquals("ECB", hkd.getAs("source"));
  }

  @Test
  void theEuroIsOnePerEuroAndTheBaseCurrenciesAreOneOfThemselves() {
    assertEquals(0, dec("1.1623").compareTo(rate("EUR", "2025-11-14").getAs("usd_per_unit")));
    assertEquals(0, BigDecimal.ONE.compareTo(rate("USD", "2025-11-14").getAs("usd_per_unit")));
    assertEquals(0, BigDecimal.ONE.compareTo(rate("CNY", "2025-11-14").getAs("cny_per_unit")));
  }

  @Test
  void aDayWithoutTheCurrencysRateGivesNoRowAndLineageColumnsAreNoCurrency() {
    Dataset<Row> rates = FxRates.conform(ECB, "Date", "ECB");
    assertEquals(0, rates.filter("currency = 'HKD' AND rate_date = DATE'2025-11-17'").count());
    assertEquals(1, rates.filter("currency = 'USD' AND rate_date = DATE'2025-11-17'").count());
    assertEquals(0, rates.filter("currency = '_row_hash'").count());
  }
}
