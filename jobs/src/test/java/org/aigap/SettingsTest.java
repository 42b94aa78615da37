package org.aigap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Spark setting of the pipeline's own is in the README's table of settings, and no other;
 * each is read one way.
 */
class SettingsTest {
  private static final Pattern SETTING = Pattern.compile("spark\\.aigap\\.[A-Za-z.]*[A-Za-z]");

  private static TreeSet<String> settingsIn(String text) {
    TreeSet<String> out = new TreeSet<>();
    Matcher m = SETTING.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void theReadmesTableListsEverySettingTheCodeReads() throws IOException {
    TreeSet<String> inCode = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(TestLakehouse.PROJECT.resolve("jobs/src/main/java"))) {
      for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        inCode.addAll(settingsIn(Files.readString(f)));
      }
    }
    TreeSet<String> inTable = new TreeSet<>();
    for (String line : Files.readAllLines(TestLakehouse.PROJECT.resolve("README.md"))) {
      if (line.startsWith("| `spark.aigap.")) {
        inTable.addAll(settingsIn(line.substring(0, line.indexOf('|', 1))));
      }
    }
    assertEquals(inCode, inTable);
  }

  @Test
  void aSettingThatIsNotAWholeNumberIsAnErrorNamingItAndWhatItExpects() {
    String key = org.aigap.ingest.Ingest.CACHE_MAX_BYTES;
    SharedSpark.runWithSettings(
        java.util.Map.of(key, "256m"),
        () -> {
          org.aigap.core.PipelineException e =
              org.junit.jupiter.api.Assertions.assertThrows(
                  org.aigap.core.PipelineException.class,
                  () -> org.aigap.core.Settings.number(SharedSpark.get(), key, 1, "bytes"));
          assertEquals(
              "Setting spark.aigap.ingest.cacheMaxBytes is '256m'; expected a whole number of"
                  + " bytes",
              e.getMessage());
        });
    assertEquals(7, org.aigap.core.Settings.number(SharedSpark.get(), key, 7, "bytes"), "unset");
  }
}
