package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PeValuationMetricTest {
  @Test
  void theDocumentCaseIs3BnProfitTimes30() {
    List<Row> cases = ShippedRun.get().output("pe_valuation").filter("is_document_case").collectAsList();
    assertEquals(1, cases.size());
    Row r = cases.get(0);
    assertEquals(0, new BigDecimal("90000000000").compareTo(r.getAs("openai_valuation_usd")));
    assertEquals(0, new BigDecimal("60000000000").compareTo(r.getAs("china_first_tier_cny")), "the chain gives the document's 600亿 CNY");
    assertEquals(5000.0 / 900.0, r.<Double>getAs("reported_over_method"), 1e-9);
  }

  @Test
  void theSensitivityGridVariesPeAndProfit() {
    var grid = ShippedRun.get().output("pe_valuation");
    assertEquals(25, grid.count());
    Row r = grid.filter("pe_multiple = 40 AND profit_factor = 1.5").first();
    assertEquals(0, new BigDecimal("180000000000").compareTo(r.getAs("openai_valuation_usd")), "4.5亿 x 40");
  }
}
