package org.aigap.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Creating, versioning and appending to the Delta tables of the warehouse. */
public final class DeltaTables {
  /** The CHECK constraint that holds a table's declared rules. */
  private static final String CONSTRAINT_PROPERTY = "delta.constraints.declared_rules";

  private static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";

  /** Delta's protocol: the writer version that CHECK constraints need, without table features. */
  private static final int CHECK_CONSTRAINTS_WRITER_VERSION = 3;

  /** Delta's protocol: the writer version from which a table lists its features by name. */
  private static final int TABLE_FEATURES_WRITER_VERSION = 7;

  private static final String CHECK_CONSTRAINTS_FEATURE = "checkConstraints";

  /** Delta's statistics keep this many characters of a text (its default). */
  private static final int STATS_TEXT_PREFIX = 32;

  /** Delta's session setting for the user metadata of the commits that follow. */
  private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

  /** One action per line, as Delta's log holds them. */
  private static final ObjectWriter LOG_LINE =
      Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");

  private DeltaTables() {}

  /**
   * Creates an empty table at {@code path} with {@code schema} if it does not exist (the system
   * tables: quarantine, run log), so that readers always find it and a concurrent creator's table
   * is used rather than fought over.
   */
  public static DeltaTable createIfMissing(SparkSession spark, String path, StructType schema) {
    if (DeltaTable.isDeltaTable(spark, path)) {
      return DeltaTable.forPath(spark, path);
    }
    try {
      // An empty append: the same write path as every other table's first commit (a CREATE TABLE
      // would load a second one, about a second of a run's start-up).
      spark.createDataFrame(List.of(), schema).write().format("delta").mode("append").save(path);
    } catch (Exception e) { // e.g. a concurrent run creating it first
      if (!createdByAnotherRun(spark, path)) {
        throw Errors.cannotCreateTable(path, e);
      }
    }
    return DeltaTable.forPath(spark, path);
  }

  /** Waits briefly for a concurrent run's CREATE TABLE commit to land. */
  private static boolean createdByAnotherRun(SparkSession spark, String path) {
    for (int attempt = 0; attempt < 20; attempt++) {
      if (DeltaTable.isDeltaTable(spark, path)) {
        return true;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * The columns readers filter a table by, given file statistics for data skipping: its key and its
   * dates.
   */
  public static List<String> statsColumns(TableSchema schema) {
    List<String> out = new ArrayList<>(schema.key());
    schema.columns().stream()
        .filter(c -> c.sparkType() instanceof DateType && !out.contains(c.name()))
        .forEach(c -> out.add(c.name()));
    return out;
  }

  /**
   * Replaces the table's content with {@code rows} (a derived table: its schema becomes the
   * declared one), creating the table on first use ({@link #create}). The commit carries {@code
   * commitMetadata}. Returns the commit: its version, and the rows the table now holds.
   */
  public static Commit overwrite(
      SparkSession spark,
      String path,
      TableSchema schema,
      Dataset<Row> rows,
      String commitMetadata) {
    if (!exists(spark, path)) {
      return create(
          spark,
          path,
          rows,
          constraint(schema.sparkSchema(), List.of()),
          statsColumns(schema),
          commitMetadata,
          "overwrite");
    }
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", "true")
        .option("userMetadata", commitMetadata)
        .save(path);
    return committed(spark, path, commitMetadata);
  }

  /**
   * A table's one CHECK constraint: the columns {@code declared} NOT NULL and the {@code rules}, so
   * that a writer that bypasses the pipeline cannot break them. Null when there are none.
   */
  public static String constraint(StructType declared, List<String> rules) {
    List<String> constraints = new ArrayList<>();
    for (StructField f : declared.fields()) {
      if (!f.nullable()) {
        constraints.add("`" + f.name() + "` IS NOT NULL");
      }
    }
    constraints.addAll(rules);
    return constraints.isEmpty()
        ? null
        : String.join(" AND ", constraints.stream().map(c -> "(" + c + ")").toList());
  }

  /**
   * Creates the table at {@code path} holding {@code rows}, in one commit: {@code constraint} (see
   * {@link #constraint}; null for none) is its CHECK constraint, which the first rows meet too,
   * file statistics are kept for {@code statsColumns} only, and the commit carries {@code
   * commitMetadata}. Two runs creating the same table at once both try version 0; Delta lets one
   * commit and refuses the other. The save {@code mode}: "overwrite" replaces what a concurrent
   * creator committed before this write began, "append" adds to it.
   */
  public static Commit create(
      SparkSession spark,
      String path,
      Dataset<Row> rows,
      String constraint,
      List<String> statsColumns,
      String commitMetadata,
      String mode) {
    DataFrameWriter<Row> writer = rows.write().format("delta").mode(mode);
    if (commitMetadata != null) {
      writer = writer.option("userMetadata", commitMetadata);
    }
    if (!statsColumns.isEmpty()) {
      writer = writer.option(STATS_COLUMNS_PROPERTY, String.join(",", statsColumns));
    }
    if (constraint != null) {
      writer = writer.option(CONSTRAINT_PROPERTY, constraint);
    }
    writer.save(path);
    return commitMetadata == null ? null : committed(spark, path, commitMetadata);
  }

  /**
   * The commit this run just made at {@code path} (the latest one, carrying {@code
   * commitMetadata}), with the rows the table holds; fails if another writer committed since.
   */
  public static Commit committed(SparkSession spark, String path, String commitMetadata) {
    Commit c = latestCommit(spark.sparkContext().hadoopConfiguration(), path);
    if (c == null || !commitMetadata.equals(c.userMetadata())) {
      throw Errors.commitOvertaken(path);
    }
    return c.tableRows() != null
        ? c
        : new Commit(c.version(), c.userMetadata(), rowsAt(spark, path, c.version()));
  }

  /**
   * Runs {@code write} (e.g. a MERGE, which takes no write options) with its commit carrying {@code
   * commitMetadata}.
   */
  public static void withCommitMetadata(SparkSession spark, String commitMetadata, Runnable write) {
    synchronized (spark) { // the setting is the session's: two runs in one session take turns
      spark.conf().set(USER_METADATA, commitMetadata);
      try {
        write.run();
      } finally {
        spark.conf().unset(USER_METADATA);
      }
    }
  }

  /**
   * Records {@code commitMetadata} on the table in a commit of its own that changes no data: how a
   * re-computation that found nothing to change still says what the table was computed from.
   */
  public static void recordMetadata(SparkSession spark, String path, String commitMetadata) {
    withCommitMetadata(
        spark,
        commitMetadata,
        () ->
            spark.sql(
                "ALTER TABLE delta.`"
                    + path.replace("`", "``")
                    + "` SET TBLPROPERTIES ('aigap.recomputed' = 'true')"));
  }

  /**
   * Adds {@code constraint} to a table that no reader can see yet and that holds one commit (a
   * staged table), by rewriting that commit as Delta writes a table created with the constraint:
   * the metadata gains it, the protocol the writer version (or, with table features, the feature)
   * that constraints need. For rows the pipeline checked by the same rules as it wrote them, which
   * Delta would otherwise evaluate once more on every row. The commit's checksum file, which
   * repeats the metadata and protocol, is removed (Delta recomputes the state without it).
   */
  public static void constrainUnpublished(Configuration hadoop, String path, String constraint) {
    Path log = new Path(path, "_delta_log");
    Path first = logFile(log, 0, "json");
    try {
      FileSystem fs = log.getFileSystem(hadoop);
      if (fs.exists(logFile(log, 1, "json"))) {
        throw Errors.cannotStage(
            "declare the rules of", path, new IllegalStateException("it has more than one commit"));
      }
      StringBuilder rewritten = new StringBuilder();
      for (JsonNode read : actions(fs, first)) {
        ObjectNode action = (ObjectNode) read;
        if (action.has("metaData")) {
          ((ObjectNode) action.get("metaData"))
              .withObject("/configuration")
              .put(CONSTRAINT_PROPERTY, constraint);
        } else if (action.has("protocol")) {
          ObjectNode protocol = (ObjectNode) action.get("protocol");
          int writer = protocol.path("minWriterVersion").asInt();
          if (writer >= TABLE_FEATURES_WRITER_VERSION) {
            ArrayNode features = protocol.withArray("/writerFeatures");
            boolean listed = false;
            for (JsonNode feature : features) {
              listed |= CHECK_CONSTRAINTS_FEATURE.equals(feature.asText());
            }
            if (!listed) {
              features.add(CHECK_CONSTRAINTS_FEATURE);
            }
          } else {
            protocol.put("minWriterVersion", Math.max(writer, CHECK_CONSTRAINTS_WRITER_VERSION));
          }
        }
        rewritten.append(LOG_LINE.writeValueAsString(action)).append('\n');
      }
      try (OutputStream out = fs.create(first, true)) {
        out.write(rewritten.toString().getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(logFile(log, 0, "crc"), false);
    } catch (IOException e) {
      throw Errors.cannotStage("declare the rules of", path, e);
    }
  }

  /**
   * Where the files of a table of one commit (a staged table) meet in {@code column}, by the
   * statistics its commit keeps for each file: the values that end one file's range and begin the
   * next, when the ranges are otherwise disjoint (an extract written in order of the column, cut
   * into files). So a value of the column, and a key that begins with it, repeats across files only
   * at those points. Null whenever that is not certain: a file without statistics or with nulls in
   * the column, a text bound Delta may have cut short, a type other than text, date or whole
   * number, or two ranges that overlap by more than a point.
   */
  public static List<String> meetingPoints(
      Configuration hadoop, String path, String column, DataType type) {
    Path log = new Path(path, "_delta_log");
    Path first = logFile(log, 0, "json");
    record Range(Comparable<?> min, Comparable<?> max, String maxText) {}
    List<Range> ranges = new ArrayList<>();
    try {
      FileSystem fs = first.getFileSystem(hadoop);
      if (fs.exists(logFile(log, 1, "json"))) {
        return null; // statistics of files a later commit may have removed
      }
      for (JsonNode action : actions(fs, first)) {
        JsonNode add = action.get("add");
        if (add == null) {
          continue;
        }
        JsonNode stats = Json.MAPPER.readTree(add.path("stats").asText("{}"));
        if (stats.path("numRecords").asLong(-1) == 0) {
          continue;
        }
        JsonNode max = stats.path("maxValues").path(column);
        Comparable<?> low = bound(stats.path("minValues").path(column), type);
        Comparable<?> high = bound(max, type);
        // A file holding one value only would be all meeting point: not worth it.
        if (low == null
            || high == null
            || compare(low, high) == 0
            || stats.path("nullCount").path(column).asLong(-1) != 0) {
          return null;
        }
        ranges.add(new Range(low, high, max.asText()));
      }
    } catch (IOException e) {
      throw Errors.cannotRead("the Delta log of", path, e);
    }
    Comparator<Range> byMin = (a, b) -> compare(a.min(), b.min());
    ranges.sort(byMin.thenComparing((a, b) -> compare(a.max(), b.max())));
    List<String> points = new ArrayList<>();
    for (int i = 1; i < ranges.size(); i++) {
      int order = compare(ranges.get(i - 1).max(), ranges.get(i).min());
      if (order > 0) {
        return null;
      }
      if (order == 0 && !points.contains(ranges.get(i - 1).maxText())) {
        points.add(ranges.get(i - 1).maxText());
      }
    }
    return points;
  }

  /** The actions of a commit file of a Delta log, one JSON object per line. */
  private static List<JsonNode> actions(FileSystem fs, Path commit) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        out.add(Json.MAPPER.readTree(line));
      }
    }
    return out;
  }

  /** Version {@code version}'s commit ("json") or checksum ("crc") file in a Delta log. */
  private static Path logFile(Path log, long version, String kind) {
    return new Path(log, String.format("%020d.%s", version, kind));
  }

  /**
   * A file statistic as a value that orders as Spark orders the column (text by its UTF-8 bytes, a
   * date by its day, a whole number as a number), or null when it may not be exact.
   */
  private static Comparable<?> bound(JsonNode value, DataType type) {
    boolean whole =
        type instanceof LongType
            || type instanceof IntegerType
            || type instanceof ShortType
            || type instanceof ByteType;
    if (whole && value.isIntegralNumber()) {
      return value.asLong();
    }
    if (type instanceof DateType && value.isTextual()) {
      try {
        return LocalDate.parse(value.asText()).toEpochDay();
      } catch (DateTimeParseException e) {
        return null; // a year beyond 9999, written with its sign
      }
    }
    // Delta keeps the first 32 characters of a text: a shorter one is whole.
    return type instanceof StringType
            && value.isTextual()
            && value.asText().length() < STATS_TEXT_PREFIX
        ? ByteBuffer.wrap(value.asText().getBytes(StandardCharsets.UTF_8))
        : null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    // ByteBuffer compares its bytes as signed; UTF-8 orders as unsigned.
    if (a instanceof ByteBuffer x && b instanceof ByteBuffer y) {
      return Arrays.compareUnsigned(x.array(), y.array());
    }
    return a.compareTo(b);
  }

  /**
   * The table's latest commit, read straight from its log (the newest {@code _delta_log/N.json} and
   * its commitInfo action, as Delta's protocol defines them): a directory listing and one small
   * read, where loading the table's snapshot would cost a Spark job. Null when there is no Delta
   * table at {@code path}.
   */
  public static Commit latestCommit(Configuration hadoop, String path) {
    Path log = new Path(path, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(hadoop);
      if (!fs.exists(log)) {
        return null;
      }
      FileStatus latest = null;
      for (FileStatus f : fs.listStatus(log, p -> COMMIT_FILE.matcher(p.getName()).matches())) {
        if (latest == null || f.getPath().getName().compareTo(latest.getPath().getName()) > 0) {
          latest = f;
        }
      }
      if (latest == null) {
        return null;
      }
      long version = Long.parseLong(latest.getPath().getName().substring(0, 20));
      // Read up to its commitInfo (usually the first line), not the whole commit: this runs
      // for every dataset.
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(fs.open(latest.getPath()), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          JsonNode info = Json.MAPPER.readTree(line).get("commitInfo");
          if (info != null) {
            // An overwrite's rows written are the rows the table holds; after any other commit,
            // unknown here.
            boolean overwrite =
                "WRITE".equals(info.path("operation").asText())
                    && "Overwrite".equals(info.path("operationParameters").path("mode").asText());
            JsonNode rows = info.path("operationMetrics").get("numOutputRows");
            return new Commit(
                version,
                info.hasNonNull("userMetadata") ? info.get("userMetadata").asText() : null,
                overwrite && rows != null ? rows.asLong() : null);
          }
        }
      }
      return new Commit(version, null, null);
    } catch (IOException e) {
      throw Errors.cannotRead("the Delta log of", path, e);
    }
  }

  /** Whether a Delta table is at {@code path}, from its log alone. */
  public static boolean exists(SparkSession spark, String path) {
    return latestCommit(spark.sparkContext().hadoopConfiguration(), path) != null;
  }

  /**
   * A table's latest commit: its version, the metadata the writer left on it, and the rows the
   * table holds after it when the commit says so (an overwrite), else null.
   */
  public record Commit(long version, String userMetadata, Long tableRows) {}

  /** The rows of the table at a version; Delta answers from its file statistics, without a scan. */
  public static long rowsAt(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path).count();
  }

  /**
   * Appends rows to a table, creating it from its declared schema on first use. Columns added to
   * the declared schema since the table was created are added to the table (schema evolution).
   */
  public static void append(
      SparkSession spark, String path, TableSchema schema, Dataset<Row> rows) {
    if (!exists(spark, path)) {
      try {
        // Appending, not overwriting: a run that created the table since the check keeps its rows.
        create(
            spark,
            path,
            rows,
            constraint(schema.sparkSchema(), List.of()),
            List.of(),
            null,
            "append");
        return;
      } catch (RuntimeException e) {
        if (!exists(spark, path)) {
          throw e;
        }
        // another run created the table first, at the same version: append to it
      }
    }
    rows.write().format("delta").mode("append").option("mergeSchema", "true").save(path);
  }
}
