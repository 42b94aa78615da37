package org.aigap.ingest;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import org.aigap.core.DeltaTables;
import org.aigap.core.Errors;
import org.aigap.core.FaultPoints;
import org.aigap.core.Frames;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.Settings;
import org.aigap.core.Staging;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a bronze dataset is built from its raw extract: the file is read with its declared schema,
 * checked row by row, and MERGEd into its own Delta table by its natural key and a content hash.
 * Rows that fail a quarantine-level check, and every copy of a key given with conflicting values,
 * go to the quarantine table; a fail-level check stops the run before anything is written. For each
 * file, rows read = rows accepted + rows quarantined, and the table holds exactly the accepted rows
 * less the repeated copies, or the run fails. The runner checks every selected file ({@link
 * #check}) before it writes any table ({@link #write}).
 *
 * <p>A small file is parsed once and kept in memory for both steps. A large file is never held
 * whole, and parsed once: the check pass writes the rows that passed, in the table's own shape, as
 * a Delta table in the run's staging folder ({@link Staging}), counting what the checks found as
 * the rows stream by; the keys are then proven unique from the staged table's key columns alone:
 * within each file when the files hold disjoint ranges of the key (the file was in key order), else
 * by a shuffle of one 64-bit hash per key. Publishing moves the staged table into place in one
 * rename when the table is new and the store renames atomically; otherwise the table is written or
 * MERGEd from the staged one (a columnar read, no second parse). A failed check, or a run killed on
 * the way, leaves nothing but the staging folder, which no reader names. Only when a line fails a
 * check or a key repeats (usually neither) is the file parsed again, to find those lines.
 */
public final class Ingest {
  public static final String JOB = "ingest";
  private static final String ROW_HASH = "_row_hash";
  private static final String KEY_HASH = "_key_hash";
  private static final String SOURCE_LINE = "_source_line";

  /**
   * Spark conf key: files up to this many bytes (default 64 MB) are parsed once and cached; larger
   * ones are staged rather than held in memory or spilled to disk. Staging a larger file is the
   * cheaper path: at 124 MB (a million deals) the whole run took 57-59 s against 62-63 s cached.
   */
  public static final String CACHE_MAX_BYTES = "spark.aigap.ingest.cacheMaxBytes";

  /**
   * A lower bound on the bytes of a line, to size the shuffle of key hashes before the lines are
   * counted.
   */
  private static final long MIN_LINE_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  private final RunContext ctx;

  public Ingest(RunContext ctx) {
    this.ctx = ctx;
  }

  /**
   * An extract after its checks, held between the check pass and the write pass.
   *
   * @param rows every line, parsed and checked (cached when the file is small)
   * @param staged the staged table of the rows that passed, when the file is large (else null)
   * @param commitMetadata what every commit of the table's data carries
   * @param flagged the lines with a failed check, with their violations (null when none)
   * @param repeated every copy of a key given more than once, with whether the copies conflict,
   *     which copy each is and the lines they are on (null when no key repeats)
   */
  public record Checked(
      TableSchema schema,
      RawFile file,
      Dataset<Row> rows,
      String staged,
      String commitMetadata,
      Dataset<Row> flagged,
      Dataset<Row> repeated,
      long read,
      long quarantinedByChecks,
      long warned,
      long conflicting,
      long duplicates,
      List<RunRecord.CheckCount> checkCounts,
      double seconds) {

    long quarantined() {
      return quarantinedByChecks + conflicting;
    }

    long accepted() {
      return read - quarantined();
    }

    /** Frees the rows the check holds in memory (the runner removes what the run staged). */
    public void release() {
      rows.unpersist();
      if (flagged != null) {
        flagged.unpersist();
      }
    }
  }

  /**
   * Checks every line of a file in one pass: counts (read, flagged, quarantined, failed) are
   * observed as the rows stream by, and the keys of the rows that passed are counted by their hash.
   * Only when a check failed or a key hash repeats are those lines looked at again. A large file's
   * rows that passed are staged in the same pass; its table's commit will carry {@code
   * commitMetadata}.
   */
  public Checked check(TableSchema schema, RawFile file, String commitMetadata) {
    long started = System.nanoTime();
    Dataset<Row> rows =
        RowChecks.apply(file.lines(ctx.spark(), schema), schema)
            .withColumn(ROW_HASH, hashOf(schema.columnNames()));
    boolean small =
        file.bytes() <= Settings.number(ctx.spark(), CACHE_MAX_BYTES, 64L << 20, "bytes");
    if (small) {
      rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    }
    Observation seen = new Observation("ingest " + schema.bronzeTable());
    Dataset<Row> observed =
        rows.observe(
            seen,
            count(lit(1)).as("read"),
            count(when(col(RowChecks.FLAGGED), 1)).as("flagged"),
            count(when(col(RowChecks.QUARANTINED), 1)).as("quarantined"),
            count(when(col(RowChecks.FAILED), 1)).as("failed"));
    String staged = null;
    Dataset<Row> passedKeys = passed(observed);
    try {
      if (!small) {
        staged = Staging.path(ctx.paths(), ctx.runId(), schema.bronzeTable());
        // Staged without the constraint, which publishing declares: Delta would evaluate every
        // rule once more on every row that has just passed them.
        create(schema, staged, withLineage(passed(observed), schema, file), null, commitMetadata);
        passedKeys = ctx.spark().read().format("delta").load(staged);
      }
      Dataset<Row> repeatedHashes = null;
      if (!schema.key().isEmpty()) {
        Column keyHash = hashOf(schema.key());
        String first = schema.key().get(0);
        DataType type = schema.sparkSchema().apply(first).dataType();
        List<String> points =
            staged == null
                ? null
                : DeltaTables.meetingPoints(
                    ctx.spark().sparkContext().hadoopConfiguration(), staged, first, type);
        if (points != null) {
          Column atPoint = col(first).isin(points.stream().map(p -> lit(p).cast(type)).toArray());
          repeatedHashes = RepeatedKeys.withinFiles(passedKeys, keyHash, KEY_HASH, atPoint);
        }
        repeatedHashes =
            (repeatedHashes != null
                    ? repeatedHashes
                    : RepeatedKeys.hashes(
                        passedKeys, keyHash, KEY_HASH, file.bytes() / MIN_LINE_BYTES, 1))
                .localCheckpoint(); // runs the pass (or reads the staged keys); small
      } else if (small) {
        observed.write().format("noop").mode("overwrite").save();
      }
      return checked(schema, file, rows, staged, commitMetadata, seen, repeatedHashes, started);
    } catch (Exception e) { // Spark's AnalysisException is checked; Scala throws it anywhere
      rows.unpersist();
      throw e;
    }
  }

  /** What the check pass found, its failed and repeated lines looked at apart. */
  private Checked checked(
      TableSchema schema,
      RawFile file,
      Dataset<Row> rows,
      String staged,
      String commitMetadata,
      Observation seen,
      Dataset<Row> repeatedHashes,
      long started) {
    // No metrics when no task saw a row (a header-only file); the count of the written table checks
    // them.
    Row counts = seen.getRow().length() == 0 ? RowFactory.create(0L, 0L, 0L, 0L) : seen.getRow();
    long read = counts.getLong(0);
    long flaggedCount = counts.getLong(1);
    long quarantined = counts.getLong(2);

    Dataset<Row> flagged = null;
    long warned = 0;
    List<RunRecord.CheckCount> checkCounts = new ArrayList<>();
    if (flaggedCount > 0) {
      flagged =
          rows.filter(col(RowChecks.FLAGGED))
              .select(
                  col(RawFile.LINE),
                  col(RawFile.RAW_LINE),
                  col(RowChecks.VIOLATIONS),
                  col(RowChecks.QUARANTINED),
                  col(RowChecks.FAILED))
              .persist(StorageLevel.MEMORY_AND_DISK());
      if (counts.getLong(3) > 0) {
        RuntimeException failure = firstFailLevel(flagged, file);
        flagged.unpersist();
        throw failure;
      }
      for (Row r :
          flagged
              .select(explode(col(RowChecks.VIOLATIONS)).as("v"))
              .groupBy("v.check", "v.level")
              .count()
              .orderBy("check")
              .collectAsList()) {
        checkCounts.add(
            new RunRecord.CheckCount(
                schema.bronzeTable(), r.getString(0), r.getString(1), r.getLong(2)));
      }
    }
    Dataset<Row> repeated = null;
    long conflicting = 0;
    long duplicates = 0;
    if (repeatedHashes != null && !repeatedHashes.isEmpty()) {
      repeated = copies(rows, repeatedHashes, schema);
      Row r =
          repeated
              .agg(
                  count(when(col("_conflict"), 1)),
                  count(when(not(col("_conflict")).and(col("_copy").gt(1)), 1)))
              .head();
      conflicting = r.getLong(0);
      duplicates = r.getLong(1);
      if (conflicting > 0) {
        checkCounts.add(
            new RunRecord.CheckCount(
                schema.bronzeTable(), "key_unique", "quarantine", conflicting));
      }
    }
    if (flagged != null) {
      Dataset<Row> warnedRows = flagged.filter(not(col(RowChecks.QUARANTINED)));
      if (repeated != null) {
        warnedRows =
            warnedRows.join(
                repeated.filter(col("_conflict")).select(RawFile.LINE),
                Frames.seq(RawFile.LINE),
                "left_anti");
      }
      warned = warnedRows.count();
    }
    return new Checked(
        schema,
        file,
        rows,
        staged,
        commitMetadata,
        flagged,
        repeated,
        read,
        quarantined,
        warned,
        conflicting,
        duplicates,
        checkCounts,
        (System.nanoTime() - started) / 1e9);
  }

  /** The rows no quarantine- or fail-level check moved aside. */
  private static Dataset<Row> passed(Dataset<Row> rows) {
    return rows.filter(not(col(RowChecks.QUARANTINED)).and(not(col(RowChecks.FAILED))));
  }

  /**
   * Every copy of a key that repeats, from the rows whose key hash repeats (a hash shared by two
   * different keys is not a repeat): whether the copies conflict (different content), which copy
   * each is by line, and the lines of all copies.
   */
  private static Dataset<Row> copies(
      Dataset<Row> rows, Dataset<Row> repeatedHashes, TableSchema schema) {
    Column[] keys = schema.key().stream().map(k -> col(k)).toArray(Column[]::new);
    WindowSpec byKey = Window.partitionBy(keys);
    List<Column> select = new ArrayList<>(List.of(keys));
    select.addAll(List.of(col(RawFile.LINE), col(RawFile.RAW_LINE), col(ROW_HASH)));
    return passed(rows)
        .withColumn(KEY_HASH, hashOf(schema.key()))
        .join(repeatedHashes, Frames.seq(KEY_HASH))
        .select(select.toArray(Column[]::new))
        .withColumn("_n", count(lit(1)).over(byKey))
        .filter(col("_n").gt(1))
        .withColumn("_conflict", min(ROW_HASH).over(byKey).notEqual(max(ROW_HASH).over(byKey)))
        .withColumn("_key_lines", array_sort(collect_list(col(RawFile.LINE)).over(byKey)))
        .withColumn("_copy", row_number().over(byKey.orderBy(col(RawFile.LINE))))
        .localCheckpoint();
  }

  /**
   * A 64-bit hash of the values of the columns, each with whether it is null (so that null, "a" and
   * "a", null differ). As a row hash it tells a changed row from an unchanged one; as a key hash it
   * finds repeated keys with a narrow shuffle, the rare shared hash then told apart by the keys
   * themselves.
   */
  private static Column hashOf(List<String> columns) {
    List<Column> parts = new ArrayList<>();
    for (String c : columns) {
      parts.add(col(c));
      parts.add(col(c).isNull());
    }
    return xxhash64(parts.toArray(Column[]::new));
  }

  /** The error naming the first line (and its column) that failed a fail-level check. */
  private static RuntimeException firstFailLevel(Dataset<Row> flagged, RawFile file) {
    List<Row> failed =
        flagged
            .filter(col(RowChecks.FAILED))
            .select(
                col(RawFile.LINE),
                expr("filter(" + RowChecks.VIOLATIONS + ", v -> v.level = 'fail')[0]").as("v"))
            .orderBy(RawFile.LINE)
            .limit(1)
            .collectAsList();
    Row v = failed.get(0).getStruct(1);
    return Errors.failedExpectation(
        file.path(), failed.get(0).getLong(0), v.getAs("column"), v.getAs("message"));
  }

  /**
   * Writes the checked extract to its bronze table at {@code path}, its quarantined lines to the
   * quarantine table, and proves that nothing was lost.
   */
  public RunRecord.TableCounts write(Checked c, String path) {
    long started = System.nanoTime();
    TableSchema schema = c.schema();
    var hadoop = ctx.spark().sparkContext().hadoopConfiguration();
    c.file().assertUnchanged(hadoop); // the lines checked are the file's lines
    // Nothing lost, proven before anything is written: every quarantined line has its quarantine
    // rows.
    if (c.quarantined() > 0) {
      Dataset<Row> bad = quarantineRows(c).persist();
      try {
        long badLines = bad.select("line").distinct().count();
        if (badLines != c.quarantined()) {
          throw Errors.rowsLost(c.file().path(), c.read(), c.accepted(), badLines);
        }
        Quarantine.record(ctx, bad);
      } finally {
        bad.unpersist();
      }
    }
    boolean changed =
        (c.staged() != null && c.repeated() == null && publish(c, path))
            || merge(schema, source(c), path, c.commitMetadata());
    DeltaTables.Commit commit = DeltaTables.committed(ctx.spark(), path, c.commitMetadata());
    long version = commit.version();
    // ... and after: the table holds one row per accepted line, less the repeated copies.
    long inTable = commit.tableRows();
    if (inTable != c.accepted() - c.duplicates()) {
      throw Errors.rowsLost(c.file().path(), c.read(), inTable + c.duplicates(), c.quarantined());
    }
    LOG.info(
        "ingest {}: read {}, accepted {} (warned {}, duplicates {}), quarantined {} (conflicting"
            + " {}); Delta version {}{}",
        schema.bronzeTable(),
        c.read(),
        c.accepted(),
        c.warned(),
        c.duplicates(),
        c.quarantined(),
        c.conflicting(),
        version,
        changed ? "" : " (unchanged)");
    return new RunRecord.TableCounts(
        "bronze." + schema.name(),
        schema.bronzeTable(),
        c.file().path(),
        c.read(),
        c.accepted(),
        c.warned(),
        c.quarantined(),
        c.duplicates(),
        c.conflicting(),
        version,
        changed,
        c.seconds() + (System.nanoTime() - started) / 1e9,
        "computed",
        null,
        null);
  }

  /**
   * Moves a staged table into place as a new table, its rules declared as its constraint first
   * (rows that passed the checks meet them). False when the store cannot rename or a table is
   * there: the staged table is then only read from.
   */
  private boolean publish(Checked c, String path) {
    var hadoop = ctx.spark().sparkContext().hadoopConfiguration();
    String constraint = constraint(c.schema());
    // Analysed against the staged table's columns (no job runs): Delta, which will not evaluate it
    // on these rows, refuses a constraint that does not compile to a condition on them.
    ctx.spark().read().format("delta").load(c.staged()).where(constraint);
    DeltaTables.constrainUnpublished(hadoop, c.staged(), constraint);
    return Staging.moveIfAbsent(hadoop, c.staged(), path);
  }

  /**
   * The rows a new table is created with by {@link #write}, computed from the checked rows kept in
   * memory (null when the file was too large to keep): what a run hands to the datasets downstream
   * instead of reading the new table back.
   */
  public Dataset<Row> createdRows(Checked c) {
    return c.rows().storageLevel().useMemory() ? source(c) : null;
  }

  /** The rows to write: the accepted ones, one copy per key, with their lineage columns. */
  private Dataset<Row> source(Checked c) {
    Dataset<Row> rows =
        c.staged() != null
            ? ctx.spark().read().format("delta").load(c.staged())
            : withLineage(passed(c.rows()), c.schema(), c.file());
    if (c.repeated() != null) {
      Dataset<Row> left =
          c.repeated()
              .filter(col("_conflict").or(col("_copy").gt(1)))
              .select(col(RawFile.LINE).as(SOURCE_LINE));
      rows = rows.join(left, Frames.seq(SOURCE_LINE), "left_anti");
    }
    return rows;
  }

  /** The table's columns, the row hash and the lineage columns, from checked rows. */
  private Dataset<Row> withLineage(Dataset<Row> rows, TableSchema schema, RawFile file) {
    List<Column> select = new ArrayList<>();
    schema.columnNames().forEach(n -> select.add(col(n)));
    select.add(col(ROW_HASH));
    select.add(lit(file.path()).as("_source_file"));
    select.add(col(RawFile.LINE).as(SOURCE_LINE));
    select.add(lit(ctx.runId()).as("_ingest_run_id"));
    return rows.select(select.toArray(Column[]::new));
  }

  /**
   * Creates a bronze table holding {@code rows} in one commit: the declared columns and the lineage
   * columns, statistics on its key and dates, and {@code constraint} (null for none).
   */
  private void create(
      TableSchema schema,
      String path,
      Dataset<Row> rows,
      String constraint,
      String commitMetadata) {
    DeltaTables.create(
        ctx.spark(),
        path,
        FaultPoints.stallWhileWriting(rows, "ingest:writing:" + schema.bronzeTable()),
        constraint,
        DeltaTables.statsColumns(schema),
        commitMetadata,
        "overwrite");
  }

  /**
   * The bronze table's CHECK constraint: its declared NOT NULL columns, the lineage columns and the
   * rules of every level but warn. A row that passed the checks meets it by construction: the
   * checks and the constraint are compiled from the same rules, and a column that may not be null
   * cannot be checked at the warn level ({@link org.aigap.core.ColumnSpec}).
   */
  private String constraint(TableSchema schema) {
    StructType columns = schema.sparkSchema();
    for (StructField f :
        ctx.schemas().get(SchemaCatalog.BRONZE, "lineage").sparkSchema().fields()) {
      columns = columns.add(f);
    }
    return DeltaTables.constraint(columns, RowChecks.constraints(schema));
  }

  /**
   * MERGEs the accepted rows (one copy per key) into the bronze table: new keys inserted, changed
   * content updated, keys no longer in the extract deleted. Skipped when nothing differs, so a
   * re-run on unchanged files writes no new version.
   */
  private boolean merge(
      TableSchema schema, Dataset<Row> source, String path, String commitMetadata) {
    if (!DeltaTables.exists(ctx.spark(), path)) {
      // A new table, written in one commit with its constraint: far cheaper than a MERGE into
      // nothing.
      create(schema, path, source, constraint(schema), commitMetadata);
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
            .filter(
                col("s_" + ROW_HASH)
                    .isNull()
                    .or(col("t_" + ROW_HASH).isNull())
                    .or(col("s_" + ROW_HASH).notEqual(col("t_" + ROW_HASH))))
            .isEmpty();
    if (unchanged) {
      DeltaTables.recordMetadata(
          ctx.spark(), path, commitMetadata); // the table is as computed from these inputs
      return false;
    }
    String on =
        String.join(" AND ", keys.stream().map(k -> "t.`" + k + "` <=> s.`" + k + "`").toList());
    DeltaTables.withCommitMetadata(
        ctx.spark(),
        commitMetadata,
        () ->
            table
                .as("t")
                .merge(source.as("s"), on)
                .whenMatched("t." + ROW_HASH + " <> s." + ROW_HASH)
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .whenNotMatchedBySource()
                .delete()
                .execute());
    return true;
  }

  /** One row per quarantined line and failed check, in the shape of the quarantine table. */
  private Dataset<Row> quarantineRows(Checked c) {
    TableSchema schema = c.schema();
    List<Dataset<Row>> parts = new ArrayList<>();
    if (c.flagged() != null) {
      parts.add(
          c.flagged()
              .filter(col(RowChecks.QUARANTINED))
              .select(
                  col(RawFile.LINE),
                  col(RawFile.RAW_LINE),
                  explode(expr("filter(" + RowChecks.VIOLATIONS + ", v -> v.level = 'quarantine')"))
                      .as("v")));
    }
    if (c.repeated() != null) {
      Column conflict =
          struct(
              lit("key_unique").as("check"),
              lit("quarantine").as("level"),
              lit(String.join("+", schema.key())).as("column"),
              concat(
                      lit("key " + String.join("+", schema.key()) + " = "),
                      concat_ws(
                          "|",
                          schema.key().stream()
                              .map(n -> col(n).cast("string"))
                              .toArray(Column[]::new)),
                      lit(" is given with different values on lines "),
                      concat_ws(", ", col("_key_lines").cast("array<string>")))
                  .as("message"));
      parts.add(
          c.repeated()
              .filter(col("_conflict"))
              .select(col(RawFile.LINE), col(RawFile.RAW_LINE), conflict.as("v")));
    }
    Dataset<Row> all = parts.stream().reduce(Dataset::unionByName).orElseThrow();
    return Quarantine.rows(
        all,
        schema.bronzeTable(),
        JOB,
        lit(c.file().path()),
        col(RawFile.LINE),
        col(RawFile.RAW_LINE),
        col("v.column"),
        col("v.check"),
        col("v.message"),
        ctx.runId());
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
}
