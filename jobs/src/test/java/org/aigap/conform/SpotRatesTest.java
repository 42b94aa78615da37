package org.aigap.conform;

import static org.aigap.Rows.date;
import static org.aigap.Rows.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aigap.Rows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SpotRatesTest {
  private static final String RATES =
      "currency STRING, rate_date DATE, usd_per_unit DECIMAL(30,18), cny_per_unit DECIMAL(30,18),"
          + " source STRING";

  @Test
  void aWeekendTakesFridaysRateAndNoRateIsOlderThanSevenDays() {
    Dataset<Row> rates =
        Rows.of(
            RATES,
            new Object[] {"HKD", date("2025-11-13"), dec("0.1280"), dec("0.91"), "ECB"},
            new Object[] {"HKD", date("2025-11-14"), dec("0.1286"), dec("0.92"), "ECB"});
    Dataset<Row> byDay = SpotRates.byDay(rates);
    Row saturday = byDay.filter("day = DATE'2025-11-15'").first();
    assertEquals(date("2025-11-14"), saturday.getAs("fx_rate_date"));
    assertEquals(0, dec("0.1286").compareTo(saturday.getAs("usd_per_unit")));
    assertEquals(
        date("2025-11-13"), byDay.filter("day = DATE'2025-11-13'").first().getAs("fx_rate_date"));
    List<Row> covered = byDay.orderBy("day").collectAsList();
    assertEquals(
        date("2025-11-21"),
        covered.get(covered.size() - 1).getAs("day"),
        "the last rate serves seven days more, no further");
    assertEquals(0, byDay.filter("day = DATE'2025-11-22'").count());
  }
}
