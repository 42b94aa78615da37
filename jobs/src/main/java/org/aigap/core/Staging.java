package org.aigap.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * A run's own folder in the warehouse, {@code _staging/<run id>/}, for tables written before they
 * may be published: no reader names it, the run removes it when it ends, and a later run removes
 * what a killed run left there once it started longer ago than {@value #MAX_AGE} says (a live run
 * is younger, unless it runs for longer than that).
 */
public final class Staging {
  /** Spark conf key: seconds after which a run's staging folder counts as abandoned (a day). */
  public static final String MAX_AGE = "spark.aigap.stagingMaxAgeSeconds";

  private static final String FOLDER = "_staging";

  private Staging() {}

  /** Where run {@code runId} stages table {@code name}. */
  public static String path(LakehousePaths paths, String runId, String name) {
    return LakehousePaths.child(paths.warehouse(), FOLDER + "/" + runId + "/" + name);
  }

  /**
   * Moves the staged table to {@code to} in one atomic rename that refuses an existing destination,
   * where the store has one: a local disk (one {@code rename(2)}, within one file system) or HDFS
   * (one NameNode operation). False, with nothing moved, where it has not (S3: a copy per object;
   * another mount) or something is at {@code to} already: the caller then copies instead.
   */
  public static boolean moveIfAbsent(Configuration hadoop, String from, String to) {
    Path src = new Path(from);
    Path dst = new Path(to);
    try {
      FileSystem fs = dst.getFileSystem(hadoop);
      if (fs.exists(dst)) {
        return false;
      }
      fs.mkdirs(dst.getParent());
      if ("file".equals(fs.getScheme())) {
        // Not Hadoop's rename: where rename(2) fails, it copies the folder into the destination.
        Files.move(
            Paths.get(fs.makeQualified(src).toUri()),
            Paths.get(fs.makeQualified(dst).toUri()),
            StandardCopyOption.ATOMIC_MOVE);
        return true;
      }
      if (fs instanceof DistributedFileSystem hdfs) {
        hdfs.rename(src, dst, Options.Rename.NONE);
        return true;
      }
      return false;
    } catch (FileAlreadyExistsException
        | java.nio.file.FileAlreadyExistsException
        | DirectoryNotEmptyException
        | AtomicMoveNotSupportedException e) {
      return false; // another run published first, or the staging is on another mount
    } catch (IOException e) {
      throw Errors.cannotStage("move", from + " to " + to, e);
    }
  }

  /** Removes everything run {@code runId} staged: what it did not publish. */
  public static void removeRun(Configuration hadoop, LakehousePaths paths, String runId) {
    Path run = new Path(paths.warehouse(), FOLDER + "/" + runId);
    try {
      run.getFileSystem(hadoop).delete(run, true);
    } catch (IOException e) {
      throw Errors.cannotStage("remove", run.toString(), e);
    }
  }

  /**
   * Removes the staging folders of runs that started longer ago than {@value #MAX_AGE} (their run
   * ids begin with their start time): what runs killed mid-ingest left. Returns how many.
   */
  public static int removeAbandoned(SparkSession spark, LakehousePaths paths, String runId) {
    long maxAge = Settings.number(spark, MAX_AGE, 24 * 3600, "seconds");
    Path root = new Path(paths.warehouse(), FOLDER);
    Instant now = Instant.now();
    int removed = 0;
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return 0;
      }
      for (FileStatus run : fs.listStatus(root)) {
        String id = run.getPath().getName();
        Instant started = RunContext.startOf(id);
        if (!id.equals(runId)
            && started != null
            && started.plusSeconds(maxAge).isBefore(now.plusMillis(1))) {
          fs.delete(run.getPath(), true);
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw Errors.cannotStage("remove abandoned runs from", root.toString(), e);
    }
  }
}
