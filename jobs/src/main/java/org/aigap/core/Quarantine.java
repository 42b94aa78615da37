package org.aigap.core;

import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The quarantine Delta table (schemas/bronze/quarantine.json): rows moved aside with their file,
 * line, raw text, column and reason. Each (table, file, line, raw line, check) is recorded once, by
 * the first run that saw it, so re-running on unchanged input adds nothing. Every quarantine row of
 * every layer is shaped by {@link #rows}.
 */
public final class Quarantine {
  public static final String TABLE = "quarantine";

  private Quarantine() {}

  public static String path(RunContext ctx) {
    return ctx.paths().table(SchemaCatalog.BRONZE, TABLE);
  }

  /** Creates the table if a run has not yet, so that readers always find it. */
  public static DeltaTable ensureExists(RunContext ctx) {
    TableSchema schema = ctx.schemas().get(SchemaCatalog.BRONZE, TABLE);
    return DeltaTables.createIfMissing(ctx.spark(), path(ctx), schema.sparkSchema());
  }

  /**
   * Rows of {@code from} in the quarantine table's shape, each column given as an expression over
   * {@code from}.
   */
  public static Dataset<Row> rows(
      Dataset<Row> from,
      String table,
      String job,
      Column sourceFile,
      Column line,
      Column rawLine,
      Column column,
      Column check,
      Column reason,
      String runId) {
    return from.select(
        lit(table).as("table_name"),
        lit(job).as("job"),
        sourceFile.as("source_file"),
        line.as("line"),
        rawLine.as("raw_line"),
        column.as("column"),
        check.as("check"),
        reason.as("reason"),
        lit(runId).as("run_id"),
        current_timestamp().as("quarantined_at"));
  }

  /**
   * Adds the rows not recorded yet. Datasets of one run may quarantine at once: their MERGEs into
   * the one table take turns (two at once would conflict).
   */
  public static synchronized void record(RunContext ctx, Dataset<Row> rows) {
    TableSchema schema = ctx.schemas().get(SchemaCatalog.BRONZE, TABLE);
    DeltaTable table = ensureExists(ctx);
    Dataset<Row> fresh =
        rows.dropDuplicates(schema.key().toArray(String[]::new))
            .join(table.toDF(), Frames.seq(schema.key().toArray(String[]::new)), "left_anti");
    if (fresh.isEmpty()) {
      return;
    }
    String on =
        String.join(
            " AND ", schema.key().stream().map(k -> "t.`" + k + "` = s.`" + k + "`").toList());
    table.as("t").merge(fresh.as("s"), on).whenNotMatched().insertAll().execute();
  }
}
