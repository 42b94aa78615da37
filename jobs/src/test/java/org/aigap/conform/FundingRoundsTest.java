package org.aigap.conform;

import static org.aigap.Rows.date;
import static org.aigap.Rows.dec;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigap.Rows;
import org.aigap.TestLakehouse;
import org.aigap.core.ColumnSpec;
import org.aigap.core.SchemaCatalog;
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

  @Test
  void theLargestAmountBronzeAdmitsConvertsExactly() {
    BigDecimal largest = new BigDecimal(rawColumn("amount").max());
    Row deal =
        FundingRounds.conform(
                Rows.of(DEALS, new Object[] {"big", date("2025-11-14"), "USD", largest, "F|vc"}),
                RATES)
            .first();
    assertEquals(
        0, largest.multiply(dec("7.096")).compareTo(deal.getAs("amount_cny")), "no overflow");
  }

  @Test
  void theKnownInvestorTypesAreThoseTheRawSchemaAllows() {
    String pattern = rawColumn("investors").pattern();
    Matcher alternatives = Pattern.compile("\\(([a-z_|]+)\\)").matcher(pattern);
    int groups = 0;
    for (; alternatives.find(); groups++) {
      assertEquals(
          FundingRounds.INVESTOR_TYPES,
          Arrays.stream(alternatives.group(1).split("\\|")).sorted().toList(),
          "each alternative group of " + pattern);
    }
    assertEquals(2, groups, "the first entry's type and every further entry's: " + pattern);
  }

  @Test
  void investorTypesAreTheDistinctTypesOfTheListSorted() {
    List<String> lists =
        List.of(
            "Fund A|vc",
            "Fund A|vc;Fund B|vc;Fund C|vc",
            "Gulf|sovereign_wealth_fund;Angel One|angel;State|government_fund;Big Co|corporate",
            "PE|private_equity;vc fund|angel",
            "a|angel;b|corporate;c|government_fund;d|private_equity;e|sovereign_wealth_fund;f|vc");
    Object[][] rows = lists.stream().map(list -> new Object[] {list}).toArray(Object[][]::new);
    Dataset<Row> out =
        Rows.of("investors STRING", rows)
            .select(FundingRounds.investorTypes(col("investors")), col("investors"));
    for (Row row : out.collectAsList()) {
      String investors = row.getString(1);
      List<String> expected =
          Arrays.stream(investors.split(";"))
              .map(entry -> entry.substring(entry.indexOf('|') + 1))
              .distinct()
              .sorted()
              .toList();
      assertEquals(expected, row.getList(0), investors);
    }
  }

  private static ColumnSpec rawColumn(String name) {
    return SchemaCatalog.load(TestLakehouse.PROJECT.resolve("schemas").toString())
        .get(SchemaCatalog.RAW, "funding_rounds")
        .column(name)
        .orElseThrow();
  }
}
