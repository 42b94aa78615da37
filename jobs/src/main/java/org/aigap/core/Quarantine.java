package org.aigap.core;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The quarantine Delta table (schemas/bronze/quarantine.json): rows moved aside with their file,
 * line, raw text, column and reason. Each (table, file, line, raw line, check) is recorded once,
 * by the first run that saw it, so re-running on unchanged input adds nothing.
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
    return DeltaTables.createIfMissing(ctx.spark(), path(ctx), schema.sparkSchema(), List.of());
  }

  public static void record(RunContext ctx, Dataset<Row> rows) {
    TableSchema schema = ctx.schemas().get(SchemaCatalog.BRONZE, TABLE);
    DeltaTable table = ensureExists(ctx);
    Dataset<Row> fresh =
        rows.dropDuplicates(schema.key().toArray(String[]::new)).join(table.toDF(), Frames.seq(schema.key().toArray(String[]::new)), "left_anti");
    if (fresh.isEmpty()) {
      return;
    }
    String on =
        String.join(" AND ", schema.key().stream().map(k -> "t.`" + k + "` = s.`" + k + "`").toList());
    table.as("t").merge(fresh.as("s"), on).whenNotMatched().insertAll().execute();
  }
}
