package org.aigap.core;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A run's own folder in the warehouse, {@code _staging/<run id>/}, for tables written before they
 * may be published: no reader names it, the run removes it when it ends, and a later run removes
 * what a killed run left there once it is older than {@value #MAX_AGE} says (so never a live
 * run's).
 */
public final class Staging {
  /** Spark conf key: seconds after which a run's staging folder counts as abandoned (a day). */
  public static final String MAX_AGE = "spark.aigap.stagingMaxAgeSeconds";

  private static final String FOLDER = "_staging";

  /** Stores whose rename of a folder is one atomic operation (not a copy per object, as on S3). */
  private static final Set<String> ATOMIC_RENAME = Set.of("file", "hdfs");

  private Staging() {}

  /** Where run {@code runId} stages table {@code name}. */
  public static String path(LakehousePaths paths, String runId, String name) {
    return LakehousePaths.child(paths.warehouse(), FOLDER + "/" + runId + "/" + name);
  }

  /**
   * Moves the staged table to {@code to} in one atomic rename, when the store has one and nothing
   * is at {@code to} yet; false (and nothing moved) otherwise, for the caller to copy instead.
   */
  public static boolean moveIfAbsent(Configuration hadoop, String from, String to) {
    Path dst = new Path(to);
    try {
      FileSystem fs = dst.getFileSystem(hadoop);
      if (!ATOMIC_RENAME.contains(fs.getScheme()) || fs.exists(dst)) {
        return false;
      }
      fs.mkdirs(dst.getParent());
      // FileContext's rename refuses an existing destination (FileSystem's would move into it).
      FileContext.getFileContext(dst.toUri(), hadoop)
          .rename(new Path(from), dst, Options.Rename.NONE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false; // another run published first
    } catch (IOException e) {
      throw Errors.cannotRead("the staged table for", to, e);
    }
  }

  /** Removes a staged table, and its run's folder once empty. */
  public static void remove(Configuration hadoop, String staged) {
    Path p = new Path(staged);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      fs.delete(p, true);
      Path run = p.getParent();
      FileStatus[] left = fs.exists(run) ? fs.listStatus(run) : null;
      if (left != null && left.length == 0) {
        fs.delete(run, false);
      }
    } catch (IOException e) {
      throw Errors.cannotRead("the staging folder", staged, e);
    }
  }

  /**
   * Removes the staging folders of runs that started longer ago than {@value #MAX_AGE} (their run
   * ids begin with their start time): what runs killed mid-ingest left. Returns how many.
   */
  public static int removeAbandoned(SparkSession spark, LakehousePaths paths, String runId) {
    long maxAge = Long.parseLong(spark.conf().get(MAX_AGE, String.valueOf(24 * 3600)));
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
      throw Errors.cannotRead("the staging folder", root.toString(), e);
    }
  }
}
