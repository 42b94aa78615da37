package org.aigap.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.aigap.core.ColumnSpec;
import org.aigap.core.Expectation;
import org.aigap.core.Level;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StringType;

/**
 * The row-level checks of a table, compiled from its schema: each column's presence, type, allowed
 * values, pattern and bounds, then the table's expectations. Every failed check becomes a
 * violation (check, level, column, message) on its row; the message quotes the bad value.
 */
public final class RowChecks {
  public static final String VIOLATIONS = "_violations";
  private static final String ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
  /** Text a spreadsheet would run as a formula (=, +, @, or - not followed by a number). */
  static final String FORMULA = "^([=+@\\t\\r]|-[^0-9.])";

  private RowChecks() {}

  /** The declared rules as SQL for Delta CHECK constraints, for every level but warn. */
  public static List<String> constraints(TableSchema schema) {
    List<String> out = new ArrayList<>();
    for (ColumnSpec c : schema.columns()) {
      if (c.level() == Level.WARN) {
        continue;
      }
      if (!c.allowed().isEmpty()) {
        out.add(orNull(c, "CAST(" + c.quoted() + " AS STRING) IN (" + sqlList(c.allowed()) + ")"));
      }
      if (c.sparkType() instanceof StringType) {
        out.add(orNull(c, "NOT " + c.quoted() + " RLIKE " + sqlString(FORMULA)));
      }
      if (c.pattern() != null) {
        out.add(orNull(c, c.quoted() + " RLIKE " + sqlString(c.pattern())));
      }
      if (c.min() != null) {
        out.add(orNull(c, c.quoted() + " >= " + c.min()));
      }
      if (c.max() != null) {
        out.add(orNull(c, c.quoted() + " <= " + c.max()));
      }
    }
    for (Expectation e : schema.expectations()) {
      if (e.level() != Level.WARN) {
        // Delta rejects a row whose constraint is null; an expectation passes on null.
        out.add("COALESCE((" + e.check() + "), TRUE)");
      }
    }
    return out;
  }

  /** Adds the typed columns (named as declared) and the array of violations to the split lines. */
  public static Dataset<Row> apply(Dataset<Row> lines, TableSchema schema) {
    List<Column> typed = new ArrayList<>();
    typed.add(col(RawFile.LINE));
    typed.add(col(RawFile.RAW_LINE));
    typed.add(col(RawFile.PARSE_ERROR));
    for (ColumnSpec c : schema.columns()) {
      typed.add(col(RawFile.RAW_PREFIX + c.name()));
      typed.add(col(RawFile.RAW_PREFIX + c.name()).try_cast(c.sparkType()).as(c.name()));
    }
    Dataset<Row> withTypes = lines.select(typed.toArray(Column[]::new));

    Column wellFormed = col(RawFile.PARSE_ERROR).isNull();
    List<Column> violations = new ArrayList<>();
    violations.add(
        when(not(wellFormed), violation("well_formed", Level.QUARANTINE, "*", col(RawFile.PARSE_ERROR))));
    for (ColumnSpec c : schema.columns()) {
      Column raw = col(RawFile.RAW_PREFIX + c.name());
      Column value = col(c.name());
      Column quotedRaw = concat(lit("'"), raw, lit("'"));
      if (!c.isNullable()) {
        violations.add(
            when(
                wellFormed.and(raw.isNull()),
                violation(c.name() + "_required", c.level(), c.name(), lit("a value is required but the field is empty"))));
      }
      // A date must be written in full: a cast alone would take "2025-06" as 2025-06-01.
      Column unparsed =
          c.sparkType() instanceof DateType ? value.isNull().or(not(raw.rlike(ISO_DATE))) : value.isNull();
      violations.add(
          when(
              wellFormed.and(raw.isNotNull()).and(unparsed),
              violation(
                  c.name() + "_type",
                  c.level(),
                  c.name(),
                  concat(quotedRaw, lit(" is not a valid " + c.type())))));
      if (!c.allowed().isEmpty()) {
        violations.add(
            when(
                not(value.cast(DataTypes.StringType).isin(c.allowed().toArray())),
                violation(
                    c.name() + "_allowed",
                    c.level(),
                    c.name(),
                    concat(quotedRaw, lit(" is not one of " + String.join(", ", c.allowed()))))));
      }
      if (c.sparkType() instanceof StringType) {
        violations.add(
            when(
                raw.rlike(FORMULA),
                violation(
                    c.name() + "_formula",
                    c.level(),
                    c.name(),
                    concat(quotedRaw, lit(" starts like a spreadsheet formula; refused so that it cannot run when the data is opened in a spreadsheet")))));
      }
      if (c.pattern() != null) {
        violations.add(
            when(
                not(raw.rlike(c.pattern())),
                violation(
                    c.name() + "_pattern",
                    c.level(),
                    c.name(),
                    concat(quotedRaw, lit(" does not match the pattern " + c.pattern())))));
      }
      if (c.min() != null) {
        violations.add(
            when(
                value.lt(lit(c.min()).cast(c.sparkType())),
                violation(c.name() + "_min", c.level(), c.name(), concat(quotedRaw, lit(" is below the minimum " + c.min())))));
      }
      if (c.max() != null) {
        violations.add(
            when(
                value.gt(lit(c.max()).cast(c.sparkType())),
                violation(c.name() + "_max", c.level(), c.name(), concat(quotedRaw, lit(" is above the maximum " + c.max())))));
      }
    }
    for (Expectation e : schema.expectations()) {
      List<Column> shown = new ArrayList<>();
      for (String name : e.columns()) {
        shown.add(concat(lit(name + "="), coalesce(col(RawFile.RAW_PREFIX + name), lit("null"))));
      }
      Column message =
          shown.isEmpty()
              ? lit(e.message())
              : concat(lit(e.message() + " ("), concat_ws(", ", shown.toArray(Column[]::new)), lit(")"));
      violations.add(
          when(
              wellFormed.and(not(coalesce(expr(e.check()), lit(true)))),
              violation(e.name(), e.level(), e.columns().isEmpty() ? "*" : String.join("+", e.columns()), message)));
    }
    return withTypes.withColumn(
        VIOLATIONS, filter(array(violations.toArray(Column[]::new)), Column::isNotNull));
  }

  private static Column violation(String check, Level level, String column, Column message) {
    return struct(
        lit(check).as("check"),
        lit(level.label()).as("level"),
        lit(column).as("column"),
        message.as("message"));
  }

  private static String orNull(ColumnSpec c, String rule) {
    return c.quoted() + " IS NULL OR " + rule;
  }

  private static String sqlList(List<String> values) {
    return String.join(", ", values.stream().map(RowChecks::sqlString).toList());
  }

  private static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
