package org.aigap;

import java.math.BigDecimal;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** A few in-memory rows as a DataFrame, for testing a transform alone. */
public final class Rows {
  private Rows() {}

  /** Rows with the columns of {@code ddl} (e.g. "id STRING, amount DECIMAL(38,4)"). */
  public static Dataset<Row> of(String ddl, Object[]... rows) {
    List<Row> list = Arrays.stream(rows).map(RowFactory::create).toList();
    return SharedSpark.get().createDataFrame(list, StructType.fromDDL(ddl));
  }

  public static Date date(String iso) {
    return Date.valueOf(iso);
  }

  public static BigDecimal dec(String text) {
    return new BigDecimal(text);
  }

  /** The one row whose {@code column} equals {@code value}. */
  public static Row one(Dataset<Row> rows, String column, String value) {
    List<Row> found = rows.filter(rows.col(column).equalTo(value)).collectAsList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one row with " + column + " = " + value + ", found " + found.size());
    }
    return found.get(0);
  }
}
