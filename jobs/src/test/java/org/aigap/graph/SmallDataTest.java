package org.aigap.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigap.TestLakehouse;
import org.junit.jupiter.api.Test;

/** What counts as small: one threshold, for the datasets and for the launcher's JVM. */
class SmallDataTest {
  @Test
  void theLauncherTakesARunAsSmallBelowTheDatasetsThreshold() throws IOException {
    String launcher = Files.readString(TestLakehouse.PROJECT.resolve("jobs/bin/aigap"));
    Matcher m =
        Pattern.compile("small_run_bytes=\\$\\(\\((\\d+) << (\\d+)\\)\\)").matcher(launcher);
    assertTrue(m.find(), "jobs/bin/aigap sets small_run_bytes");
    assertEquals(
        SmallData.DEFAULT_SMALL_INPUT_BYTES,
        Long.parseLong(m.group(1)) << Integer.parseInt(m.group(2)),
        "jobs/bin/aigap's small run = spark.aigap.smallInputBytes' default");
    assertTrue(launcher.contains("flags+=(-XX:TieredStopAtLevel=1)"), "a small run: C1 only");
  }
}
