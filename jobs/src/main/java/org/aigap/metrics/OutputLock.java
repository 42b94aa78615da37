package org.aigap.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.aigap.core.Errors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One metrics run at a time per outputs folder: a lock file created only if absent (atomic on HDFS
 * and local disks), holding the run id, host and process id. A second run fails at once with a
 * clear message instead of racing the first one's renames; a lock left by a killed run on this host
 * (its process gone), or left incomplete by a run killed as it took it, is taken over.
 */
public final class OutputLock implements AutoCloseable {
  static final String FILE = "_staging/_metrics.lock";

  /** An incomplete lock (its run killed as it took it) this old is abandoned. */
  static final long INCOMPLETE_AFTER_MS = 60_000;

  private final FileSystem fs;
  private final Path path;

  private OutputLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  public static OutputLock acquire(Configuration hadoop, String outputsFolder, String runId) {
    Path outputs = new Path(outputsFolder);
    Path path = new Path(outputs, FILE);
    String owner = runId + " " + host() + " " + ProcessHandle.current().pid();
    try {
      FileSystem fs = outputs.getFileSystem(hadoop);
      for (int attempt = 0; attempt < 2; attempt++) {
        try (OutputStream out = fs.create(path, false)) {
          out.write(owner.getBytes(StandardCharsets.UTF_8));
          return new OutputLock(fs, path);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
          String[] h = read(fs, path).split(" ");
          boolean complete = h.length == 3 && h[2].matches("[0-9]{1,18}");
          boolean abandoned =
              complete
                  ? h[1].equals(host()) && ProcessHandle.of(Long.parseLong(h[2])).isEmpty()
                  // A run writes its line as it creates the file; one killed in between leaves it
                  // incomplete, and once it is older than a run could take to write it, nobody
                  // holds it.
                  : System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime()
                      > INCOMPLETE_AFTER_MS;
          if (!abandoned) {
            throw Errors.outputsLocked(outputs.toString(), path.toString(), complete ? h[0] : null);
          }
          fs.delete(path, false); // its run was killed: take the lock over
        }
      }
      throw Errors.lockContended(path.toString());
    } catch (IOException e) {
      throw Errors.ioFailed("take the metrics lock", path.toString(), e);
    }
  }

  @Override
  public void close() {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      throw Errors.ioFailed("release the metrics lock", path.toString(), e);
    }
  }

  private static String read(FileSystem fs, Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
