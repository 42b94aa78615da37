package org.aigap.bench;

import org.aigap.core.SchemaCatalog;
import org.aigap.core.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * Plain Spark: reads the raw feed files with their declared types and computes the feed aggregates
 * ({@link FeedAggregates}), written as Parquet; no Delta, no row checks, no quarantine, no lineage.
 */
public final class PlainSparkJob {
  private PlainSparkJob() {}

  public static void main(String[] args) {
    String raw = args[0];
    String out = args[1];
    SparkSession spark = SparkSessions.getOrCreate("plain-spark", out);
    long started = System.nanoTime();
    SchemaCatalog schemas = SchemaCatalog.load(null);
    for (String[] t :
        new String[][] {
          {"model_downloads", "downloads"}, {"funding_rounds", "deals_raw"}, {"fx_rates_ecb", "ecb"}
        }) {
      var schema = schemas.get(SchemaCatalog.RAW, t[0]);
      spark
          .read()
          .option("header", "true")
          .option("nullValue", schema.nullValue())
          .schema(schema.sparkSchema())
          .csv(raw + "/" + schema.file())
          .createOrReplaceTempView(t[1]);
    }
    spark.sql(FeedAggregates.RATES).createOrReplaceTempView("rates");
    // The rate in force on each calendar day: the last ECB day on or before it.
    spark
        .sql(
            """
            SELECT currency, day, max_by(usd_per_unit, rate_date) AS usd_per_unit, max_by(cny_per_unit, rate_date) AS cny_per_unit
            FROM (SELECT currency, explode(sequence(min(rate_date), date_add(max(rate_date), 7))) AS day FROM rates GROUP BY currency) d
            JOIN rates r USING (currency)
            WHERE r.rate_date <= d.day AND r.rate_date >= date_sub(d.day, 7)
            GROUP BY currency, day
            """)
        .createOrReplaceTempView("day_rates");
    spark
        .sql(
            "SELECT d.*, r.usd_per_unit, r.cny_per_unit FROM deals_raw d JOIN day_rates r ON"
                + " r.currency = d.currency AND r.day = d.announced_date")
        .createOrReplaceTempView("deals");
    String sovereign = "instr(investors, '|sovereign_wealth_fund') > 0";
    spark
        .sql(FeedAggregates.fundingTotals("trunc(%s, 'month')", sovereign))
        .write()
        .mode("overwrite")
        .parquet(out + "/funding_totals");
    spark
        .sql(FeedAggregates.downloadShares("trunc(%s, 'month')"))
        .write()
        .mode("overwrite")
        .parquet(out + "/download_shares");
    spark
        .sql(FeedAggregates.reconciliation(sovereign))
        .write()
        .mode("overwrite")
        .parquet(out + "/reconciliation");
    System.out.printf("BENCH work_seconds=%.3f%n", (System.nanoTime() - started) / 1e9);
    System.out.println(
        "BENCH totals=" + spark.read().parquet(out + "/reconciliation").first().mkString(" "));
    spark.stop();
  }
}
