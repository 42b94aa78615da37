package org.aigap.storage;

import org.aigap.SharedSpark;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on an S3 API ({@link MotoS3}, moto's server on 127.0.0.1) through s3a, the way
 * a cloud deployment stores its lake: no atomic rename, a folder is a key prefix. What is checked
 * there is {@link PipelineOnStore}'s; Delta must choose its S3SingleDriverLogStore by itself, and
 * outputs must still publish atomically without a rename to rely on.
 */
class S3PipelineIT {
  private static MotoS3 s3;

  @BeforeAll
  static void startS3() {
    ShippedRun.get(); // local mode's run to compare with, made (or found) before the clock starts
    s3 = new MotoS3("aigap-lake", TestLakehouse.PROJECT.resolve("jobs/target/s3-pipeline-it"));
    s3.configure(SharedSpark.get().sparkContext().hadoopConfiguration());
    System.out.printf("moto's S3 server started in %.1f s at %s%n", s3.startSeconds, s3.uri());
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      System.out.println("Requests moto served, by method: " + s3.requests());
      s3.close();
    }
  }

  @Test
  void theWholePipelineRunsOnS3MatchesLocalModeSkipsWhatIsUnchangedAndPublishesAtomically()
      throws Exception {
    PipelineOnStore.check(
        "S3", s3.uri(), "S3SingleDriverLogStore", "moto's S3 server", s3.startSeconds);
  }
}
