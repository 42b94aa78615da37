package org.aigap.conform;

import static org.aigap.Rows.date;
import static org.aigap.Rows.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.aigap.Rows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FundingRoundsTest {
  private static final Dataset<Row> RATES =
      Rows.of(
          "currency STRING, rate_date DATE, usd_per_unit DECIMAL(30,18), cny_per_unit"
              + " DECIMAL(30,18), source STRING",
          new Object[] {"HKD", date("2025-11-14"), dec("0.128636"), dec("0.912808"), "ECB"},
          new Object[] {"USD", date("2025-11-14"), dec("1"), dec("7.096"), "ECB"});
  private static final String DEALS =
      "deal_id STRING, announced_date DATE, currency STRING, amount DECIMAL(38,2), investors"
          + " STRING";

  @Test
  void aDealIsConvertedAtItsDaysRateAndItsInvestorsTyped() {
    Dataset<Row> out =
        FundingRounds.conform(
            Rows.of(
                DEALS,
                new Object[] {
                  "d1",
                  date("2025-11-16"),
                  "HKD",
                  dec("1000000.00"),
                  "Fund A|vc;Gulf Fund|sovereign_wealth_fund;Fund B|vc"
                },
                new Object[] {"d2", date("2025-11-14"), "USD", dec("250.50"), "Angel|angel"},
                new Object[] {"d3", date("2026-12-01"), "HKD", dec("1.00"), "Fund A|vc"}),
            RATES);
    Row d1 = Rows.one(out, "deal_id", "d1");
    assertEquals(date("2025-11-14"), d1.getAs("fx_rate_date"), "a Sunday deal takes Friday's rate");
    assertEquals(
        0,
        dec("128636.0000").compareTo(d1.getAs("amount_usd")),
        "1,000,000 HKD x 0.128636, exact to the cent");
    assertEquals(0, dec("912808.0000").compareTo(d1.getAs("amount_cny")));
    assertEquals(
        List.of("sovereign_wealth_fund", "vc"), d1.getList(d1.fieldIndex("investor_types")));
    assertEquals(3, d1.<Integer>getAs("investor_count"));
    assertEquals(true, d1.getAs("sovereign"));
    assertEquals(date("2025-11-01"), d1.getAs("month"));
    assertEquals(0, dec("1777.5480").compareTo(Rows.one(out, "deal_id", "d2").getAs("amount_cny")));
    assertNull(
        Rows.one(out, "deal_id", "d3").getAs("usd_per_unit"),
        "no rate within seven days: left for fx_rate_known to quarantine");
  }
}
