package org.aigap.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;

/**
 * One declared column: its Spark type and the value rules that become row-level checks at ingest
 * and CHECK constraints on the Delta table.
 *
 * @param level what a violation of this column's rules does (default quarantine)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ColumnSpec(
    String name,
    String type,
    Boolean nullable,
    List<String> allowed,
    String pattern,
    String min,
    String max,
    String unit,
    Level level,
    String description) {

  public ColumnSpec {
    if (name == null || name.isBlank()) {
      throw Errors.badSchema("column", "a column has no name");
    }
    if (type == null) {
      throw Errors.badSchema("column " + name, "no type");
    }
    nullable = nullable == null || nullable;
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
    level = level == null ? Level.QUARANTINE : level;
    // What passes a column's checks must meet the table's constraint, which holds the same rules:
    // a warning cannot let in a null that NOT NULL refuses, and a pattern must read the text as
    // written, which only a string column keeps.
    if (!nullable && level == Level.WARN) {
      throw Errors.badSchema(
          "column " + name, "a column that may not be null cannot be checked at the warn level");
    }
    if (pattern != null && !(sparkType(name, type) instanceof StringType)) {
      throw Errors.badSchema(
          "column " + name, "a pattern applies to a string column, found type '" + type + "'");
    }
  }

  public boolean isNullable() {
    return nullable;
  }

  public DataType sparkType() {
    return sparkType(name, type);
  }

  private static DataType sparkType(String name, String type) {
    try {
      return DataType.fromDDL(type);
    } catch (RuntimeException e) {
      throw Errors.badSchema("column " + name, "type '" + type + "' is not a Spark SQL type");
    }
  }

  /** The column name quoted for Spark SQL expressions. */
  public String quoted() {
    return "`" + name + "`";
  }
}
