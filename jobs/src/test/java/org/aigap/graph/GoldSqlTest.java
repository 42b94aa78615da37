package org.aigap.graph;

import static org.aigap.Rows.date;
import static org.aigap.Rows.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.aigap.Registry;
import org.aigap.Rows;
import org.aigap.TestLakehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Gold SQL files computed alone on a few silver rows written here. */
class GoldSqlTest {
  private static Dataset<Row> compute(String dataset, Map<String, Dataset<Row>> inputs) {
    DatasetDef d = Registry.graph(TestLakehouse.schemas()).get(dataset);
    return d.transform().apply(new Inputs(dataset, inputs));
  }

  @Test
  void fundingTotalsSumDealsPerMonthCountryAndSovereignParticipationExactlyAndNameOneLargestDeal() {
    Dataset<Row> deals =
        Rows.of(
            "deal_id STRING, month DATE, target_country STRING, sovereign BOOLEAN, amount_usd"
                + " DECIMAL(38,4), amount_cny DECIMAL(38,4)",
            new Object[] {"a", date("2025-01-01"), "US", true, dec("0.1000"), dec("0.7000")},
            new Object[] {"b", date("2025-01-01"), "US", true, dec("0.2000"), dec("1.4000")},
            new Object[] {"c", date("2025-01-01"), "US", false, dec("5.0000"), dec("35.0000")},
            new Object[] {"e", date("2025-01-01"), "US", false, dec("7.0000"), dec("49.0000")},
            new Object[] {"d", date("2025-01-01"), "US", false, dec("7.0000"), dec("49.0000")});
    List<Row> rows =
        compute("gold.funding_totals", Map.of("silver.funding_rounds", deals))
            .orderBy("sovereign")
            .collectAsList();
    assertEquals(2, rows.size());
    assertEquals("d", rows.get(0).getAs("largest_deal_id"), "of two deals as large, the first id");
    Row sovereign = rows.get(1);
    assertEquals(2L, sovereign.<Long>getAs("deals"));
    assertEquals(
        0, dec("0.3000").compareTo(sovereign.getAs("amount_usd")), "decimals: 0.1 + 0.2 is 0.3");
    assertEquals("b", sovereign.getAs("largest_deal_id"));
  }

  @Test
  void downloadSharesAreEachCountrysPartOfTheMonthWithRunningTotals() {
    Dataset<Row> daily =
        Rows.of(
            "date DATE, origin_country STRING, model_days BIGINT, downloads BIGINT",
            new Object[] {date("2025-09-01"), "CN", 1L, 65L},
            new Object[] {date("2025-09-30"), "US", 1L, 35L},
            new Object[] {date("2025-10-01"), "CN", 1L, 10L});
    List<Row> rows =
        compute("gold.download_shares", Map.of("silver.downloads_daily", daily))
            .orderBy("month", "origin_country")
            .collectAsList();
    assertEquals(0.65, rows.get(0).<Double>getAs("share"), 1e-12);
    assertEquals(100L, rows.get(0).<Long>getAs("month_downloads"));
    assertEquals(
        75L, rows.get(2).<Long>getAs("cumulative_downloads"), "CN: 65 in September, then 10");
  }
}
