package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.aigap.EcbRates;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PeValuationMetricTest {
  @Test
  void theDocumentCaseIs3BnProfitTimes30() {
    List<Row> cases =
        ShippedRun.get().output("pe_valuation").filter("is_document_case").collectAsList();
    assertEquals(1, cases.size());
    Row r = cases.get(0);
    assertEquals(0, new BigDecimal("90000000000").compareTo(r.getAs("openai_valuation_usd")));
    // The chain: China's first tier is the method's 600亿 CNY, i.e. a fixed fraction of OpenAI's
    // 900亿 USD.
    BigDecimal usdPerCny = new EcbRates().usdPerUnit("CNY", LocalDate.of(2023, 12, 31));
    double chinaUsd = 6e10 * usdPerCny.doubleValue();
    assertEquals(chinaUsd / 9e10, r.<Double>getAs("china_to_openai_coefficient"), 1e-9);
    assertEquals(chinaUsd, r.<BigDecimal>getAs("china_first_tier_usd").doubleValue(), 1.0);
    Row doubled =
        ShippedRun.get()
            .output("pe_valuation")
            .filter("pe_multiple = 30 AND profit_factor = 1.5")
            .first();
    assertEquals(
        chinaUsd * 1.5, doubled.<BigDecimal>getAs("china_first_tier_usd").doubleValue(), 1.0);
    assertEquals(5000.0 / 900.0, r.<Double>getAs("reported_over_method"), 1e-9);
    // The group the method values, not the current market range (china_market_llm).
    assertEquals("china_first_tier_llm", r.getAs("china_entity_id"));
    assertEquals("中国第一梯队大模型公司", r.getAs("china_entity_name"));
  }

  @Test
  void theSensitivityGridVariesPeAndProfit() {
    var grid = ShippedRun.get().output("pe_valuation");
    assertEquals(25, grid.count());
    Row r = grid.filter("pe_multiple = 40 AND profit_factor = 1.5").first();
    assertEquals(
        0, new BigDecimal("180000000000").compareTo(r.getAs("openai_valuation_usd")), "4.5亿 x 40");
  }
}
