package org.aigap.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.aigap.core.Errors;
import org.aigap.core.TableSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A raw extract on any Hadoop file system: its checksum, its header checked against the declared
 * schema before any work, and its data lines with their line numbers, split into string fields.
 */
public record RawFile(String path, String sha256, long bytes, long modified) {
  public static final String LINE = "_line";
  public static final String RAW_LINE = "_raw_line";
  public static final String PARSE_ERROR = "_parse_error";
  public static final String RAW_PREFIX = "_raw_";
  private static final char BOM = '\uFEFF';

  /** Opens the file, checks that its header names the schema's columns in order, and hashes it. */
  public static RawFile open(String path, TableSchema schema, Configuration hadoop) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        throw Errors.missingFile(path);
      }
      String header;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        header = reader.readLine();
      }
      if (header == null || header.isEmpty()) {
        throw Errors.emptyFile(path);
      }
      if (header.charAt(0) == BOM) {
        header = header.substring(1);
      }
      CsvLine.Parsed parsed = CsvLine.parse(stripCr(header), schema.delimiter());
      List<String> found = parsed.fields() == null ? List.of(header) : parsed.fields();
      if (!found.equals(schema.columnNames())) {
        throw Errors.headerMismatch(path, schema.columnNames(), found);
      }
      long modified = fs.getFileStatus(p).getModificationTime();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long size = 0;
      try (InputStream in = new DigestInputStream(fs.open(p), sha)) {
        byte[] buffer = new byte[1 << 16];
        for (int read; (read = in.read(buffer)) > 0; ) {
          size += read;
        }
      }
      return new RawFile(p.toString(), HexFormat.of().formatHex(sha.digest()), size, modified);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw Errors.cannotRead("the file", path.toString(), e);
    }
  }

  /**
   * Fails when the file's size or modification time differ from when it was opened: a large file is
   * read more than once, and every pass must see the same lines.
   */
  public void assertUnchanged(Configuration hadoop) {
    Path p = new Path(path);
    try {
      org.apache.hadoop.fs.FileStatus now = p.getFileSystem(hadoop).getFileStatus(p);
      if (now.getLen() != bytes || now.getModificationTime() != modified) {
        throw Errors.changedWhileIngesting(path, bytes, now.getLen());
      }
    } catch (IOException e) {
      throw Errors.cannotRead("the file", path.toString(), e);
    }
  }

  /**
   * The data lines (header excluded), one row each: line number, the raw line, a parse error or
   * null, and one string column per declared column (null for an empty field or the null marker).
   * Line numbers are counted once, when this is called; reuse the result for every pass.
   */
  public Dataset<Row> lines(SparkSession spark, TableSchema schema) {
    char delimiter = schema.delimiter();
    String nullValue = schema.nullValue();
    int width = schema.columns().size();
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    long split =
        splitBytes(
            bytes,
            spark.sparkContext().defaultParallelism(),
            bytesSetting(spark, "spark.sql.files.maxPartitionBytes"),
            bytesSetting(spark, "spark.sql.files.openCostInBytes"));
    conf.setLong(FileInputFormat.SPLIT_MINSIZE, split);
    conf.setLong(FileInputFormat.SPLIT_MAXSIZE, split);
    JavaRDD<InternalRow> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, conf)
            .zipWithIndex()
            .filter(t -> t._2() > 0)
            .map(t -> split(t._2() + 1, t._1()._2(), delimiter, nullValue, width));
    // Spark's own rows, built from the line's bytes: a public Row would be converted field by field
    // (each text decoded, then encoded again), a third of the pass's parsing on 10M lines.
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(rows.rdd(), lineSchema(schema), false);
  }

  /** A size setting of Spark's, as set or as Spark's own default. */
  private static long bytesSetting(SparkSession spark, String key) {
    return JavaUtils.byteStringAsBytes(spark.conf().get(key));
  }

  /**
   * The bytes each task reads: at most {@code maxSplit} (Spark's {@code
   * spark.sql.files.maxPartitionBytes}), in a number of tasks that is a multiple of the cores
   * ({@code parallelism}) once the file is worth splitting (a split costs {@code openCost}, Spark's
   * {@code spark.sql.files.openCostInBytes}). Spark's own text source splits by size alone: 358 MB
   * on 2 cores was 3 tasks and the third ran alone (checking and staging 10M download rows took 36
   * s, against 33 s in 4 tasks).
   */
  static long splitBytes(long bytes, int parallelism, long maxSplit, long openCost) {
    long tasks = Math.max(1, (bytes + maxSplit - 1) / maxSplit);
    if (bytes >= openCost * parallelism) {
      tasks = (tasks + parallelism - 1) / parallelism * parallelism;
    }
    return Math.max(1, (bytes + tasks - 1) / tasks);
  }

  static StructType lineSchema(TableSchema schema) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(LINE, DataTypes.LongType, false));
    fields.add(DataTypes.createStructField(RAW_LINE, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(PARSE_ERROR, DataTypes.StringType, true));
    for (String name : schema.columnNames()) {
      fields.add(DataTypes.createStructField(RAW_PREFIX + name, DataTypes.StringType, true));
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * One line as a row of {@link #lineSchema}. A line of plain ASCII without quotes (nearly every
   * line of a large extract) is cut at the delimiter's bytes, its fields sharing one copy of the
   * line; any other goes through {@link CsvLine}, with the same outcome for the same text.
   */
  static InternalRow split(long lineNo, Text text, char delimiter, String nullValue, int width) {
    byte[] line = Arrays.copyOf(text.getBytes(), text.getLength());
    int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
    boolean plain = delimiter < 0x80 && n > 0;
    boolean blank = true;
    int fields = 1;
    for (int i = 0; i < n && plain; i++) {
      byte b = line[i];
      plain = b > 0 && b != '"';
      blank &= Character.isWhitespace(b);
      fields += b == delimiter ? 1 : 0;
    }
    if (!plain || blank || fields != width) {
      return fromText(
          lineNo, new String(line, 0, n, StandardCharsets.UTF_8), delimiter, nullValue, width);
    }
    Object[] values = new Object[3 + width];
    values[0] = lineNo;
    values[1] = UTF8String.fromBytes(line, 0, n);
    UTF8String nul = UTF8String.fromString(nullValue);
    for (int i = 0, from = 0, field = 0; i <= n; i++) {
      if (i == n || line[i] == delimiter) {
        UTF8String v = UTF8String.fromBytes(line, from, i - from);
        values[3 + field++] = i == from || v.equals(nul) ? null : v;
        from = i + 1;
      }
    }
    return new GenericInternalRow(values);
  }

  /** {@link #split} of a line as text: bytes that were not UTF-8 are U+FFFD here. */
  static InternalRow fromText(
      long lineNo, String line, char delimiter, String nullValue, int width) {
    Object[] values = new Object[3 + width];
    values[0] = lineNo;
    values[1] = UTF8String.fromString(line);
    String error = null;
    if (line.isBlank()) {
      error = "blank line";
    } else if (line.indexOf('\uFFFD') >= 0) {
      error = "the line is not valid UTF-8 (is the file saved in another encoding, such as GBK?)";
    } else {
      CsvLine.Parsed parsed = CsvLine.parse(line, delimiter);
      if (parsed.error() != null) {
        error = parsed.error();
      } else if (parsed.fields().size() != width) {
        error =
            "expected "
                + width
                + " fields, found "
                + parsed.fields().size()
                + " (delimiter '"
                + delimiter
                + "')";
      } else {
        for (int i = 0; i < width; i++) {
          String v = parsed.fields().get(i);
          values[3 + i] = v.isEmpty() || v.equals(nullValue) ? null : UTF8String.fromString(v);
        }
      }
    }
    values[2] = error == null ? null : UTF8String.fromString(error);
    return new GenericInternalRow(values);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
