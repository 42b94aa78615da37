package org.aigap.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * A real HDFS in the test JVM: one NameNode and one DataNode (hadoop-client-minicluster, the Hadoop
 * version of Spark's client), every port bound to 127.0.0.1 and chosen by the system, their storage
 * under {@code baseDir} (formatted anew).
 */
public final class MiniHdfs implements AutoCloseable {
  private static final String ANY_LOOPBACK_PORT = "127.0.0.1:0";

  private final MiniDFSCluster cluster;

  /** Seconds the cluster took to start and report itself active. */
  public final double startSeconds;

  public MiniHdfs(java.nio.file.Path baseDir) {
    Configuration conf = org.aigap.TestLakehouse.hadoop(); // its local folders: as the session's
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", ANY_LOOPBACK_PORT);
    conf.set("dfs.datanode.address", ANY_LOOPBACK_PORT);
    conf.set("dfs.datanode.http.address", ANY_LOOPBACK_PORT);
    conf.set("dfs.datanode.ipc.address", ANY_LOOPBACK_PORT);
    quietServers(Level.ERROR);
    long t0 = System.nanoTime();
    try {
      cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
      cluster.waitActive();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    startSeconds = (System.nanoTime() - t0) / 1e9;
  }

  /** The file system's root, {@code hdfs://127.0.0.1:PORT}. */
  public String uri() {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  public FileSystem fileSystem() {
    try {
      return cluster.getFileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    quietServers(Level.OFF); // threads interrupted on purpose: an ERROR line that is no error
    cluster.shutdown();
  }

  /**
   * The NameNode's and DataNode's own warnings as they start (no HTTP signature secret, no disk
   * usage file yet) and stop belong to this fixture, not to the pipeline; the HDFS client's stay.
   */
  private static void quietServers(Level level) {
    for (String logger :
        List.of(
            "org.apache.hadoop.hdfs.server",
            "org.apache.hadoop.security.authentication.server",
            "org.apache.hadoop.fs.CachingGetSpaceUsed")) {
      Configurator.setLevel(logger, level);
    }
  }
}
