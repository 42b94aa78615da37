package org.aigap.conform;

import static org.aigap.Rows.date;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aigap.Rows;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DownloadsTest {
  @Test
  void modelDaysAreSummedPerDayAndOriginCountry() {
    List<Row> daily =
        Downloads.daily(
                Rows.of(
                    "model_id STRING, date DATE, origin_country STRING, downloads BIGINT",
                    new Object[] {"m1", date("2025-09-01"), "CN", 10L},
                    new Object[] {"m2", date("2025-09-01"), "CN", 5L},
                    new Object[] {"m3", date("2025-09-01"), "US", 7L},
                    new Object[] {"m1", date("2025-09-02"), "CN", 1L}))
            .orderBy("date", "origin_country")
            .collectAsList();
    assertEquals(
        List.of("2025-09-01 CN 2 15", "2025-09-01 US 1 7", "2025-09-02 CN 1 1"),
        daily.stream()
            .map(
                r ->
                    r.getAs("date")
                        + " "
                        + r.getAs("origin_country")
                        + " "
                        + r.getAs("model_days")
                        + " "
                        + r.getAs("downloads"))
            .toList());
  }
}
