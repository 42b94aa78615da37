package org.aigap.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.aigap.SharedSpark;
import org.aigap.core.DeltaTables;
import org.aigap.core.Json;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class RowChecksTest {
  /**
   * A staged table is published under its constraint without Delta evaluating it, so a row passes
   * the checks exactly when it meets the constraint, bounds included: a float, a date and a decimal
   * with more places than its column each compare with the bound as cast to their type.
   */
  @Test
  void aRowPassesTheChecksExactlyWhenItMeetsTheTablesConstraint() throws Exception {
    TableSchema schema =
        Json.MAPPER.readValue(
            """
            {"name": "bounds", "file": "bounds.csv", "columns": [
              {"name": "share", "type": "float", "max": "0.1"},
              {"name": "day", "type": "date", "min": "2020-01-01"},
              {"name": "amount", "type": "decimal(20,2)", "max": "0.005"}]}
            """,
            TableSchema.class);
    String[][] values = {
      {"0.1", "2020-01-01", "0.01"},
      {"0.2", "2020-01-01", "0.01"},
      {"0.1", "2019-12-31", "0.01"},
      {"0.1", "2020-01-01", "0.02"},
      {"0.1", "2020-01-01", "0.00"}
    };
    List<Row> lines = new ArrayList<>();
    for (String[] fields : values) {
      lines.add(line(lines.size() + 2L, fields));
    }
    var checked =
        RowChecks.apply(
            SharedSpark.get().createDataFrame(lines, RawFile.lineSchema(schema)), schema);
    String constraint = DeltaTables.constraint(schema.sparkSchema(), RowChecks.constraints(schema));
    List<Row> verdicts =
        checked
            .select(not(col(RowChecks.QUARANTINED)), expr(constraint))
            .orderBy(col(RawFile.LINE))
            .collectAsList();
    List<Boolean> passed = verdicts.stream().map(r -> r.getBoolean(0)).toList();
    // 0.005 as a decimal(20,2) is 0.01: 0.02 is over it, 0.01 is not.
    assertEquals(List.of(true, false, false, false, true), passed);
    assertEquals(passed, verdicts.stream().map(r -> r.getBoolean(1)).toList());
  }

  @Test
  void aDateIsValidOnlyWrittenInFullAsYearMonthDay() throws Exception {
    TableSchema schema =
        Json.MAPPER.readValue(
            """
            {"name": "days", "file": "days.csv", "columns": [{"name": "day", "type": "date"}]}
            """,
            TableSchema.class);
    List<String> valid = List.of("2025-06-01", "2024-02-29", "0001-01-01");
    List<String> invalid =
        List.of(
            "2025-06",
            "2025-6-1",
            "2025-06-1 ",
            " 2025-06-01",
            "2025-06-01T09:00",
            "02025-06-1",
            "+10000-01-01",
            "2025-02-30");
    List<Row> lines = new ArrayList<>();
    for (String day : Stream.concat(valid.stream(), invalid.stream()).toList()) {
      lines.add(line(lines.size() + 2L, day));
    }
    List<Boolean> quarantined =
        RowChecks.apply(
                SharedSpark.get().createDataFrame(lines, RawFile.lineSchema(schema)), schema)
            .orderBy(col(RawFile.LINE))
            .select(col(RowChecks.QUARANTINED))
            .collectAsList()
            .stream()
            .map(r -> r.getBoolean(0))
            .toList();
    List<Boolean> expected = new ArrayList<>();
    valid.forEach(day -> expected.add(false));
    invalid.forEach(day -> expected.add(true));
    assertEquals(expected, quarantined, "valid " + valid + ", then invalid " + invalid);
  }

  /**
   * A split line of {@link RawFile#lineSchema}: its number, its text, no parse error, its fields.
   */
  private static Row line(long number, String... fields) {
    List<Object> values = new ArrayList<>(List.of(number, String.join(",", fields)));
    values.add(null);
    values.addAll(List.of(fields));
    return RowFactory.create(values.toArray());
  }
}
