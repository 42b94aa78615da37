package org.aigap.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table declared in {@code schemas/}: a raw extract (with its file and bronze table), or a silver
 * table, a gold output or a system table. The single source of truth for column names, types,
 * nullability, allowed values, keys and expectations; no job repeats it in code.
 */
public record TableSchema(
    String name,
    String layer,
    String description,
    String file,
    String bronzeTable,
    String source,
    Map<String, String> csv,
    List<String> key,
    List<ColumnSpec> columns,
    List<Expectation> expectations) {

  public TableSchema {
    if (name == null || columns == null || columns.isEmpty()) {
      throw Errors.badSchema(String.valueOf(name), "needs a name and at least one column");
    }
    csv = csv == null ? Map.of() : Map.copyOf(csv);
    key = key == null ? List.of() : List.copyOf(key);
    columns = List.copyOf(columns);
    expectations = expectations == null ? List.of() : List.copyOf(expectations);
    List<String> names = columns.stream().map(ColumnSpec::name).toList();
    for (String k : key) {
      if (!names.contains(k)) {
        throw Errors.badSchema(name, "key column '" + k + "' is not a declared column");
      }
    }
  }

  /** The same table, placed in the layer (the folder under schemas/) it was declared in. */
  public TableSchema withLayer(String folder) {
    return new TableSchema(
        name, folder, description, file, bronzeTable, source, csv, key, columns, expectations);
  }

  public List<String> columnNames() {
    return columns.stream().map(ColumnSpec::name).toList();
  }

  public Optional<ColumnSpec> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  /** The typed Spark schema, with nullability and descriptions as column comments. */
  public StructType sparkSchema() {
    return new StructType(
        columns.stream()
            .map(
                c ->
                    new StructField(
                        c.name(),
                        c.sparkType(),
                        c.isNullable(),
                        c.description() == null
                            ? Metadata.empty()
                            : Metadata.fromJson(
                                "{\"comment\":" + Json.quote(c.description()) + "}")))
            .toArray(StructField[]::new));
  }

  public char delimiter() {
    String d = csv.getOrDefault("delimiter", ",");
    if (d.length() != 1) {
      throw Errors.badSchema(name, "csv delimiter must be one character, found '" + d + "'");
    }
    return d.charAt(0);
  }

  /** The text that stands for a missing value besides the empty field, e.g. the ECB's N/A. */
  public String nullValue() {
    return csv.getOrDefault("nullValue", "");
  }
}
