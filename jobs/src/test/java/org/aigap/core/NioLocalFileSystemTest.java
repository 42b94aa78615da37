package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.aigap.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's local file system answers as Hadoop's own does, without forking a process, except
 * where Hadoop's checks and then acts: there exactly one of two racing writers wins.
 */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;
  private final Configuration conf = new Configuration(false);
  private FileSystem nio;
  private FileSystem hadoop;

  @BeforeEach
  void open() throws Exception {
    nio = new NioLocalFileSystem();
    nio.initialize(URI.create("file:///"), conf);
    hadoop = new RawLocalFileSystem();
    hadoop.initialize(URI.create("file:///"), conf);
  }

  /** Hadoop's other entry point (how Delta commits), with the pipeline's local file system. */
  private static FileContext fileContext() throws Exception {
    Configuration c = new Configuration(false);
    NioLocalFileSystem.SETTINGS.forEach(c::set);
    return FileContext.getFileContext(URI.create("file:///"), c);
  }

  @Test
  void setsThePermissionHadoopWouldSet() throws Exception {
    for (String mode : new String[] {"640", "755", "600"}) {
      Path ours = new Path(dir.resolve("ours-" + mode).toUri());
      Path theirs = new Path(dir.resolve("theirs-" + mode).toUri());
      Files.createFile(dir.resolve("ours-" + mode));
      Files.createFile(dir.resolve("theirs-" + mode));
      nio.setPermission(ours, new FsPermission(mode));
      hadoop.setPermission(theirs, new FsPermission(mode));
      assertEquals(
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(dir.resolve("theirs-" + mode))),
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(dir.resolve("ours-" + mode))));
      assertEquals(new FsPermission(mode), nio.getFileStatus(ours).getPermission());
    }
  }

  @Test
  void aFileFolderOrLinkHasTheLinkStatusHadoopGives() throws Exception {
    Files.writeString(dir.resolve("a.json"), "{}");
    Files.createDirectory(dir.resolve("folder"));
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a.json"));
    for (String name : new String[] {"a.json", "folder", "link"}) {
      Path p = new Path(dir.resolve(name).toUri());
      FileStatus ours = nio.getFileLinkStatus(p);
      FileStatus theirs = hadoop.getFileLinkStatus(p);
      assertEquals(theirs.isSymlink(), ours.isSymlink(), name);
      assertEquals(theirs.isDirectory(), ours.isDirectory(), name);
      assertEquals(theirs.getLen(), ours.getLen(), name);
      assertEquals(theirs.getPath(), ours.getPath(), name);
    }
    assertThrows(
        FileNotFoundException.class,
        () -> nio.getFileLinkStatus(new Path(dir.resolve("missing").toUri())));
  }

  /**
   * Delta commits by a rename that must fail when the version's file exists: another writer won.
   */
  @Test
  void aRenameOntoAnExistingFileFailsThroughFileContext() throws Exception {
    FileContext fc = fileContext();
    Files.writeString(dir.resolve("tmp-1"), "mine");
    Files.writeString(dir.resolve("00001.json"), "theirs");
    Path target = new Path(dir.resolve("00001.json").toUri());
    assertThrows(
        FileAlreadyExistsException.class,
        () -> fc.rename(new Path(dir.resolve("tmp-1").toUri()), target, Options.Rename.NONE));
    assertEquals("theirs", Files.readString(dir.resolve("00001.json")));
    fc.rename(
        new Path(dir.resolve("tmp-1").toUri()),
        new Path(dir.resolve("00002.json").toUri()),
        Options.Rename.NONE);
    assertEquals("mine", Files.readString(dir.resolve("00002.json")));
    assertFalse(Files.exists(dir.resolve("tmp-1")));
  }

  /** One writer's attempt in a round of a race: true when it won. */
  @FunctionalInterface
  private interface Attempt {
    boolean run(int round, String writer) throws Exception;
  }

  /**
   * Starts writers "a" and "b" at the same instant, {@code rounds} times: exactly one must win each
   * round, and the file it won ({@code file} of the round) must hold what that writer wrote.
   */
  private static void exactlyOneOfTwoWins(
      int rounds, Attempt attempt, IntFunction<java.nio.file.Path> file) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        int r = round;
        CyclicBarrier start = new CyclicBarrier(2);
        Map<String, Future<Boolean>> writers = new TreeMap<>();
        for (String writer : List.of("a", "b")) {
          writers.put(
              writer,
              pool.submit(
                  () -> {
                    start.await();
                    return attempt.run(r, writer);
                  }));
        }
        List<String> won = new ArrayList<>();
        for (Map.Entry<String, Future<Boolean>> w : writers.entrySet()) {
          if (w.getValue().get()) {
            won.add(w.getKey());
          }
        }
        assertEquals(1, won.size(), "writers that won round " + round + ": " + won);
        assertEquals(won.get(0), Files.readString(file.apply(round)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A lock is a file created without overwrite: of two runs creating it at once, exactly one may
   * get it (Hadoop's local file system checks, then opens, and gave it to both).
   */
  @Test
  void ofTwoCreatesOfOneNewFileExactlyOneWins() throws Exception {
    IntFunction<java.nio.file.Path> lock = round -> dir.resolve("locks/" + round + ".lock");
    exactlyOneOfTwoWins(
        300,
        (round, writer) -> {
          try (var out = nio.create(new Path(lock.apply(round).toUri()), false)) {
            out.write(writer.getBytes(StandardCharsets.UTF_8));
            return true;
          } catch (FileAlreadyExistsException lost) {
            return false;
          }
        },
        lock);
  }

  /**
   * Delta commits version N by renaming its file to {@code N.json} without overwrite: of two
   * writers racing for one version, exactly one may win (two threads here; {@code link(2)} holds
   * between processes too). Hadoop's local rename checks, then renames over whatever appeared in
   * between: both won.
   */
  @Test
  void ofTwoRenamesOntoOneNewFileExactlyOneWins() throws Exception {
    FileContext fc = fileContext();
    IntFunction<java.nio.file.Path> version = v -> dir.resolve(String.format("%05d.json", v));
    exactlyOneOfTwoWins(
        300,
        (v, writer) -> {
          java.nio.file.Path tmp =
              Files.writeString(dir.resolve(v + "." + writer + ".tmp"), writer);
          try {
            fc.rename(
                new Path(tmp.toUri()), new Path(version.apply(v).toUri()), Options.Rename.NONE);
            return true;
          } catch (FileAlreadyExistsException lost) {
            Files.delete(tmp);
            return false;
          }
        },
        version);
    try (var left = Files.list(dir)) {
      assertEquals(300, left.count(), "one file per version, no temporary file left");
    }
  }

  /**
   * A manifest is replaced by a rename with {@code OVERWRITE}: a reader must find the old file or
   * the new one, never none (Hadoop's own local file system deletes the destination first).
   */
  @Test
  void aRenameThatReplacesAFileLeavesNoMomentWithoutIt() throws Exception {
    FileContext fc = fileContext();
    java.nio.file.Path target = dir.resolve("_manifest.json");
    Files.writeString(target, "run-0");
    AtomicBoolean renaming = new AtomicBoolean(true);
    AtomicInteger missing = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while (renaming.get()) {
                if (!Files.exists(target)) {
                  missing.incrementAndGet();
                }
              }
            });
    reader.start();
    try {
      for (int k = 1; k <= 2000; k++) {
        java.nio.file.Path pending = dir.resolve("_run-" + k + "_manifest.json");
        Files.writeString(pending, "run-" + k);
        fc.rename(new Path(pending.toUri()), new Path(target.toUri()), Options.Rename.OVERWRITE);
      }
    } finally {
      renaming.set(false);
      reader.join();
    }
    assertEquals(0, missing.get(), "reads that found no file");
    assertEquals("run-2000", Files.readString(target));
    try (var left = Files.list(dir)) {
      assertEquals(List.of("_manifest.json"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * Where no race is at stake, a rename through {@code FileContext} fails as Hadoop's own does: a
   * missing source or destination folder, a non-empty folder in the way, with and without
   * overwrite.
   */
  @Test
  void aRenameThatCannotHappenFailsAsHadoopsOwnDoes() throws Exception {
    Configuration theirs = new Configuration();
    theirs.set(
        "fs.AbstractFileSystem.file.impl", org.apache.hadoop.fs.local.LocalFs.class.getName());
    FileContext hadoopFc = FileContext.getFileContext(URI.create("file:///"), theirs);
    FileContext ours = fileContext();
    Files.writeString(dir.resolve("file"), "x");
    Files.createDirectories(dir.resolve("full/inside"));
    String[][] cases = {
      {"missing", "new"}, // no source
      {"file", "no-such-folder/new"}, // no destination folder
      {"file", "full"}, // a non-empty folder in the way
    };
    for (String[] c : cases) {
      for (Options.Rename option :
          new Options.Rename[] {Options.Rename.NONE, Options.Rename.OVERWRITE}) {
        Path from = new Path(dir.resolve(c[0]).toUri());
        Path to = new Path(dir.resolve(c[1]).toUri());
        Class<?> expected =
            assertThrows(Exception.class, () -> hadoopFc.rename(from, to, option)).getClass();
        Class<?> found =
            assertThrows(Exception.class, () -> ours.rename(from, to, option)).getClass();
        assertEquals(expected, found, String.join(" -> ", c) + " with " + option);
      }
    }
    assertEquals("x", Files.readString(dir.resolve("file")), "nothing moved");
  }

  @Test
  void theSessionUsesItForLocalPaths() throws Exception {
    Configuration session = SharedSpark.get().sparkContext().hadoopConfiguration();
    assertInstanceOf(NioLocalFileSystem.class, FileSystem.get(URI.create("file:///"), session));
    assertEquals(
        NioLocalFileSystem.Fs.class.getName(), session.get("fs.AbstractFileSystem.file.impl"));
  }
}
