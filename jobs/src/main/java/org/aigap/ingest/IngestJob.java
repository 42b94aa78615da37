package org.aigap.ingest;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aigap.core.DeltaTables;
import org.aigap.core.Errors;
import org.aigap.core.FaultPoints;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest (bronze): every raw extract declared in {@code schemas/raw/} is read with its schema,
 * checked row by row, and MERGEd into its own Delta table by its natural key and a content hash.
 * Rows that fail a quarantine-level check, and every copy of a key given with conflicting values,
 * go to the quarantine table; a fail-level check stops the job before anything is written. For
 * each file, rows read = rows accepted + rows quarantined, or the job fails.
 */
public final class IngestJob {
  public static final String JOB = "ingest";
  private static final String QUARANTINE = "quarantine";
  private static final String STATUS = "_status";
  private static final String ROW_HASH = "_row_hash";
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  private final RunContext ctx;
  private final List<TableSchema> extracts;

  public IngestJob(RunContext ctx) {
    this(ctx, ctx.schemas().layer(SchemaCatalog.RAW));
  }

  /** Ingests only the given extracts (e.g. the granular feeds, or one table in a test). */
  public IngestJob(RunContext ctx, List<TableSchema> extracts) {
    this.ctx = ctx;
    this.extracts = List.copyOf(extracts);
  }

  /** A checked extract, held between the all-files validation pass and the write pass. */
  private record Checked(TableSchema schema, RawFile file, Dataset<Row> rows, Dataset<Row> cached, double checkSeconds) {}

  public RunRecord run() {
    String started = Instant.now().toString();
    List<Checked> checked = new ArrayList<>();
    List<RunRecord.Input> inputs = new ArrayList<>();
    List<RunRecord.TableCounts> tables = new ArrayList<>();
    List<RunRecord.CheckCount> checks = new ArrayList<>();
    try {
      // Pass 1: every header and every fail-level check, before any table is touched.
      for (TableSchema schema : extracts) {
        ctx.describe("ingest: check " + schema.file());
        long checkStarted = System.nanoTime();
        RawFile file =
            RawFile.open(
                ctx.paths().rawFile(schema.file()), schema, ctx.spark().sparkContext().hadoopConfiguration());
        inputs.add(new RunRecord.Input(file.path(), file.sha256(), file.bytes(), null));
        // Parsed, checked and hashed once; every later step reads this cache.
        Dataset<Row> hashed = withRowHash(RowChecks.apply(file.lines(ctx.spark(), schema), schema), schema);
        hashed.persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> rows;
        try {
          rows = classify(hashed, schema);
          failOnFirstFailLevel(rows, file);
        } catch (RuntimeException e) {
          hashed.unpersist();
          throw e;
        }
        checked.add(new Checked(schema, file, rows, hashed, (System.nanoTime() - checkStarted) / 1e9));
      }
      // Pass 2: write each table and its quarantined rows, then prove nothing was lost.
      Quarantine.ensureExists(ctx);
      for (Checked c : checked) {
        ctx.describe("ingest: write " + c.schema().bronzeTable());
        tables.add(write(c, checks));
        FaultPoints.reach("ingest:written:" + c.schema().bronzeTable());
      }
      RunRecord record = record(started, "succeeded", null, inputs, tables, checks);
      RunLog.append(ctx, record);
      return record;
    } catch (RuntimeException failure) {
      RuntimeException e = Errors.concurrentRun(JOB, failure);
      RunLog.append(ctx, record(started, "failed", e.getMessage(), inputs, tables, checks));
      throw e;
    } finally {
      checked.forEach(c -> c.cached().unpersist());
    }
  }

  /**
   * Adds a status to every line: quarantined (a quarantine-level check failed), conflict (its key
   * appears on other lines with different values) or accepted; plus the row hash and, for keys
   * given more than once with the same values, which copy is kept. Keys are counted with one
   * narrow aggregation (key and hash only); the lines of repeated keys, usually none, are then
   * looked at apart, so a large file is never sorted whole.
   */
  private static Dataset<Row> classify(Dataset<Row> hashed, TableSchema schema) {
    Column quarantined = quarantined();
    Column status = when(quarantined, lit(QUARANTINE)).otherwise(lit("accepted"));
    Dataset<Row> single =
        hashed.withColumn(STATUS, status).withColumn("_copy", lit(1)).withColumn("_key_lines", lit(null).cast("array<bigint>"));
    if (schema.key().isEmpty()) {
      return single;
    }
    Column[] keys = schema.key().stream().map(n -> col(n)).toArray(Column[]::new);
    Dataset<Row> repeatedKeys =
        hashed.filter(col(ROW_HASH).isNotNull())
            .groupBy(schema.key().stream().map(k -> col(k).as("_k_" + k)).toArray(Column[]::new))
            .agg(count(lit(1)).as("_n"), min(ROW_HASH).as("_first_hash"), max(ROW_HASH).as("_last_hash"))
            .filter(col("_n").gt(1))
            .localCheckpoint(); // computed once here; small (repeated keys only)
    if (repeatedKeys.isEmpty()) {
      return single;
    }
    Column sameKey = null;
    for (String k : schema.key()) {
      Column eq = col(k).eqNullSafe(col("_k_" + k));
      sameKey = sameKey == null ? eq : sameKey.and(eq);
    }
    Dataset<Row> joined =
        hashed.join(repeatedKeys, sameKey, "left")
            .withColumn("_conflict", col("_first_hash").notEqual(col("_last_hash")))
            .withColumn("_repeated", col("_n").isNotNull())
            .drop(repeatedKeys.columns());
    WindowSpec byKey = Window.partitionBy(keys);
    Dataset<Row> repeated =
        joined.filter(col("_repeated"))
            .withColumn(
                "_key_lines", array_sort(collect_list(when(col(ROW_HASH).isNotNull(), col(RawFile.LINE))).over(byKey)))
            .withColumn("_copy", row_number().over(byKey.orderBy(col(ROW_HASH).isNull(), col(RawFile.LINE))))
            .withColumn(STATUS, when(quarantined, lit(QUARANTINE)).when(col("_conflict"), lit("conflict")).otherwise(lit("accepted")));
    Dataset<Row> once =
        joined.filter(not(col("_repeated")))
            .withColumn(STATUS, status)
            .withColumn("_copy", lit(1))
            .withColumn("_key_lines", lit(null).cast("array<bigint>"));
    return once.unionByName(repeated).drop("_conflict", "_repeated");
  }

  private static Column quarantined() {
    return expr("exists(" + RowChecks.VIOLATIONS + ", v -> v.level = 'quarantine')");
  }

  /**
   * Adds the SHA-256 of the row's typed values as JSON (for rows that passed their quarantine
   * checks) and drops the raw field texts, which the violations already quote: the cached rows of
   * a large file stay narrower.
   */
  private static Dataset<Row> withRowHash(Dataset<Row> checked, TableSchema schema) {
    Column hash = sha2(to_json(struct(schema.columnNames().stream().map(n -> col(n)).toArray(Column[]::new))), 256);
    return checked
        .withColumn(ROW_HASH, when(not(quarantined()), hash))
        .drop(schema.columnNames().stream().map(n -> RawFile.RAW_PREFIX + n).toArray(String[]::new));
  }

  private static void failOnFirstFailLevel(Dataset<Row> rows, RawFile file) {
    List<Row> failed =
        rows.filter(expr("exists(" + RowChecks.VIOLATIONS + ", v -> v.level = 'fail')"))
            .select(col(RawFile.LINE), expr("filter(" + RowChecks.VIOLATIONS + ", v -> v.level = 'fail')[0]").as("v"))
            .orderBy(RawFile.LINE)
            .limit(1)
            .collectAsList();
    if (!failed.isEmpty()) {
      Row v = failed.get(0).getStruct(1);
      throw Errors.failedExpectation(
          file.path(), failed.get(0).getLong(0), v.getAs("column"), v.getAs("message"));
    }
  }

  private RunRecord.TableCounts write(Checked c, List<RunRecord.CheckCount> checks) {
    long started = System.nanoTime();
    TableSchema schema = c.schema();
    Dataset<Row> rows = c.rows();
    Row counts =
        rows.agg(
                count(lit(1)),
                sum(when(col(STATUS).equalTo("accepted"), 1).otherwise(0)),
                sum(when(col(STATUS).equalTo(QUARANTINE), 1).otherwise(0)),
                sum(when(col(STATUS).equalTo("conflict"), 1).otherwise(0)),
                sum(when(col(STATUS).equalTo("accepted").and(col("_copy").gt(1)), 1).otherwise(0)),
                sum(when(col(STATUS).equalTo("accepted").and(expr("size(" + RowChecks.VIOLATIONS + ") > 0")), 1).otherwise(0)))
            .head();
    long read = counts.getLong(0);
    long accepted = nz(counts, 1);
    long quarantined = nz(counts, 2) + nz(counts, 3);
    long conflicting = nz(counts, 3);
    long duplicates = nz(counts, 4);
    long warned = nz(counts, 5);

    for (Row r :
        rows.select(explode(col(RowChecks.VIOLATIONS)).as("v"))
            .groupBy("v.check", "v.level")
            .count()
            .orderBy("check")
            .collectAsList()) {
      checks.add(new RunRecord.CheckCount(schema.bronzeTable(), r.getString(0), r.getString(1), r.getLong(2)));
    }
    if (conflicting > 0) {
      checks.add(new RunRecord.CheckCount(schema.bronzeTable(), "key_unique", "quarantine", conflicting));
    }

    // Nothing lost, proven before anything is written: every line is accepted or quarantined,
    // and every quarantined line has its quarantine rows.
    if (read != accepted + quarantined) {
      throw Errors.rowsLost(c.file().path(), read, accepted, quarantined);
    }
    if (quarantined > 0) {
      Dataset<Row> bad = quarantineRows(schema, c.file(), rows).persist();
      try {
        long badLines = bad.select("line").distinct().count();
        if (badLines != quarantined) {
          throw Errors.rowsLost(c.file().path(), read, accepted, badLines);
        }
        Quarantine.record(ctx, bad);
      } finally {
        bad.unpersist();
      }
    }
    String path = ctx.paths().table(SchemaCatalog.BRONZE, schema.bronzeTable());
    boolean changed = merge(schema, c.file(), rows, path);
    long version = DeltaTables.version(ctx.spark(), path);
    LOG.info(
        "ingest {}: read {}, accepted {} (warned {}, duplicates {}), quarantined {} (conflicting {}); Delta version {}{}",
        schema.bronzeTable(), read, accepted, warned, duplicates, quarantined, conflicting, version,
        changed ? "" : " (unchanged)");
    return new RunRecord.TableCounts(
        schema.bronzeTable(), c.file().path(), read, accepted, warned, quarantined, duplicates,
        conflicting, version, changed, c.checkSeconds() + (System.nanoTime() - started) / 1e9);
  }

  /**
   * MERGEs the accepted rows (one copy per key) into the bronze table: new keys inserted, changed
   * content updated, keys no longer in the extract deleted. Skipped when nothing differs, so a
   * re-run on unchanged files writes no new version.
   */
  private boolean merge(TableSchema schema, RawFile file, Dataset<Row> rows, String path) {
    TableSchema lineage = ctx.schemas().get(SchemaCatalog.BRONZE, "lineage");
    StructType tableSchema = schema.sparkSchema();
    for (StructField f : lineage.sparkSchema().fields()) {
      tableSchema = tableSchema.add(f);
    }
    List<Column> select = new ArrayList<>();
    schema.columnNames().forEach(n -> select.add(col(n)));
    select.add(col(ROW_HASH));
    select.add(lit(file.path()).as("_source_file"));
    select.add(col(RawFile.LINE).as("_source_line"));
    select.add(lit(ctx.runId()).as("_ingest_run_id"));
    Dataset<Row> source =
        rows.filter(col(STATUS).equalTo("accepted").and(col("_copy").equalTo(1)))
            .select(select.toArray(Column[]::new));

    if (!DeltaTable.isDeltaTable(ctx.spark(), path)) {
      // A new table: an overwrite is far cheaper than a MERGE into nothing. Not a blind append:
      // an overwrite reads the whole table, so a concurrent run writing the same new table makes
      // one of the two fail on Delta's conflict check instead of both adding the same rows.
      DeltaTables.createIfMissing(ctx.spark(), path, tableSchema, RowChecks.constraints(schema));
      FaultPoints.stallWhileWriting(source, "ingest:writing:" + schema.bronzeTable()).write().format("delta").mode("overwrite").save(path);
      return true;
    }
    DeltaTable table = DeltaTable.forPath(ctx.spark(), path);
    List<String> keys = schema.key().isEmpty() ? List.of(ROW_HASH) : schema.key();
    Dataset<Row> s = source.select(keyColumns(keys, "s_"));
    Dataset<Row> t = table.toDF().select(keyColumns(keys, "t_"));
    Column sameKey = null;
    for (String k : keys) {
      Column eq = col("s_" + k).eqNullSafe(col("t_" + k));
      sameKey = sameKey == null ? eq : sameKey.and(eq);
    }
    boolean unchanged =
        s.join(t, sameKey, "full_outer")
            .filter(col("s_" + ROW_HASH).isNull().or(col("t_" + ROW_HASH).isNull()).or(col("s_" + ROW_HASH).notEqual(col("t_" + ROW_HASH))))
            .isEmpty();
    if (unchanged) {
      return false;
    }
    String on = String.join(" AND ", keys.stream().map(k -> "t.`" + k + "` <=> s.`" + k + "`").toList());
    table
        .as("t")
        .merge(source.as("s"), on)
        .whenMatched("t." + ROW_HASH + " <> s." + ROW_HASH)
        .updateAll()
        .whenNotMatched()
        .insertAll()
        .whenNotMatchedBySource()
        .delete()
        .execute();
    return true;
  }

  /** One row per quarantined line and failed check, in the shape of the quarantine table. */
  private Dataset<Row> quarantineRows(TableSchema schema, RawFile file, Dataset<Row> rows) {
    Column conflictReason =
        struct(
            lit("key_unique").as("check"),
            lit("quarantine").as("level"),
            lit(String.join("+", schema.key())).as("column"),
            concat(
                    lit("key " + String.join("+", schema.key()) + " = "),
                    concat_ws("|", schema.key().stream().map(n -> col(n).cast("string")).toArray(Column[]::new)),
                    lit(" is given with different values on lines "),
                    concat_ws(", ", col("_key_lines").cast("array<string>")))
                .as("message"));
    return rows.filter(col(STATUS).notEqual("accepted"))
            .withColumn(
                "v",
                explode(
                    when(col(STATUS).equalTo("conflict"), org.apache.spark.sql.functions.array(conflictReason))
                        .otherwise(expr("filter(" + RowChecks.VIOLATIONS + ", v -> v.level = 'quarantine')"))))
            .select(
                lit(schema.bronzeTable()).as("table_name"),
                lit(JOB).as("job"),
                lit(file.path()).as("source_file"),
                col(RawFile.LINE).as("line"),
                col(RawFile.RAW_LINE).as("raw_line"),
                col("v.column").as("column"),
                col("v.check").as("check"),
                col("v.message").as("reason"),
                lit(ctx.runId()).as("run_id"),
                current_timestamp().as("quarantined_at"));
  }

  private static long nz(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getLong(i);
  }

  /** The key columns and the row hash, each renamed with a prefix for a self-describing join. */
  private static Column[] keyColumns(List<String> keys, String prefix) {
    List<Column> out = new ArrayList<>();
    for (String k : keys) {
      out.add(col(k).as(prefix + k));
    }
    if (!keys.contains(ROW_HASH)) {
      out.add(col(ROW_HASH).as(prefix + ROW_HASH));
    }
    return out.toArray(Column[]::new);
  }

  private RunRecord record(
      String started,
      String outcome,
      String error,
      List<RunRecord.Input> inputs,
      List<RunRecord.TableCounts> tables,
      List<RunRecord.CheckCount> checks) {
    return new RunRecord(ctx.runId(), JOB, started, Instant.now().toString(), outcome, error, inputs, tables, checks);
  }
}
