package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aigap.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
  private final SparkSession spark = SharedSpark.get();
  private final AtomicLong now = new AtomicLong();

  private void runJob(String description, Runnable job)
      throws java.util.concurrent.TimeoutException {
    spark.sparkContext().setJobDescription(description);
    try {
      job.run();
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
    spark
        .sparkContext()
        .listenerBus()
        .waitUntilEmpty(); // listeners hear of jobs and tasks asynchronously
  }

  @Test
  void aStepSaysItIsAliveOnceItHasRunOneIntervalWithTheRowsItsTasksReadAndWrote(@TempDir Path dir)
      throws Exception {
    try (Progress progress = new Progress(spark, Duration.ofSeconds(10), now::get, false)) {
      assertEquals(Optional.empty(), progress.line(), "nothing before a step starts");
      runJob(
          "run-1 bronze.facts",
          () -> spark.range(0, 1234, 1, 2).write().parquet(dir.resolve("t").toString()));
      now.addAndGet(TimeUnit.SECONDS.toNanos(9));
      assertEquals(Optional.empty(), progress.line(), "quiet for a step shorter than the interval");
      now.addAndGet(TimeUnit.SECONDS.toNanos(3));
      assertEquals(
          Optional.of(
              "run-1 bronze.facts: running for 12 s; finished tasks read 1,234 rows and wrote 1,234"
                  + " so far"),
          progress.line());

      runJob(
          "run-1 silver.facts",
          () ->
              spark
                  .read()
                  .parquet(dir.resolve("t").toString())
                  .filter("id % 2 = 0")
                  .collectAsList());
      assertEquals(Optional.empty(), progress.line(), "a new step starts its own clock");
      now.addAndGet(TimeUnit.SECONDS.toNanos(20));
      String line = progress.line().orElseThrow();
      assertTrue(
          line.startsWith(
              "run-1 silver.facts: running for 20 s; finished tasks read 1,234 rows and wrote 0"),
          line);
    }
  }

  @Test
  void anIntervalOfZeroTurnsItOff() {
    assertEquals(
        null, SharedSpark.withSettings(Map.of(Progress.SECONDS, "0"), () -> Progress.start(spark)));
  }
}
