package org.aigap.core;

import java.util.List;

/**
 * A declared table-level rule: a Spark SQL boolean expression over the typed columns. A row fails
 * it when the expression is false; null (a value that is absent) passes, since presence is the
 * column's own rule.
 */
public record Expectation(
    String name, Level level, List<String> columns, String check, String message) {

  public Expectation {
    if (name == null || check == null || check.isBlank()) {
      throw Errors.badSchema("expectation " + name, "needs a name and a check expression");
    }
    level = level == null ? Level.QUARANTINE : level;
    columns = columns == null ? List.of() : List.copyOf(columns);
    message = message == null ? check : message;
  }
}
