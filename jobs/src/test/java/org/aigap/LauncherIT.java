package org.aigap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands: jobs/bin/aigap, whose run ends on the pipeline's own last line and exit
 * code; the feed generator, run from the application jar.
 */
class LauncherIT {
  @TempDir Path dir;

  private record Launch(int exit, List<String> lines) {
    String last() {
      return lines.get(lines.size() - 1);
    }
  }

  private Launch launch(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(TestLakehouse.PROJECT.resolve("jobs/bin/aigap").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--raw",
            dir.resolve("raw").toString(),
            "--warehouse",
            dir.resolve("wh").toString(),
            "--outputs",
            dir.resolve("out").toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", ShortLivedJvm.OPTIONS);
    // The build running this test has packaged the code. A build of the launcher's own would
    // rewrite the jar the other test JVM is submitting to a cluster: it fails instead (exit 3).
    pb.environment().put("AIGAP_BUILD", "never");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the launcher finished");
    return new Launch(p.exitValue(), output.lines().filter(l -> !l.isBlank()).toList());
  }

  private void shippedDataWith(String factsCsv) throws Exception {
    Files.createDirectories(dir.resolve("raw"));
    try (var files = Files.list(TestLakehouse.PROJECT.resolve("data/raw"))) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve("raw").resolve(f.getFileName()));
      }
    }
    Files.writeString(dir.resolve("raw/facts.csv"), factsCsv);
  }

  @Test
  void anEmptyExtractEndsTheRunOnOneLineNamingTheFileWithoutAStackTrace() throws Exception {
    shippedDataWith("");
    Launch run = launch("all");
    assertEquals(1, run.exit(), String.join("\n", run.lines()));
    assertEquals(
        "FAILED: Cannot ingest file:"
            + dir.resolve("raw/facts.csv")
            + ": the file is empty (expected a header line)",
        run.last());
    assertFalse(
        run.lines().stream().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
        String.join("\n", run.lines()));
  }

  @Test
  void aPlanOnAFreshWarehouseSaysEveryDatasetWillBeBuilt() throws Exception {
    shippedDataWith(Files.readString(TestLakehouse.PROJECT.resolve("data/raw/facts.csv")));
    Launch plan = launch("plan");
    assertEquals(0, plan.exit(), String.join("\n", plan.lines()));
    assertTrue(
        plan.lines().stream()
            .anyMatch(
                l ->
                    l.matches(
                        "Plan: (\\d+) of \\1 selected datasets would run, 0 skipped; the graph is"
                            + " valid\\.")),
        String.join("\n", plan.lines()));
  }

  @Test
  void theFeedGeneratorRunsFromTheApplicationJarAloneAndWritesTheShippedSample() throws Exception {
    Path jar = Path.of(System.getProperty("aigap.app.jar"));
    String readme = Files.readString(TestLakehouse.PROJECT.resolve("README.md"));
    assertTrue(
        readme.contains(
            "java -cp jobs/target/" + jar.getFileName() + " org.aigap.feeds.GenerateFeeds"),
        "the README gives this command");
    // Spark is not in the jar (the cluster provides it): the generator must not need it.
    ProcessBuilder pb =
        new ProcessBuilder(
                "java",
                "-cp",
                jar.toString(),
                "org.aigap.feeds.GenerateFeeds",
                "--downloads",
                "20000",
                "--deals",
                "2000",
                "--out",
                dir.resolve("feeds").toString(),
                "--raw",
                TestLakehouse.SHIPPED_RAW.toString())
            .redirectErrorStream(true);
    pb.environment().put("JAVA_TOOL_OPTIONS", ShortLivedJvm.OPTIONS);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the generator finished");
    assertEquals(0, p.exitValue(), output);
    for (String file : List.of("model_downloads.csv", "funding_rounds.csv")) {
      assertTrue(
          java.util.Arrays.equals(
              Files.readAllBytes(TestLakehouse.SHIPPED_RAW.resolve(file)),
              Files.readAllBytes(dir.resolve("feeds").resolve(file))),
          file + " is the shipped sample, byte for byte");
    }
  }
}
