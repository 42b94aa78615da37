package org.aigap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aigap.core.PipelineException;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * aigap sql: one query over every dataset and system table by its name, at the latest committed
 * version.
 */
class SqlCommandTest {
  private static List<Row> query(String sql) {
    ShippedRun run = ShippedRun.get();
    return SqlCommand.query(
            run.ctx.spark(), Registry.graph(TestLakehouse.schemas()), run.ctx.paths(), sql)
        .collectAsList();
  }

  @Test
  void anAnalystFindsTheClaimsThatAreNotConsistentByTheOutputsName() {
    List<String> expected =
        ShippedRun.get()
            .output("claim_checks")
            .filter("verdict <> 'consistent'")
            .select("claim_id")
            .orderBy("claim_id")
            .as(Encoders.STRING())
            .collectAsList();
    List<Row> rows =
        query(
            "select claim_id, verdict from gold.claim_checks where verdict <> 'consistent' order by"
                + " claim_id");
    assertEquals(expected, rows.stream().map(r -> r.getString(0)).toList());
    assertTrue(
        rows.stream()
            .anyMatch(
                r ->
                    r.getString(0).equals("xpeng_about_1pct_of_tesla")
                        && r.getString(1).equals("inconsistent")));
  }

  @Test
  void bronzeSilverAndTheSystemTablesJoinByName() {
    ShippedRun run = ShippedRun.get();
    long silverFacts = run.silver("facts").count();
    Row r =
        query(
                "select count(*), count(b._source_line), (select count(*) from audit.run_log),"
                    + " (select count(*) from bronze.quarantine) from silver.facts s join"
                    + " bronze.facts b using (fact_id)")
            .get(0);
    assertEquals(silverFacts, r.getLong(0));
    assertEquals(silverFacts, r.getLong(1), "every silver fact leads back to its bronze line");
    assertTrue(r.getLong(2) >= 3, "the run log has a record per layer of the run");
    assertEquals(
        run.ctx
            .spark()
            .read()
            .format("delta")
            .load(run.ctx.paths().table("bronze", "quarantine"))
            .count(),
        r.getLong(3));
  }

  @Test
  void aQueryThatDoesNotRunSaysWhyInOneLine() {
    PipelineException e =
        assertThrows(PipelineException.class, () -> query("select * from gold.no_such_output"));
    assertTrue(
        e.getMessage().startsWith("The query does not run: [TABLE_OR_VIEW_NOT_FOUND]"),
        e.getMessage());
  }
}
