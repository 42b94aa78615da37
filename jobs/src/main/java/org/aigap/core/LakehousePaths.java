package org.aigap.core;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a run reads and writes: raw extracts, the Delta warehouse (bronze, silver, audit) and the
 * Parquet outputs. Any Hadoop file system URI works (file:, hdfs:, s3a:, abfss:); a path without a
 * scheme is qualified against the default file system.
 */
public record LakehousePaths(String raw, String warehouse, String outputs) {
  public static final String DEFAULT_RAW = "data/raw";
  public static final String DEFAULT_WAREHOUSE = "data/warehouse";
  public static final String DEFAULT_OUTPUTS = "data/outputs";

  public LakehousePaths {
    raw = stripSlash(raw);
    warehouse = stripSlash(warehouse);
    outputs = stripSlash(outputs);
  }

  /** The same paths, each made absolute and given its scheme, so logs and run records are exact. */
  public LakehousePaths qualified(Configuration hadoop) {
    return new LakehousePaths(
        qualify(raw, hadoop), qualify(warehouse, hadoop), qualify(outputs, hadoop));
  }

  public String rawFile(String fileName) {
    return child(raw, fileName);
  }

  public String table(String layer, String name) {
    return child(warehouse, layer + "/" + name);
  }

  public String output(String name) {
    return child(outputs, name);
  }

  /** Joins a declared name under a configured folder, refusing names that would escape it. */
  static String child(String folder, String name) {
    if (name == null
        || name.isBlank()
        || name.startsWith("/")
        || name.contains("..")
        || name.contains(":")
        || name.contains("\\")) {
      throw Errors.pathOutside(name, folder);
    }
    return folder + "/" + name;
  }

  private static String qualify(String path, Configuration hadoop) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      return fs.makeQualified(p).toString();
    } catch (IOException e) {
      throw Errors.ioFailed("resolve path", path, e);
    }
  }

  private static String stripSlash(String path) {
    if (path == null || path.isBlank()) {
      throw Errors.usage("A path option is empty");
    }
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }
}
