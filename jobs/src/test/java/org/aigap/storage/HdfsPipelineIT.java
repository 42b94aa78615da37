package org.aigap.storage;

import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on a real HDFS in this JVM ({@link MiniHdfs}): a shared cluster's usual
 * storage. What is checked there is {@link PipelineOnStore}'s; Delta uses its HDFSLogStore, safe
 * for several writing drivers because HDFS renames atomically.
 */
class HdfsPipelineIT {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() {
    ShippedRun.get(); // local mode's run to compare with, made (or found) before the clock starts
    hdfs = new MiniHdfs(TestLakehouse.PROJECT.resolve("jobs/target/hdfs-pipeline-it"));
    System.out.printf("MiniDFSCluster started in %.1f s at %s%n", hdfs.startSeconds, hdfs.uri());
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Test
  void theWholePipelineRunsOnHdfsMatchesLocalModeSkipsWhatIsUnchangedAndPublishesAtomically()
      throws Exception {
    PipelineOnStore.check("HDFS", hdfs.uri(), "HDFSLogStore", "MiniDFSCluster", hdfs.startSeconds);
  }
}
