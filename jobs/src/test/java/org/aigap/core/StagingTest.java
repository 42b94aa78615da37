package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.aigap.SharedSpark;
import org.aigap.TestLakehouse;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's staging folder: moved into place once, removed when the run ends or was killed. */
class StagingTest {
  @TempDir Path dir;
  private final SparkSession spark = SharedSpark.get();
  private final Configuration hadoop = spark.sparkContext().hadoopConfiguration();

  private LakehousePaths paths() {
    return new LakehousePaths(
        dir.resolve("raw").toString(), dir.resolve("wh").toString(), dir.resolve("out").toString());
  }

  private Path staged(String runId, String table) throws IOException {
    Path p = Path.of(Staging.path(paths(), runId, table));
    Files.createDirectories(p);
    Files.writeString(p.resolve("part-0.parquet"), runId);
    return p;
  }

  @Test
  void aStagedTableIsMovedIntoPlaceOnlyWhereNothingIsYet() throws IOException {
    Path first = staged("20261130T120000Z-aaaaaaaa", "t");
    Path second = staged("20261130T120001Z-bbbbbbbb", "t");
    Path table = dir.resolve("wh/bronze/t");

    assertTrue(Staging.moveIfAbsent(hadoop, first.toString(), table.toString()));
    assertFalse(Staging.moveIfAbsent(hadoop, second.toString(), table.toString()));

    assertEquals("20261130T120000Z-aaaaaaaa", Files.readString(table.resolve("part-0.parquet")));
    assertFalse(Files.exists(first));
    assertTrue(Files.exists(second), "the second staged table stays where it is");
    assertFalse(Files.exists(table.resolve("t")), "never moved into the table's folder");
    Staging.removeRun(hadoop, paths(), "20261130T120001Z-bbbbbbbb");
    assertFalse(Files.exists(second.getParent()), "the run's folder removed whole");
  }

  @Test
  void onlyTheFoldersOfRunsOlderThanTheMaximumAgeAreAbandoned() throws IOException {
    String now = RunContext.create(spark, TestLakehouse.schemas(), paths()).runId();
    String running = "20200101T000000Z-0000000b"; // the run that looks: never its own folder
    staged("20200101T000000Z-0000000a", "t");
    staged(running, "t");
    staged(now, "t");
    staged("not-a-run", "t");

    assertEquals(1, Staging.removeAbandoned(spark, paths(), running));
    try (Stream<Path> left = Files.list(dir.resolve("wh/_staging"))) {
      assertEquals(
          Stream.of(running, now, "not-a-run").sorted().toList(),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(
        Instant.parse("2020-01-01T00:00:00Z"), RunContext.startOf("20200101T000000Z-0000000a"));
  }
}
