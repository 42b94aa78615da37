package org.aigap.core;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Shaping DataFrames to their declared schemas. */
public final class Frames {
  private Frames() {}

  /** Column names as the Scala sequence that Dataset joins take. */
  public static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
  }

  /**
   * The declared columns in declared order, cast to their declared types; fails naming the missing
   * columns, so that a job cannot silently drift from its schema file.
   */
  public static Dataset<Row> project(Dataset<Row> rows, TableSchema schema) {
    List<String> have = Arrays.asList(rows.columns());
    List<String> missing = schema.columnNames().stream().filter(c -> !have.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw Errors.missingColumns(schema.layer() + "/" + schema.name(), missing);
    }
    return rows.select(
        schema.columns().stream()
            .map(c -> col(c.quoted()).cast(c.sparkType()).as(c.name()))
            .toArray(Column[]::new));
  }
}
