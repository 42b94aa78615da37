package org.aigap.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import org.aigap.EcbRates;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** funding_totals and download_shares: the feeds summed without losing a deal or a download. */
class FeedAggregatesMetricTest {
  @Test
  void fundingTotalsAddUpToEveryDealInTheFeed() {
    ShippedRun run = ShippedRun.get();
    Row totals = run.output("funding_totals").agg(sum("deals"), sum("amount_usd")).first();
    Row deals =
        run.silver("funding_rounds")
            .agg(org.apache.spark.sql.functions.count("deal_id"), sum("amount_usd"))
            .first();
    assertEquals(2000L, totals.getLong(0));
    assertEquals(deals.getLong(0), totals.getLong(0));
    assertEquals(0, deals.<BigDecimal>getAs(1).compareTo(totals.getAs(1)));
  }

  @Test
  void aHongKongDollarDealIsConvertedAtItsOwnDaysEcbRate() {
    Row deal =
        ShippedRun.get()
            .silver("funding_rounds")
            .filter("currency = 'HKD'")
            .orderBy("deal_id")
            .first();
    LocalDate day = deal.<java.sql.Date>getAs("announced_date").toLocalDate();
    EcbRates ecb = new EcbRates();
    LocalDate rateDay = ecb.lastRateDateOnOrBefore(day);
    assertEquals(rateDay, deal.<java.sql.Date>getAs("fx_rate_date").toLocalDate());
    BigDecimal expected =
        deal.<BigDecimal>getAs("amount")
            .multiply(ecb.usdPerUnit("HKD", rateDay).setScale(18, RoundingMode.HALF_UP));
    assertEquals(0, expected.setScale(4, RoundingMode.HALF_UP).compareTo(deal.getAs("amount_usd")));
  }

  @Test
  void monthlySharesAddUpToOneAndCumulativeCountsReachTheReportedOnes() {
    ShippedRun run = ShippedRun.get();
    List<Row> months =
        run.output("download_shares").groupBy("month").agg(sum("share")).collectAsList();
    months.forEach(m -> assertEquals(1.0, m.getDouble(1), 1e-12, m.toString()));
    Row october =
        run.output("download_shares")
            .filter("month = DATE'2025-10-01' AND origin_country = 'CN'")
            .first();
    assertEquals(550_000_000L, october.<Long>getAs("cumulative_downloads"));
    long bronze = run.bronze("bronze_model_downloads").agg(sum("downloads")).first().getLong(0);
    long gold = run.output("download_shares").agg(sum(col("downloads"))).first().getLong(0);
    assertEquals(bronze, gold, "every download counted once");
  }
}
