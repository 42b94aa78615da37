package org.aigap.conform;

import static org.aigap.Rows.date;
import static org.aigap.Rows.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.aigap.Rows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The silver facts transform alone, on a few facts and rates written here. */
class FactsTest {
  private static final String BRONZE =
      "fact_id STRING, entity_name STRING, metric STRING, kind STRING, period_start DATE,"
          + " period_end DATE, as_of_date DATE, as_of_basis STRING, qualifier STRING, value_low"
          + " DECIMAL(38,12), value_high DECIMAL(38,12), unit STRING, currency STRING, scale"
          + " DECIMAL(38,0)";
  private static final Dataset<Row> ALIASES =
      Rows.of(
          "alias_key STRING, entity_id STRING",
          new Object[] {"小鹏汽车", "xpeng"},
          new Object[] {"z.ai", "z_ai"});
  private static final Dataset<Row> ENTITIES =
      Rows.of(
          "entity_id STRING, country STRING",
          new Object[] {"xpeng", "CN"},
          new Object[] {"z_ai", "CN"});
  private static final Dataset<Row> RATES =
      Rows.of(
          "currency STRING, rate_date DATE, usd_per_unit DECIMAL(30,18), cny_per_unit"
              + " DECIMAL(30,18), source STRING",
          new Object[] {"HKD", date("2025-11-14"), dec("0.128636"), dec("0.912808"), "ECB"},
          new Object[] {"CNY", date("2025-01-02"), dec("0.137"), dec("1"), "ECB"},
          new Object[] {"CNY", date("2025-01-09"), dec("0.139"), dec("1"), "ECB"});

  private static Object[] fact(
      String id,
      String name,
      String metric,
      String kind,
      String start,
      String end,
      String asOf,
      String basis,
      String low,
      String high,
      String unit,
      String currency,
      String scale) {
    return new Object[] {
      id,
      name,
      metric,
      kind,
      start == null ? null : date(start),
      end == null ? null : date(end),
      date(asOf),
      basis,
      "exact",
      dec(low),
      dec(high),
      unit,
      currency,
      dec(scale)
    };
  }

  private static Dataset<Row> conform(Object[]... facts) {
    return Facts.conform(Rows.of(BRONZE, facts), ALIASES, ENTITIES, RATES);
  }

  @Test
  void aStockOnASaturdayIsConvertedAtFridaysRateWithItsScaleApplied() {
    // 小鹏汽车 1900亿港元, as of Saturday 2025-11-15
    Row r =
        conform(
                fact(
                    "x",
                    "小鹏汽车",
                    "market_cap",
                    "stock",
                    null,
                    null,
                    "2025-11-15",
                    "stated",
                    "1900",
                    "1900",
                    "currency",
                    "HKD",
                    "100000000"))
            .first();
    assertEquals("xpeng", r.getAs("entity_id"));
    assertEquals("CN", r.getAs("country"));
    assertEquals(0, dec("190000000000").compareTo(r.getAs("low")));
    assertEquals("spot", r.getAs("fx_basis"));
    assertEquals(date("2025-11-14"), r.getAs("fx_rate_date"));
    assertEquals(
        0,
        dec("190000000000")
            .multiply(dec("0.128636"))
            .setScale(4, RoundingMode.HALF_UP)
            .compareTo(r.getAs("usd_mid")));
    assertEquals(
        0,
        dec("190000000000")
            .multiply(dec("0.912808"))
            .setScale(4, RoundingMode.HALF_UP)
            .compareTo(r.getAs("cny_mid")));
    assertEquals(date("2025-11-15"), r.getAs("counted_until"));
  }

  @Test
  void aFlowIsConvertedAtTheMeanRateOfItsPeriodWithAMonthlyRunRate() {
    Row r =
        conform(
                fact(
                    "f",
                    "Z.ai",
                    "rd_expense",
                    "flow",
                    "2025-01-01",
                    "2025-01-10",
                    "2025-01-10",
                    "stated",
                    "10",
                    "10",
                    "currency",
                    "CNY",
                    "100000000"))
            .first();
    assertEquals("period_average", r.getAs("fx_basis"));
    assertEquals(2, r.<Integer>getAs("fx_days"));
    assertEquals(
        0, dec("0.138").compareTo(r.<BigDecimal>getAs("usd_per_unit")), "(0.137 + 0.139) / 2");
    assertEquals(0, dec("138000000").compareTo(r.getAs("usd_mid")));
    // Jan 1 to Jan 10 is 10/31 of a month
    assertEquals(0, dec("0.3226").compareTo(r.getAs("period_months")));
    assertEquals(date("2025-01-10"), r.getAs("counted_until"));
  }

  @Test
  void aPercentBecomesAFractionAndHasNoCurrency() {
    Row r =
        conform(
                fact(
                    "p",
                    "Z.ai",
                    "growth",
                    "ratio",
                    "2025-01-01",
                    "2025-06-30",
                    "2025-06-30",
                    "stated",
                    "68.9",
                    "68.9",
                    "percent",
                    null,
                    "1"))
            .first();
    assertEquals(0, dec("0.689").compareTo(r.getAs("mid")));
    assertNull(r.getAs("usd_mid"));
    assertNull(r.getAs("fx_basis"));
  }

  @Test
  void anUnknownNameOrAMissingRateIsLeftForTheDatasetsRules() {
    Dataset<Row> out =
        conform(
            fact(
                "unknown",
                "Tesla Motors Intl",
                "market_cap",
                "stock",
                null,
                null,
                "2025-11-14",
                "stated",
                "1",
                "1",
                "currency",
                "HKD",
                "1"),
            fact(
                "no_rate",
                "小鹏汽车",
                "market_cap",
                "stock",
                null,
                null,
                "2026-06-01",
                "stated",
                "1",
                "1",
                "currency",
                "HKD",
                "1"));
    assertNull(
        Rows.one(out, "fact_id", "unknown").getAs("entity_id"), "entity_known quarantines it");
    assertNull(
        Rows.one(out, "fact_id", "no_rate").getAs("usd_per_unit"),
        "fx_rate_known fails the run on it");
  }

  @Test
  void ofTwoSourcesForOneFigureTheStatedOneIsPreferredAndTheSpreadKept() {
    Dataset<Row> out =
        conform(
            fact(
                "stated",
                "小鹏汽车",
                "market_cap",
                "stock",
                null,
                null,
                "2025-11-14",
                "stated",
                "1900",
                "1900",
                "currency",
                "HKD",
                "100000000"),
            fact(
                "inferred",
                "小鹏汽车",
                "market_cap",
                "stock",
                null,
                null,
                "2025-11-14",
                "inferred",
                "2000",
                "2000",
                "currency",
                "HKD",
                "100000000"));
    assertTrue(Rows.one(out, "fact_id", "stated").<Boolean>getAs("is_preferred"));
    Row inferred = Rows.one(out, "fact_id", "inferred");
    assertEquals(false, inferred.getAs("is_preferred"));
    assertEquals(2, inferred.<Integer>getAs("sources_for_key"));
    assertEquals(100.0 / 1900, inferred.<Double>getAs("spread"), 1e-9);
  }
}
