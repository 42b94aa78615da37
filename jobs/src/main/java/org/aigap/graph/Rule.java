package org.aigap.graph;

import org.aigap.core.Level;

/**
 * A row rule of a silver dataset, checked by the runner on the transform's result before the
 * projection onto the declared schema. {@code passes} is a Spark SQL condition (null passes);
 * {@code reason} a Spark SQL string expression that says what is wrong with a failing row.
 * Quarantine rules move rows aside first; fail rules are then checked on the rows kept and stop the
 * run before the dataset is written.
 */
public record Rule(String name, Level level, String column, String passes, String reason) {
  public Rule {
    if (level == Level.WARN) {
      throw new IllegalArgumentException("rule " + name + ": a silver rule quarantines or fails");
    }
  }

  public static Rule quarantine(String name, String column, String passes, String reason) {
    return new Rule(name, Level.QUARANTINE, column, passes, reason);
  }

  public static Rule fail(String name, String column, String passes, String reason) {
    return new Rule(name, Level.FAIL, column, passes, reason);
  }

  /** The condition as a null-safe SQL predicate: true when the row passes. */
  String passesSql() {
    return "coalesce((" + passes + "), true)";
  }
}
