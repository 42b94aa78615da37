package org.aigap.core;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's local file system, less its child processes and with the atomic steps a lakehouse needs.
 * Without Hadoop's native library (which no Maven artifact ships), every permission it sets forks
 * {@code chmod} and every rename through {@code FileContext} (how Delta commits) forks {@code
 * readlink} twice: about 500 processes in one run of the pipeline on the shipped data, 3 to 4 ms
 * each on this machine. Here the permission is set and the link read with {@code java.nio}. And
 * where Hadoop checks and then acts (a create that must not replace a file; a rename through {@code
 * FileContext} that must not replace one, or that replaces one), a system call that does the check
 * and the act together takes its place, so that two writers cannot both win and a reader never
 * finds the file missing ({@code FileSystem.rename}, which Spark's task commits use, stays
 * Hadoop's). Everything else is Hadoop's. {@link SparkSessions} installs it for {@code file:}
 * paths.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  private static final Logger LOG = LoggerFactory.getLogger(NioLocalFileSystem.class);
  private static final AtomicBoolean NO_LINKS_WARNED = new AtomicBoolean();

  /**
   * The Hadoop settings that make both entry points use it for {@code file:} paths. Hadoop caches
   * one file system per scheme for the whole JVM, made with the settings of whoever asked first.
   */
  public static final Map<String, String> SETTINGS =
      Map.of(
          "fs.file.impl", NioLocalFileSystem.class.getName(),
          "fs.AbstractFileSystem.file.impl", Fs.class.getName());

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-less) file system under both entry points. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (permission.getStickyBit()) {
        super.setPermission(p, permission); // java.nio cannot set the sticky bit
        return;
      }
      Files.setPosixFilePermissions(
          pathToFile(p).toPath(), PosixFilePermissions.fromString(permission.toString()));
    }

    /**
     * Without overwrite, Hadoop checks that the file is absent, then opens it: two writers (two
     * runs taking the metrics lock) could both get it. The name is claimed first with one {@code
     * open(O_CREAT|O_EXCL)}, which only one can win; Hadoop then opens the claimed file.
     */
    @Override
    public FSDataOutputStream create(
        Path f,
        FsPermission permission,
        boolean overwrite,
        int bufferSize,
        short replication,
        long blockSize,
        Progressable progress)
        throws IOException {
      if (!overwrite) {
        claim(f);
      }
      return super.create(f, permission, true, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(
        Path f,
        boolean overwrite,
        int bufferSize,
        short replication,
        long blockSize,
        Progressable progress)
        throws IOException {
      // As in Hadoop: no permission given means the default, less the umask.
      return create(f, null, overwrite, bufferSize, replication, blockSize, progress);
    }

    private void claim(Path f) throws IOException {
      java.nio.file.Path file = pathToFile(f).toPath();
      if (file.getParent() != null
          && !Files.isDirectory(file.getParent())
          && !mkdirs(f.getParent())) { // as Hadoop's create does, with its permissions
        throw new IOException("Mkdirs failed to create " + f.getParent());
      }
      try {
        Files.createFile(file);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException("File already exists: " + f);
      } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
        throw new FileNotFoundException("Cannot create " + f + ": " + e.getMessage());
      }
    }

    /**
     * Hadoop reads every path as a possible link with {@code readlink}; only a real link needs it.
     */
    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      if (Files.isSymbolicLink(pathToFile(f).toPath())) {
        return super.getFileLinkStatus(f);
      }
      return getFileStatus(f);
    }
  }

  /**
   * The same for {@code FileContext}, Hadoop's other entry point (its {@code LocalFs}, over {@link
   * Raw}).
   */
  public static final class Fs extends ChecksumFs {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(new RawFs(uri, conf));
    }
  }

  /** Hadoop's {@code RawLocalFs}, whose constructors are not public, over {@link Raw}. */
  static final class RawFs extends DelegateToFileSystem {
    RawFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new Raw(), conf, "file", false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }

    @Override
    @SuppressWarnings("deprecation")
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public FsServerDefaults getServerDefaults(Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true;
    }

    /**
     * Moves a file in one system call, so that a rename is what Delta and the outputs' manifests
     * need it to be. Hadoop's own local rename checks the destination, then calls {@code
     * rename(2)}: without {@code overwrite}, a file that appears in between is replaced (of two
     * writers committing one Delta version, both would succeed and one commit be lost); with it,
     * the destination is deleted first (a reader in between finds nothing). Here {@code link(2)},
     * which refuses an existing name, gives the file to exactly one writer; {@code rename(2)}
     * replaces one atomically. Folders, and file systems without hard links, keep Hadoop's way.
     */
    @Override
    public void renameInternal(Path src, Path dst, boolean overwrite) throws IOException {
      java.nio.file.Path from = ((Raw) fsImpl).pathToFile(src).toPath();
      java.nio.file.Path to = ((Raw) fsImpl).pathToFile(dst).toPath();
      java.nio.file.Path parent = to.getParent();
      if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)
          || Files.isDirectory(to)
          || parent == null
          || !Files.isDirectory(parent)) {
        super.renameInternal(src, dst, overwrite); // Hadoop's checks and errors
        return;
      }
      try {
        if (overwrite) {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          return;
        }
        Files.createLink(to, from);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException("Rename destination " + dst + " already exists.");
      } catch (java.nio.file.NoSuchFileException e) {
        throw new FileNotFoundException("Rename source " + src + " is not found.");
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
        // Another mount, or no hard links here: Hadoop's way, which a racing writer can beat.
        if (!overwrite && NO_LINKS_WARNED.compareAndSet(false, true)) {
          LOG.warn(
              "No hard link for {} ({}): a rename that must not replace a file is Hadoop's check"
                  + " and rename here, not exclusive between two writers",
              dst,
              e.toString());
        }
        super.renameInternal(src, dst, overwrite);
        return;
      }
      // The file is at its new name: the rename has happened, whatever becomes of the old one.
      try {
        Files.delete(from);
      } catch (IOException e) {
        LOG.warn("Renamed {} to {}, but could not remove the old name: {}", src, dst, e.toString());
      }
    }
  }
}
