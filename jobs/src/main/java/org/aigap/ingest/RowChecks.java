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
 * values, pattern and bounds, then the table's expectations. Each row gets a bit per failed check
 * (cheap enough for a hundred million rows); only a row with a bit set gets its violations built
 * (check, level, column, and a message that quotes the bad value).
 */
public final class RowChecks {
  public static final String VIOLATIONS = "_violations";

  /** True when a quarantine-level check failed: the row goes to quarantine. */
  public static final String QUARANTINED = "_quarantined";

  /** True when a fail-level check failed: the job stops before writing. */
  public static final String FAILED = "_failed";

  /** True when any check failed, warnings included. */
  public static final String FLAGGED = "_flagged";

  private static final String MASK = "_checks_failed_";
  private static final int BITS_PER_MASK = 63;
  private static final String ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

  /**
   * Text a spreadsheet would run as a formula: starting with =, +, @, a tab or a carriage return,
   * or with - not followed by a number. Prefix tests rather than a regular expression or a
   * substring: it runs on every text field of every row, at ingest and in the tables' CHECK
   * constraints, and {@code startswith} compares bytes in place where {@code left} copies them.
   */
  static String formula(String column) {
    return ("(startswith(%1$s, '=') OR startswith(%1$s, '+') OR startswith(%1$s, '@')"
            + " OR startswith(%1$s, '\\t') OR startswith(%1$s, '\\r') OR (startswith(%1$s, '-')"
            + " AND length(%1$s) > 1 AND NOT substr(%1$s, 2, 1) IN"
            + " ('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.')))")
        .formatted(column);
  }

  /** One compiled check: when {@code failed} is true the row violates it; the message says how. */
  record Check(String name, Level level, String column, Column failed, Column message) {}

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
        out.add(orNull(c, "NOT " + formula(c.quoted())));
      }
      if (c.pattern() != null) {
        out.add(orNull(c, c.quoted() + " RLIKE " + sqlString(c.pattern())));
      }
      // Each bound cast to the column's type, as the check casts it: a date, a float or a decimal
      // of fewer places compares differently with the bound as written.
      if (c.min() != null) {
        out.add(orNull(c, c.quoted() + " >= " + bound(c, c.min())));
      }
      if (c.max() != null) {
        out.add(orNull(c, c.quoted() + " <= " + bound(c, c.max())));
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

  /**
   * Adds to the split lines the typed columns (named as declared), {@link #QUARANTINED}, {@link
   * #FAILED}, {@link #FLAGGED} and {@link #VIOLATIONS} (null when no check failed), and drops the
   * raw field texts.
   */
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

    List<Check> checks = checks(schema);
    int masks = (checks.size() + BITS_PER_MASK - 1) / BITS_PER_MASK;
    List<Column> withMasks = new ArrayList<>();
    for (String name : withTypes.columns()) {
      withMasks.add(col(name));
    }
    for (int m = 0; m < masks; m++) {
      Column mask = lit(0L);
      for (int i = m * BITS_PER_MASK; i < Math.min(checks.size(), (m + 1) * BITS_PER_MASK); i++) {
        mask = mask.bitwiseOR(when(checks.get(i).failed(), lit(bit(i))).otherwise(lit(0L)));
      }
      withMasks.add(mask.as(MASK + m));
    }
    Dataset<Row> masked = withTypes.select(withMasks.toArray(Column[]::new));

    List<Column> violations = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      violations.add(
          when(
              isSet(i),
              struct(
                  lit(c.name()).as("check"),
                  lit(c.level().label()).as("level"),
                  lit(c.column()).as("column"),
                  c.message().as("message"))));
    }
    Column flagged = lit(false);
    Column quarantined = lit(false);
    Column failed = lit(false);
    for (int m = 0; m < masks; m++) {
      flagged = flagged.or(col(MASK + m).notEqual(0L));
      quarantined =
          quarantined.or(
              col(MASK + m).bitwiseAND(levelMask(checks, m, Level.QUARANTINE)).notEqual(0L));
      failed = failed.or(col(MASK + m).bitwiseAND(levelMask(checks, m, Level.FAIL)).notEqual(0L));
    }
    List<String> drop = new ArrayList<>();
    schema.columnNames().forEach(n -> drop.add(RawFile.RAW_PREFIX + n));
    for (int m = 0; m < masks; m++) {
      drop.add(MASK + m);
    }
    return masked
        .withColumn(
            VIOLATIONS,
            when(flagged, filter(array(violations.toArray(Column[]::new)), Column::isNotNull)))
        .withColumn(FLAGGED, flagged)
        .withColumn(QUARANTINED, quarantined)
        .withColumn(FAILED, failed)
        .drop(drop.toArray(String[]::new));
  }

  private static long bit(int check) {
    return 1L << (check % BITS_PER_MASK);
  }

  private static Column isSet(int check) {
    return col(MASK + check / BITS_PER_MASK).bitwiseAND(lit(bit(check))).notEqual(0L);
  }

  private static long levelMask(List<Check> checks, int mask, Level level) {
    long out = 0;
    for (int i = mask * BITS_PER_MASK;
        i < Math.min(checks.size(), (mask + 1) * BITS_PER_MASK);
        i++) {
      if (checks.get(i).level() == level) {
        out |= bit(i);
      }
    }
    return out;
  }

  /** Every check of the table, in a fixed order: columns as declared, then expectations. */
  static List<Check> checks(TableSchema schema) {
    List<Check> out = new ArrayList<>();
    Column wellFormed = col(RawFile.PARSE_ERROR).isNull();
    out.add(
        new Check("well_formed", Level.QUARANTINE, "*", not(wellFormed), col(RawFile.PARSE_ERROR)));
    for (ColumnSpec c : schema.columns()) {
      String rawName = RawFile.RAW_PREFIX + c.name();
      Column raw = col(rawName);
      Column value = col(c.name());
      Column quotedRaw = concat(lit("'"), raw, lit("'"));
      if (!c.isNullable()) {
        out.add(
            new Check(
                c.name() + "_required",
                c.level(),
                c.name(),
                wellFormed.and(raw.isNull()),
                lit("a value is required but the field is empty")));
      }
      // A date must be written in full, as yyyy-MM-dd: a cast alone takes "2025-06", "2025-6-1 "
      // and "2025-06-01T09" as 2025-06-01. The pattern costs half of formatting each date as text.
      Column unparsed =
          c.sparkType() instanceof DateType
              ? value.isNull().or(not(raw.rlike(ISO_DATE)))
              : value.isNull();
      out.add(
          new Check(
              c.name() + "_type",
              c.level(),
              c.name(),
              wellFormed.and(raw.isNotNull()).and(unparsed),
              concat(quotedRaw, lit(" is not a valid " + c.type()))));
      if (!c.allowed().isEmpty()) {
        out.add(
            new Check(
                c.name() + "_allowed",
                c.level(),
                c.name(),
                not(value.cast(DataTypes.StringType).isin(c.allowed().toArray())),
                concat(quotedRaw, lit(" is not one of " + String.join(", ", c.allowed())))));
      }
      if (c.sparkType() instanceof StringType) {
        out.add(
            new Check(
                c.name() + "_formula",
                c.level(),
                c.name(),
                expr(formula("`" + rawName + "`")),
                concat(
                    quotedRaw,
                    lit(
                        " starts like a spreadsheet formula; refused so that it cannot run when the"
                            + " data is opened in a spreadsheet"))));
      }
      if (c.pattern() != null) {
        out.add(
            new Check(
                c.name() + "_pattern",
                c.level(),
                c.name(),
                not(raw.rlike(c.pattern())),
                concat(quotedRaw, lit(" does not match the pattern " + c.pattern()))));
      }
      if (c.min() != null) {
        out.add(
            new Check(
                c.name() + "_min",
                c.level(),
                c.name(),
                value.lt(lit(c.min()).cast(c.sparkType())),
                concat(quotedRaw, lit(" is below the minimum " + c.min()))));
      }
      if (c.max() != null) {
        out.add(
            new Check(
                c.name() + "_max",
                c.level(),
                c.name(),
                value.gt(lit(c.max()).cast(c.sparkType())),
                concat(quotedRaw, lit(" is above the maximum " + c.max()))));
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
              : concat(
                  lit(e.message() + " ("), concat_ws(", ", shown.toArray(Column[]::new)), lit(")"));
      out.add(
          new Check(
              e.name(),
              e.level(),
              e.columns().isEmpty() ? "*" : String.join("+", e.columns()),
              wellFormed.and(not(coalesce(expr(e.check()), lit(true)))),
              message));
    }
    return out;
  }

  private static String bound(ColumnSpec c, String value) {
    return "CAST(" + sqlString(value) + " AS " + c.sparkType().sql() + ")";
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
