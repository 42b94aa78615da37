package org.aigap.core;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** Appends the records of a run to the run-log Delta table (schemas/audit/run_log.json). */
public final class RunLog {
  public static final String TABLE = "run_log";

  private RunLog() {}

  public static String path(RunContext ctx) {
    return ctx.paths().table(SchemaCatalog.AUDIT, TABLE);
  }

  /** Appends the records in one commit. */
  public static void append(RunContext ctx, List<RunRecord> records) {
    TableSchema schema = ctx.schemas().get(SchemaCatalog.AUDIT, TABLE);
    Dataset<String> json =
        ctx.spark().createDataset(records.stream().map(Json::write).toList(), Encoders.STRING());
    Dataset<Row> row =
        ctx.spark().read().schema(schema.sparkSchema()).option("mode", "FAILFAST").json(json);
    DeltaTables.append(ctx.spark(), path(ctx), schema, row);
  }
}
