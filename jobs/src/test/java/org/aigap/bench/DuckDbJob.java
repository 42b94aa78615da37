package org.aigap.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB (JDBC, in process) computing the feed aggregates ({@link FeedAggregates}), from the raw
 * feed files ({@code csv RAW_DIR}) or from the Parquet files of the pipeline's bronze Delta tables
 * ({@code parquet BRONZE_DIR}; a fresh table's files are all live), writing Parquet like the
 * others. DuckDB is on the classpath only under the bench profile, hence JDBC by URL.
 */
public final class DuckDbJob {
  private DuckDbJob() {}

  public static void main(String[] args) throws SQLException {
    String mode = args[0];
    String in = args[1];
    String out = args[2];
    new java.io.File(out).mkdirs();
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      if (mode.equals("csv")) {
        s.execute(
            "CREATE VIEW downloads AS SELECT * FROM read_csv('"
                + in
                + "/model_downloads.csv', header = true, columns = {'date': 'DATE', 'model_id':"
                + " 'VARCHAR', 'organisation': 'VARCHAR', 'origin_country': 'VARCHAR', 'downloads':"
                + " 'BIGINT'})");
        s.execute(
            "CREATE VIEW deals_raw AS SELECT * FROM read_csv('"
                + in
                + "/funding_rounds.csv', header = true, columns = {'deal_id': 'VARCHAR',"
                + " 'announced_date': 'DATE', 'target': 'VARCHAR', 'target_country': 'VARCHAR',"
                + " 'amount': 'DECIMAL(20,2)', 'currency': 'VARCHAR', 'investors': 'VARCHAR'})");
        s.execute(
            "CREATE VIEW ecb AS SELECT * FROM read_csv('"
                + in
                + "/eurofxref-hist.csv', header = true, nullstr = 'N/A', columns = {'Date': 'DATE',"
                + " 'USD': 'DECIMAL(18,6)', 'CNY': 'DECIMAL(18,6)', 'HKD': 'DECIMAL(18,6)'})");
      } else {
        s.execute(
            "CREATE VIEW downloads AS SELECT * FROM read_parquet('"
                + in
                + "/bronze_model_downloads/*.parquet')");
        s.execute(
            "CREATE VIEW deals_raw AS SELECT * FROM read_parquet('"
                + in
                + "/bronze_funding_rounds/*.parquet')");
        s.execute(
            "CREATE VIEW ecb AS SELECT * FROM read_parquet('"
                + in
                + "/bronze_fx_rates_ecb/*.parquet')");
      }
      s.execute("CREATE TABLE rates AS " + FeedAggregates.RATES);
      // ASOF: the last ECB day on or before the deal's day (no 7-day limit: every generated day is
      // covered).
      s.execute(
          "CREATE VIEW deals AS SELECT d.*, r.usd_per_unit, r.cny_per_unit FROM deals_raw d "
              + "ASOF JOIN rates r ON d.currency = r.currency AND d.announced_date >= r.rate_date");
      String sovereign = "contains(investors, '|sovereign_wealth_fund')";
      copy(
          s,
          FeedAggregates.fundingTotals("date_trunc('month', %s)", sovereign),
          out + "/funding_totals.parquet");
      copy(
          s,
          FeedAggregates.downloadShares("date_trunc('month', %s)"),
          out + "/download_shares.parquet");
      copy(s, FeedAggregates.reconciliation(sovereign), out + "/reconciliation.parquet");
      System.out.printf("BENCH work_seconds=%.3f%n", (System.nanoTime() - started) / 1e9);
      try (var r = s.executeQuery("SELECT * FROM '" + out + "/reconciliation.parquet'")) {
        r.next();
        System.out.println(
            "BENCH totals="
                + r.getBigDecimal(1)
                + " "
                + r.getBigDecimal(2)
                + " "
                + r.getBigDecimal(3));
      }
    }
  }

  private static void copy(Statement s, String query, String file) throws SQLException {
    s.execute("COPY (" + query + ") TO '" + file + "' (FORMAT parquet)");
  }
}
