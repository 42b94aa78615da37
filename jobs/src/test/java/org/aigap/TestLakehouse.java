package org.aigap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.aigap.core.LakehousePaths;
import org.aigap.core.RunContext;
import org.aigap.core.SchemaCatalog;

/**
 * A lakehouse in a temporary folder for one test: a copy of the shipped raw extracts (which the
 * test may edit line by line), an empty warehouse and an empty outputs folder.
 */
public final class TestLakehouse {
  public static final Path PROJECT =
      Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
  public static final Path SHIPPED_RAW = PROJECT.resolve("data/raw");
  private static SchemaCatalog schemas;

  private final Path root;

  private TestLakehouse(Path root, boolean copyRaw) {
    this.root = root;
    if (!copyRaw) {
      return;
    }
    try {
      Files.createDirectories(raw());
      try (Stream<Path> files = Files.list(SHIPPED_RAW)) {
        for (Path f : files.toList()) {
          Files.copy(f, raw().resolve(f.getFileName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh lakehouse under {@code root} with a copy of the shipped raw extracts. */
  public TestLakehouse(Path root) {
    this(root, true);
  }

  /**
   * Hadoop's settings for a test without Spark: the local file system the session uses, so that the
   * one Hadoop caches for the JVM (made for whoever asks first) is the same whatever runs first.
   */
  public static org.apache.hadoop.conf.Configuration hadoop() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    org.aigap.core.NioLocalFileSystem.SETTINGS.forEach(conf::set);
    return conf;
  }

  /** A lakehouse an earlier run left under {@code root}, to be read. */
  public static TestLakehouse existing(Path root) {
    return new TestLakehouse(root, false);
  }

  /** Copies the folder {@code from} with everything below it to {@code to}. */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted(java.util.Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  public static void delete(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  public static synchronized SchemaCatalog schemas() {
    if (schemas == null) {
      schemas = SchemaCatalog.load(null);
    }
    return schemas;
  }

  public Path raw() {
    return root.resolve("raw");
  }

  public LakehousePaths paths() {
    return new LakehousePaths(
        raw().toString(), root.resolve("warehouse").toString(), root.resolve("outputs").toString());
  }

  /** A new run (new run id) against this lakehouse, in the shared session. */
  public RunContext newRun() {
    return RunContext.create(SharedSpark.get(), schemas(), paths());
  }

  public List<String> lines(String file) {
    try {
      return new ArrayList<>(Files.readAllLines(raw().resolve(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(String file, List<String> lines) {
    try {
      Files.writeString(
          raw().resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites the one line of {@code file} that starts with {@code prefix}. */
  public void editLine(String file, String prefix, UnaryOperator<String> edit) {
    List<String> lines = lines(file);
    int hits = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        lines.set(i, edit.apply(lines.get(i)));
        hits++;
      }
    }
    if (hits != 1) {
      throw new IllegalArgumentException(
          file + ": expected one line starting with " + prefix + ", found " + hits);
    }
    write(file, lines);
  }

  public String table(String layer, String name) {
    return paths().table(layer, name);
  }

  /** How many runs the run log holds a row of. */
  public long runsLogged() {
    RunContext run = newRun();
    return run.spark()
        .read()
        .format("delta")
        .load(org.aigap.core.RunLog.path(run))
        .select("run_id")
        .distinct()
        .count();
  }
}
