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
import org.aigap.core.FaultPoints;
import org.aigap.core.Json;
import org.aigap.core.PipelineException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

/**
 * Writes one metric as a Parquet folder that readers never see half-written: Spark writes into a
 * staging folder, the files are verified from their Parquet footers (schema, row count) with
 * parquet-hadoop, a manifest is added, and only then is the staging folder renamed into place. A
 * failed run leaves the previous output as it was.
 */
public final class ParquetOutput {
  public static final String MANIFEST = "_manifest.json";

  /** What a manifest records; also returned to the job. */
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
    Path finalPath = new Path(target);
    Path staging = new Path(finalPath.getParent(), "_staging/" + finalPath.getName() + "-" + runId);
    // Counted as the rows stream into the writer: one pass, nothing cached.
    Observation written = new Observation("rows written to " + finalPath.getName());
    try {
      FileSystem fs = finalPath.getFileSystem(hadoop);
      recover(fs, finalPath);
      rows.coalesce(1)
          .observe(written, count(lit(1)).as("rows"))
          .write()
          .mode("overwrite")
          .parquet(staging.toString());
      Row counted = written.getRow();
      long expected =
          counted.length() == 0 ? 0 : counted.getLong(0); // no metrics when no task saw a row
      Manifest manifest =
          verify(
              fs,
              staging,
              hadoop,
              new Manifest(
                  finalPath.getName(),
                  runId,
                  null,
                  expected,
                  List.of(),
                  null,
                  inputVersions,
                  description,
                  fingerprint,
                  fingerprintParts));
      try (OutputStream out = fs.create(new Path(staging, MANIFEST), true)) {
        out.write(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
      }
      FaultPoints.reach("metrics:staged:" + finalPath.getName());
      swap(fs, staging, finalPath, runId);
      return manifest;
    } catch (IOException e) {
      throw new PipelineException("Cannot write output " + target + ": " + e.getMessage(), e);
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
        files.add(s.getPath().getName());
      }
    }
    if (rows != expected.rows() || schema == null) {
      throw new PipelineException(
          String.format(
              "Output %s failed verification: Parquet footers hold %d rows in %d files, expected %d"
                  + " rows",
              expected.output(), rows, files.size(), expected.rows()));
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

  /** The manifest of the output at {@code target}; null when there is no output there. */
  public static Manifest readManifest(String target, Configuration hadoop) {
    Path manifest = new Path(target, MANIFEST);
    try {
      FileSystem fs = manifest.getFileSystem(hadoop);
      if (!fs.exists(manifest)) {
        return null;
      }
      try (java.io.InputStream in = fs.open(manifest)) {
        return Json.MAPPER.readValue(in, Manifest.class);
      }
    } catch (IOException e) {
      throw new PipelineException(
          "Cannot read the manifest " + manifest + ": " + e.getMessage(), e);
    }
  }

  /**
   * Puts back what a run killed mid-swap left: the previous output, moved aside but not replaced,
   * returns to its place; staging folders of killed runs are removed.
   */
  private static void recover(FileSystem fs, Path target) throws IOException {
    Path stagingRoot = new Path(target.getParent(), "_staging");
    if (!fs.exists(stagingRoot)) {
      return;
    }
    for (FileStatus s :
        fs.listStatus(stagingRoot, p -> p.getName().startsWith(target.getName() + "-"))) {
      boolean replaced = s.getPath().getName().startsWith(target.getName() + "-replaced-");
      if (replaced && !fs.exists(target) && fs.exists(new Path(s.getPath(), MANIFEST))) {
        if (!fs.rename(s.getPath(), target)) {
          throw new IOException("cannot restore the previous output from " + s.getPath());
        }
      } else {
        fs.delete(s.getPath(), true);
      }
    }
  }

  /**
   * Moves the verified folder into place; the old one is removed only after the new one is there.
   */
  private static void swap(FileSystem fs, Path staging, Path target, String runId)
      throws IOException {
    Path old = new Path(target.getParent(), "_staging/" + target.getName() + "-replaced-" + runId);
    boolean hadOld = fs.exists(target);
    if (hadOld && !fs.rename(target, old)) {
      throw new IOException("cannot move the previous output aside to " + old);
    }
    FaultPoints.reach("metrics:swapping:" + target.getName());
    if (!fs.rename(staging, target)) {
      if (hadOld) {
        fs.rename(old, target);
      }
      throw new IOException("cannot move " + staging + " into place");
    }
    if (hadOld) {
      fs.delete(old, true);
    }
  }
}
