package org.aigap.metrics;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aigap.core.Errors;
import org.aigap.core.FaultPoints;
import org.aigap.core.Json;
import org.aigap.core.Settings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes one metric so that a reader never sees it half-written or two runs mixed, on a local
 * disk, HDFS and S3 alike. Each run writes its Parquet files under a folder of its own, {@code
 * OUTPUT/_runs/RUN_ID/}, invisible to readers; the files are verified from their footers (schema,
 * row count) with parquet-hadoop; then one small object, {@code OUTPUT/_manifest.json}, naming
 * those files, is put in place in one step (a rename that replaces it: atomic on HDFS and local
 * disks; on S3 one PUT of the object itself). Readers resolve the manifest first and read exactly
 * the files it names ({@link #read}). A superseded run's files stay for {@value #RETENTION} (an
 * hour by default), so a reader that resolved an older manifest can finish; a failed run leaves the
 * previous output as it was.
 */
public final class ParquetOutput {
  public static final String MANIFEST = "_manifest.json";

  /** Each run's files, in a folder per run; the underscore hides them from Spark's file listing. */
  static final String RUNS = "_runs";

  /**
   * Schemes of the S3 clients (s3a, and EMR's s3): a file appears on close in one PUT, which
   * replaces the object whole, and there is no atomic rename.
   */
  private static final Set<String> PUT_REPLACES_WHOLE = Set.of("s3a", "s3");

  /** Reads of a manifest before a reader gives up (see {@link #readManifest}). */
  private static final int MANIFEST_READS = 3;

  /** How long a superseded run's files stay readable, in seconds. */
  public static final String RETENTION = "spark.aigap.outputRetentionSeconds";

  /** The file a run's folder gets when a later run replaces it; its time is when. */
  static final String REPLACED = "_replaced";

  /**
   * What a manifest records; also returned to the job. {@code files} are relative to the output
   * folder: the files of the run the manifest commits, and only those.
   */
  public record Manifest(
      String output,
      String runId,
      String writtenAt,
      long rows,
      List<String> files,
      String parquetSchema,
      Map<String, Long> inputVersions,
      String description,
      String fingerprint,
      Map<String, String> fingerprintParts) {}

  private ParquetOutput() {}

  /**
   * Writes {@code rows} as the output at {@code target}; the manifest records the run, the input
   * versions and the fingerprint of what the output was computed from.
   */
  public static Manifest write(
      Dataset<Row> rows,
      String target,
      String runId,
      Map<String, Long> inputVersions,
      String description,
      String fingerprint,
      Map<String, String> fingerprintParts) {
    Configuration hadoop = rows.sparkSession().sparkContext().hadoopConfiguration();
    Path output = new Path(target);
    Path data = new Path(output, runFolder(runId));
    // Counted as the rows stream into the writer: one pass, nothing cached.
    Observation written = new Observation("rows written to " + output.getName());
    try {
      FileSystem fs = output.getFileSystem(hadoop);
      Manifest previous = readManifest(target, hadoop);
      rows.coalesce(1)
          .observe(written, count(lit(1)).as("rows"))
          .write()
          .mode("overwrite")
          .parquet(data.toString());
      Row counted = written.getRow();
      long expected =
          counted.length() == 0 ? 0 : counted.getLong(0); // no metrics when no task saw a row
      Manifest manifest =
          verify(
              fs,
              data,
              hadoop,
              new Manifest(
                  output.getName(),
                  runId,
                  null,
                  expected,
                  List.of(),
                  null,
                  inputVersions,
                  description,
                  fingerprint,
                  fingerprintParts));
      FaultPoints.reach("metrics:staged:" + output.getName());
      long retention = Settings.number(rows.sparkSession(), RETENTION, 3600, "seconds");
      commit(fs, hadoop, output, manifest);
      removeSuperseded(
          fs, output, runId, previous == null ? null : previous.runId(), retention * 1000);
      return manifest;
    } catch (IOException e) {
      throw Errors.ioFailed("write output", target, e);
    }
  }

  /**
   * Reads every part file's footer: the rows they hold must equal the rows Spark was asked to write
   * ({@code expected.rows()}). Returns the manifest completed with the files, schema and time.
   */
  static Manifest verify(FileSystem fs, Path folder, Configuration hadoop, Manifest expected)
      throws IOException {
    long rows = 0;
    List<String> files = new ArrayList<>();
    MessageType schema = null;
    for (FileStatus s : fs.listStatus(folder, p -> p.getName().endsWith(".parquet"))) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromStatus(s, hadoop))) {
        rows += reader.getRecordCount();
        schema = reader.getFooter().getFileMetaData().getSchema();
        files.add(runFolder(expected.runId()) + "/" + s.getPath().getName());
      }
    }
    if (rows != expected.rows() || schema == null) {
      throw Errors.outputUnverified(expected.output(), rows, files.size(), expected.rows());
    }
    return new Manifest(
        expected.output(),
        expected.runId(),
        Instant.now().toString(),
        rows,
        files,
        schema.toString(),
        expected.inputVersions(),
        expected.description(),
        expected.fingerprint(),
        expected.fingerprintParts());
  }

  /**
   * The manifest of the output at {@code target}; null when there is no output there. Read again
   * when the read fails: on S3 a manifest replaced between the store's metadata request and the
   * read fails the read (S3A checks the object's ETag), and the new manifest is whole.
   */
  public static Manifest readManifest(String target, Configuration hadoop) {
    Path manifest = new Path(target, MANIFEST);
    for (int attempt = 1; ; attempt++) {
      try {
        FileSystem fs = manifest.getFileSystem(hadoop);
        if (!fs.exists(manifest)) {
          return null;
        }
        try (java.io.InputStream in = fs.open(manifest)) {
          return Json.MAPPER.readValue(in, Manifest.class);
        }
      } catch (IOException e) {
        if (attempt == MANIFEST_READS) {
          throw Errors.cannotRead("the manifest", manifest.toString(), e);
        }
      }
    }
  }

  /**
   * The committed output at {@code target}, exactly the files its manifest names: what every reader
   * in Java reads (the notebooks' helper does the same in Python).
   */
  public static Dataset<Row> read(SparkSession spark, String target) {
    Manifest m = readManifest(target, spark.sparkContext().hadoopConfiguration());
    if (m == null) {
      throw Errors.noOutput(target, MANIFEST);
    }
    return spark
        .read()
        .parquet(
            m.files().stream().map(f -> new Path(target, f).toString()).toArray(String[]::new));
  }

  /**
   * The folder of the committed run's files, for readers that take a folder (a catalog table); null
   * when there is no output at {@code target}.
   */
  public static String committedFolder(String target, Configuration hadoop) {
    Manifest m = readManifest(target, hadoop);
    return m == null ? null : new Path(target, runFolder(m.runId())).toString();
  }

  /** Where a run's files are, relative to the output folder. */
  private static String runFolder(String runId) {
    return RUNS + "/" + runId;
  }

  /**
   * Puts the manifest in place in one step. On S3 it is written in place: the object appears on
   * close in one PUT, which replaces the old one whole, while a rename there is a copy that
   * FileContext's OVERWRITE precedes with a delete (readers would find no manifest in between).
   * Elsewhere it is written beside it under a name of its own and renamed over it, which replaces
   * it atomically on HDFS and local disks (a file written in place there is visible half-written).
   * On a local disk it is written without Hadoop's checksum file: the two could not be replaced in
   * one step, and a reader between them would find the new manifest with the old checksum.
   */
  private static void commit(FileSystem fs, Configuration hadoop, Path output, Manifest manifest)
      throws IOException {
    byte[] json = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
    Path target = new Path(output, MANIFEST);
    if (PUT_REPLACES_WHOLE.contains(fs.getUri().getScheme())) {
      try (OutputStream out = fs.create(target, true)) {
        out.write(json);
      }
    } else {
      Path pending = new Path(output, "_" + manifest.runId() + MANIFEST);
      FileSystem writer = fs;
      if (fs instanceof ChecksumFileSystem checksummed) {
        writer = checksummed.getRawFileSystem();
        writer.delete(checksummed.getChecksumFile(target), false); // left by an older version
      }
      try (OutputStream out = writer.create(pending, true)) {
        out.write(json);
      }
      // The session's settings, not those the cached file system was made with: they choose the
      // local file system whose replacing rename is atomic.
      FileContext.getFileContext(fs.getUri(), hadoop)
          .rename(pending, target, Options.Rename.OVERWRITE);
    }
  }

  /**
   * Removes what no manifest names any more and no reader can still be reading: runs other than the
   * committed one and the one before it, once replaced longer ago than {@value #RETENTION} says
   * (default an hour: a reader that resolved an older manifest has that long to read its files).
   * When a run replaces another, the replaced run's folder gets a {@value #REPLACED} file, whose
   * time says when; a folder without one (a killed run's, which no manifest named) counts from when
   * its files were written. Also files of the layout before runs had folders of their own.
   */
  private static void removeSuperseded(
      FileSystem fs, Path output, String runId, String previous, long retentionMillis)
      throws IOException {
    if (previous != null && !previous.equals(runId)) {
      Path replaced = new Path(new Path(output, RUNS), previous + "/" + REPLACED);
      if (!fs.exists(replaced)) {
        fs.create(replaced, false).close();
      }
    }
    long cutoff = System.currentTimeMillis() - retentionMillis;
    for (FileStatus run : fs.listStatus(new Path(output, RUNS))) {
      String name = run.getPath().getName();
      if (name.equals(runId) || name.equals(previous)) {
        continue;
      }
      long since = run.getModificationTime(); // 0 on an object store: its files' times decide
      for (FileStatus f : fs.listStatus(run.getPath())) {
        if (f.getPath().getName().equals(REPLACED)) {
          since = f.getModificationTime();
          break;
        }
        since = Math.max(since, f.getModificationTime());
      }
      if (since < cutoff) {
        fs.delete(run.getPath(), true);
      }
    }
    for (FileStatus s :
        fs.listStatus(
            output, p -> p.getName().endsWith(".parquet") || p.getName().equals("_SUCCESS"))) {
      fs.delete(s.getPath(), false);
    }
  }
}
