package org.aigap.core;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The quarantine Delta table (schemas/bronze/quarantine.json): rows moved aside with their file,
 * line, raw text, column and reason. Each (table, file, raw line, check) is recorded once, by the
 * first run that saw it, so re-running on unchanged input adds nothing.
 */
public final class Quarantine {
  public static final String TABLE = "quarantine";

  private Quarantine() {}

  public static String path(RunContext ctx) {
    return ctx.paths().table(SchemaCatalog.BRONZE, TABLE);
  }

  public static void record(RunContext ctx, Dataset<Row> rows) {
    TableSchema schema = ctx.schemas().get(SchemaCatalog.BRONZE, TABLE);
    DeltaTable table = DeltaTables.createIfMissing(ctx.spark(), path(ctx), schema.sparkSchema(), List.of());
    Dataset<Row> fresh =
        rows.join(table.toDF(), scala.jdk.javaapi.CollectionConverters.asScala(schema.key()).toSeq(), "left_anti");
    if (fresh.isEmpty()) {
      return;
    }
    String on =
        String.join(" AND ", schema.key().stream().map(k -> "t.`" + k + "` = s.`" + k + "`").toList());
    table.as("t").merge(fresh.as("s"), on).whenNotMatched().insertAll().execute();
  }
}
