package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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

/** The pipeline's local file system answers as Hadoop's own does, without forking a process. */
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
    Configuration c = new Configuration(false);
    c.set("fs.AbstractFileSystem.file.impl", NioLocalFileSystem.Fs.class.getName());
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), c);
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

  /**
   * A lock is a file created without overwrite: of two runs creating it at once, exactly one may
   * get it (Hadoop's local file system checks, then opens, and would give it to both).
   */
  @Test
  void ofTwoCreatesOfOneNewFileExactlyOneWins() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 300; round++) {
        Path lock = new Path(dir.resolve("locks/" + round + ".lock").toUri());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
        for (String run : List.of("a", "b")) {
          runs.add(
              pool.submit(
                  () -> {
                    start.await();
                    try (var out = nio.create(lock, false)) {
                      out.write(run.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                      return true;
                    } catch (FileAlreadyExistsException lost) {
                      return false;
                    }
                  }));
        }
        List<String> won = new java.util.ArrayList<>();
        for (int r = 0; r < 2; r++) {
          if (runs.get(r).get()) {
            won.add(r == 0 ? "a" : "b");
          }
        }
        assertEquals(1, won.size(), "runs that took lock " + round + ": " + won);
        assertEquals(won.get(0), Files.readString(java.nio.file.Path.of(lock.toUri())));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Delta commits version N by renaming its file to {@code N.json} without overwrite: of two
   * writers racing for one version, exactly one may win, in one JVM or two (Hadoop's local rename
   * checks, then renames over whatever appeared in between).
   */
  @Test
  void ofTwoRenamesOntoOneNewFileExactlyOneWins() throws Exception {
    Configuration c = new Configuration(false);
    c.set("fs.AbstractFileSystem.file.impl", NioLocalFileSystem.Fs.class.getName());
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), c);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int version = 0; version < 300; version++) {
        Path target = new Path(dir.resolve(String.format("%05d.json", version)).toUri());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<java.util.concurrent.Future<Boolean>> writers = new java.util.ArrayList<>();
        for (String writer : List.of("a", "b")) {
          java.nio.file.Path tmp = dir.resolve("." + version + "." + writer + ".tmp");
          Files.writeString(tmp, writer);
          writers.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      fc.rename(new Path(tmp.toUri()), target, Options.Rename.NONE);
                      return true;
                    } catch (FileAlreadyExistsException lost) {
                      Files.delete(tmp);
                      return false;
                    }
                  }));
        }
        List<String> won = new java.util.ArrayList<>();
        for (int w = 0; w < 2; w++) {
          if (writers.get(w).get()) {
            won.add(w == 0 ? "a" : "b");
          }
        }
        assertEquals(1, won.size(), "writers that committed version " + version + ": " + won);
        assertEquals(won.get(0), Files.readString(java.nio.file.Path.of(target.toUri())));
      }
    } finally {
      pool.shutdownNow();
    }
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
    Configuration c = new Configuration(false);
    c.set("fs.AbstractFileSystem.file.impl", NioLocalFileSystem.Fs.class.getName());
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), c);
    java.nio.file.Path target = dir.resolve("_manifest.json");
    Files.writeString(target, "run-0");
    java.util.concurrent.atomic.AtomicBoolean renaming =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger missing =
        new java.util.concurrent.atomic.AtomicInteger();
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

  @Test
  void theSessionUsesItForLocalPaths() throws Exception {
    Configuration session = SharedSpark.get().sparkContext().hadoopConfiguration();
    assertInstanceOf(NioLocalFileSystem.class, FileSystem.get(URI.create("file:///"), session));
    assertEquals(
        NioLocalFileSystem.Fs.class.getName(), session.get("fs.AbstractFileSystem.file.impl"));
  }
}
