package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aigap.ShippedRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DownloadsMetricTest {
  @Test
  void cumulativeDownloadsChinaOverUsIs5Point5Over4Point75() {
    Row ratio =
        ShippedRun.get()
            .output("downloads")
            .filter("measure = 'cumulative_ratio_cn_to_us'")
            .first();
    assertEquals(5.5 / 4.75, ratio.<Double>getAs("mid"), 1e-12);
    assertEquals("about", ratio.getAs("qualifier"), "中国 about 5.5亿 keeps the ratio approximate");
  }

  @Test
  void shareChangesAreInPercentagePointsSinceTheCountrysPreviousPeriod() {
    Row cn =
        ShippedRun.get()
            .output("downloads")
            .filter(
                "measure = 'new_download_share' AND country = 'CN' AND as_of_date ="
                    + " DATE'2025-09-30'")
            .first();
    assertEquals(0.65, cn.<Double>getAs("mid"), 1e-12);
    assertEquals(65 - 25, cn.<Double>getAs("change_pp"), 1e-9);
    Row us =
        ShippedRun.get()
            .output("downloads")
            .filter(
                "measure = 'new_download_share' AND country = 'US' AND as_of_date ="
                    + " DATE'2025-09-30'")
            .first();
    assertEquals(30 - 60, us.<Double>getAs("change_pp"), 1e-9);
  }
}
