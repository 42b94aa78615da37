package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aigap.Rows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClaimsTest {
  @Test
  void factReferencesBecomeListsAndTheOnesSilverLacksAreNamed() {
    Dataset<Row> bronze =
        Rows.of(
            "claim_id STRING, left_fact_ids STRING, right_fact_ids STRING",
            new Object[] {"ok", "a|b", "c"},
            new Object[] {"dangling", "a", "gone|c|gone"},
            new Object[] {"no_right", "a", null});
    Dataset<Row> facts =
        Rows.of("fact_id STRING", new Object[] {"a"}, new Object[] {"b"}, new Object[] {"c"});
    Dataset<Row> claims = Claims.conform(bronze, facts);
    Row ok = Rows.one(claims, "claim_id", "ok");
    assertEquals(List.of("a", "b"), ok.getList(ok.fieldIndex("left_fact_ids")));
    assertEquals(List.of(), ok.getList(ok.fieldIndex("missing_fact_ids")));
    Row dangling = Rows.one(claims, "claim_id", "dangling");
    assertEquals(List.of("gone"), dangling.getList(dangling.fieldIndex("missing_fact_ids")));
    Row noRight = Rows.one(claims, "claim_id", "no_right");
    assertEquals(List.of(), noRight.getList(noRight.fieldIndex("right_fact_ids")));
  }
}
