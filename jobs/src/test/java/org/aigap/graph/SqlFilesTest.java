package org.aigap.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aigap.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The shared SQL functions (sql/functions.sql): what a figure as written bounds, and the verdict.
 */
class SqlFilesTest {
  private static Row eval(String select) {
    SparkSession spark = SharedSpark.get();
    SqlFiles.createFunctions(spark);
    return spark.sql("SELECT " + select).first();
  }

  @Test
  void aFigureBoundsHalfAUnitOfItsLastWrittenDigit() {
    assertEquals(
        0.05, eval("stated_half_unit(1.8, 'exact')").getDouble(0), 1e-12, "1.8% covers 1.75-1.85");
    assertEquals(
        50.0,
        eval("stated_half_unit(2700, 'about')").getDouble(0),
        1e-12,
        "about 2700: trailing zeros not significant");
    assertEquals(
        0.5,
        eval("stated_half_unit(2700, 'exact')").getDouble(0),
        1e-12,
        "an exact 2700 is to the unit");
    Row r = eval("stated_min(1.8, 'exact'), stated_max(1.8, 1.8, 'exact')");
    assertEquals(1.75, r.getDouble(0), 1e-12);
    assertEquals(1.85, r.getDouble(1), 1e-12);
  }

  @Test
  void aOneSidedFigureBoundsOneSideOnly() {
    Row over = eval("stated_min(93, 'over'), stated_max(93, 93, 'over')");
    assertEquals(93.0, over.getDouble(0));
    assertEquals(Double.POSITIVE_INFINITY, over.getDouble(1));
    Row under = eval("stated_min(5, 'under'), stated_max(5, 5, 'under')");
    assertEquals(Double.NEGATIVE_INFINITY, under.getDouble(0));
    assertEquals(5.0, under.getDouble(1));
  }

  @Test
  void aRecomputedValueIsConsistentInsideApproximateWithinTenPercentElseInconsistent() {
    // stated 1.8 (1.75-1.85): 1.82 inside; 1.95 misses by 0.10 / 1.8 = 5.6%; 2.5 by 36%
    Row r =
        eval(
            "verdict(relative_miss(1.75D, 1.85D, 1.82D, 1.82D, 1.8, 1.8)), relative_miss(1.75D,"
                + " 1.85D, 1.95D, 1.95D, 1.8, 1.8), verdict(relative_miss(1.75D, 1.85D, 1.95D,"
                + " 1.95D, 1.8, 1.8)), verdict(relative_miss(1.75D, 1.85D, 2.5D, 2.5D, 1.8, 1.8))");
    assertEquals("consistent", r.getString(0));
    assertEquals(0.10 / 1.8, r.getDouble(1), 1e-12);
    assertEquals("approximate", r.getString(2));
    assertEquals("inconsistent", r.getString(3));
  }

  @Test
  void aFileSplitsIntoItsStatementsWithoutItsComments() {
    assertEquals(
        List.of("SELECT 1", "SELECT ';'\nFROM x"),
        SqlFiles.statements("-- a comment; with a semicolon\nSELECT 1;\nSELECT ';'\nFROM x;\n"));
  }
}
