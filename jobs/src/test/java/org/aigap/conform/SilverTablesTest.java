package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.aigap.EcbRates;
import org.aigap.Runs;
import org.aigap.SharedSpark;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.aigap.core.DeltaTables;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silver tables the shipped run builds, and what their rules do with names and dates they
 * cannot resolve.
 */
class SilverTablesTest {
  private final EcbRates ecb = new EcbRates();

  private static BigDecimal dec(Row r, String column) {
    return r.getAs(column);
  }

  private static LocalDate date(Row r, String column) {
    return r.<java.sql.Date>getAs(column).toLocalDate();
  }

  @Test
  void aStockFallsBackAcrossTheWeekendToTheLastEcbRate() {
    Row xpeng = ShippedRun.get().fact("xpeng_market_cap_2025");
    assertEquals(DayOfWeek.SATURDAY, date(xpeng, "as_of_date").getDayOfWeek());
    assertEquals("spot", xpeng.getAs("fx_basis"));
    assertEquals(LocalDate.of(2025, 11, 14), date(xpeng, "fx_rate_date"));
    BigDecimal expected =
        ecb.usdPerUnit("HKD", LocalDate.of(2025, 11, 14)).setScale(18, RoundingMode.HALF_UP);
    assertEquals(
        0,
        expected.compareTo(dec(xpeng, "usd_per_unit")),
        "USD per HKD = USD per EUR / HKD per EUR");
  }

  @Test
  void aFlowIsConvertedAtTheAverageRateOverItsPeriod() {
    Row rd = ShippedRun.get().fact("zai_rd_expense_2025_h1");
    assertEquals("period_average", rd.getAs("fx_basis"));
    LocalDate from = LocalDate.of(2025, 1, 1);
    LocalDate to = LocalDate.of(2025, 6, 30);
    assertEquals(ecb.ratesBetween(from, to), rd.<Integer>getAs("fx_days"));
    assertEquals(
        ecb.averageUsdPerUnit("CNY", from, to).doubleValue(),
        dec(rd, "usd_per_unit").doubleValue(),
        1e-15);
    assertNull(rd.getAs("fx_rate_date"));
  }

  @Test
  void yiAndWanScalesAreApplied() {
    assertEquals(
        0,
        new BigDecimal("12000000000")
            .compareTo(dec(ShippedRun.get().fact("unitree_valuation_2025"), "low")),
        "120亿");
    assertEquals(
        0,
        new BigDecimal("50000000")
            .compareTo(dec(ShippedRun.get().fact("us_top_talent_compensation_package"), "low")),
        "5000万");
    assertEquals(
        0,
        new BigDecimal("1340000000000")
            .compareTo(dec(ShippedRun.get().fact("tesla_market_cap_2025"), "low")),
        "1.34万亿");
  }

  @Test
  void aRangeIsKeptThroughConversion() {
    Row range = ShippedRun.get().fact("china_llm_valuation_range_2025"); // 200亿-600亿人民币
    BigDecimal rate = ecb.usdPerUnit("CNY", LocalDate.of(2025, 11, 14));
    assertEquals(2e10 * rate.doubleValue(), dec(range, "usd_low").doubleValue(), 1e-3);
    assertEquals(6e10 * rate.doubleValue(), dec(range, "usd_high").doubleValue(), 1e-3);
    assertEquals(4e10 * rate.doubleValue(), dec(range, "usd_mid").doubleValue(), 1e-3);
    assertEquals(0, new BigDecimal("40000000000").compareTo(dec(range, "cny_mid")));
  }

  @Test
  void periodsBecomeMonths() {
    assertEquals(
        0,
        new BigDecimal("6")
            .compareTo(dec(ShippedRun.get().fact("openai_revenue_2025_h1"), "period_months")),
        "H1");
    assertEquals(
        0,
        new BigDecimal("9")
            .compareTo(dec(ShippedRun.get().fact("minimax_rd_expense_2025_9m"), "period_months")),
        "9M");
    assertEquals(
        0,
        new BigDecimal("8")
            .compareTo(
                dec(ShippedRun.get().fact("swf_ai_vc_deal_value_2025_01_08"), "period_months")),
        "Jan-Aug");
    assertEquals(
        0,
        new BigDecimal("10.4839")
            .compareTo(
                dec(ShippedRun.get().fact("china_ai_funding_total_2025_ytd"), "period_months")),
        "Jan to Nov 15: 10 + 15/31");
  }

  @Test
  void chineseAndEnglishNamesResolveToOneEntity() {
    assertEquals(
        "moonshot_ai", ShippedRun.get().fact("moonshot_valuation_2025").getAs("entity_id")); // 月之暗面
    assertEquals(
        "xpeng", ShippedRun.get().fact("xpeng_market_cap_2025").getAs("entity_id")); // 小鹏汽车
    assertEquals(
        "z_ai", ShippedRun.get().fact("zai_rd_expense_2025_h1").getAs("entity_id")); // Z.ai
  }

  /**
   * The shipped run's lakehouse with an unknown entity name in facts.csv and a deal dated past the
   * FX rates, run again once: what changed and what is downstream of it is recomputed.
   */
  private static RunRecord hostileRun;

  private static RunContext hostileCtx;

  /** The hostile run's lakehouse: one folder for the class, removed after its last test. */
  @TempDir static Path hostileLake;

  private static synchronized RunRecord hostileRun() throws IOException {
    if (hostileRun == null) {
      TestLakehouse lake = ShippedRun.get().copyTo(hostileLake);
      lake.editLine(
          "facts.csv", "tesla_market_cap_2025,", l -> l.replace(",Tesla,", ",Tesla Motors Intl,"));
      List<String> deals = new ArrayList<>(lake.lines("funding_rounds.csv"));
      deals.add("D999999999,2026-12-01,HK-startup-000001,HK,1000000.00,HKD,Venture Fund 0001|vc");
      lake.write("funding_rounds.csv", deals);
      hostileCtx = lake.newRun();
      hostileRun =
          Runs.select(hostileCtx, "+silver.claims", "+silver.funding_rounds").stream()
              .filter(r -> r.job().equals("conform"))
              .findFirst()
              .orElseThrow();
    }
    return hostileRun;
  }

  private static RunRecord.TableCounts counts(RunRecord record, String dataset) {
    return record.tables().stream()
        .filter(t -> t.dataset().equals(dataset))
        .findFirst()
        .orElseThrow();
  }

  private static Dataset<Row> conformQuarantine(String table) {
    return hostileCtx
        .spark()
        .read()
        .format("delta")
        .load(hostileCtx.paths().table("bronze", "quarantine"))
        .filter("job = 'conform' AND table_name = '" + table + "'");
  }

  @Test
  void anUnknownNameIsQuarantinedNotGuessed() throws IOException {
    var facts = counts(hostileRun(), "silver.facts");
    assertEquals(1, facts.rowsQuarantined());
    assertEquals(facts.rowsRead() - 1, facts.rowsAccepted());
    List<Row> q = conformQuarantine("facts").collectAsList();
    assertEquals(1, q.size());
    assertEquals("entity_known", q.get(0).getAs("check"));
    assertEquals(
        "entity 'Tesla Motors Intl' is not a name or alias in entities.csv (bronze.facts version"
            + " 1)",
        q.get(0).getAs("reason"));
    assertTrue(q.get(0).<String>getAs("raw_line").contains("tesla_market_cap_2025"));
    // The claims that compare against the quarantined fact cannot be checked, so they follow it.
    List<Row> claims = conformQuarantine("claims").orderBy("raw_line").collectAsList();
    assertEquals(2, claims.size());
    claims.forEach(
        c ->
            assertEquals(
                "claim refers to fact 'tesla_market_cap_2025', which is not in silver facts"
                    + " (bronze.claims version 0)",
                c.getAs("reason")));
  }

  @Test
  void aDealWithoutAnFxRateForItsDayIsQuarantinedAndTheOthersConverted() throws IOException {
    var deals = counts(hostileRun(), "silver.funding_rounds");
    assertEquals(2001, deals.rowsRead());
    assertEquals(2000, deals.rowsAccepted());
    assertEquals(1, deals.rowsQuarantined());
    Row q = conformQuarantine("funding_rounds").first();
    assertEquals("fx_rate_known", q.getAs("check"));
    assertEquals(2002L, q.<Long>getAs("line"), "the raw file's line (1 = header)");
    assertEquals(
        "no FX reference rate for HKD on or up to 7 days before 2026-12-01; extend"
            + " data/raw/eurofxref-hist.csv (bronze.funding_rounds version 1)",
        q.getAs("reason"));
  }

  @Test
  void aMissingFxRateFailsNamingTheCurrencyAndDate(@TempDir Path dir) throws IOException {
    TestLakehouse lake = ShippedRun.get().copyTo(dir);
    long before =
        DeltaTables.latestCommit(
                SharedSpark.get().sparkContext().hadoopConfiguration(),
                lake.table("silver", "facts"))
            .version();
    List<String> ecbLines = lake.lines("eurofxref-hist.csv");
    lake.write(
        "eurofxref-hist.csv", ecbLines.stream().filter(l -> !l.startsWith("2025-11")).toList());
    RunContext ctx = lake.newRun();
    PipelineException e =
        assertThrows(PipelineException.class, () -> Runs.select(ctx, "+silver.facts"));
    assertTrue(
        e.getMessage().startsWith("Cannot build silver.facts: row fact_id="), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                ", column currency: no FX reference rate for CNY on or up to 7 days before"
                    + " 2025-11-15; extend"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(rule fx_rate_known)"), e.getMessage());
    assertEquals(
        before,
        DeltaTables.latestCommit(
                SharedSpark.get().sparkContext().hadoopConfiguration(),
                lake.table("silver", "facts"))
            .version(),
        "nothing of the dataset is written");
  }
}
