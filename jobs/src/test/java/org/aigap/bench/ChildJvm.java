package org.aigap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one main class in a fresh JVM under GNU time, so that every contender pays its own JVM and
 * engine start-up and its peak memory (maximum resident set size) is measured the same way.
 */
record ChildJvm(String heap, String jvmFlags, String classpath, Path logDir) {
  private static final Pattern WORK = Pattern.compile("BENCH work_seconds=([0-9.]+)");

  /** What a child run cost, and its standard output (for the pipeline's summary table). */
  record Result(
      String name, double wallSeconds, double workSeconds, long peakRssMb, String stdout) {}

  Result run(String name, String mainClass, String... args)
      throws IOException, InterruptedException {
    Path timing = logDir.resolve(name + ".time");
    Path log = logDir.resolve(name + ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/time", "-f", "%e %M", "-o", timing.toString(), "java", "-Xmx" + heap));
    for (String f : jvmFlags.trim().split("\\s+")) {
      if (!f.isEmpty()) {
        cmd.add(f);
      }
    }
    cmd.addAll(
        List.of(
            "-Dlog4j2.configurationFile=jobs/conf/log4j2.properties",
            "-Duser.timezone=UTC",
            "-cp",
            classpath,
            mainClass));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int status = p.waitFor();
    String out = Files.readString(log);
    if (status != 0) {
      throw new IllegalStateException(name + " exited with " + status + "; see " + log);
    }
    String[] t = Files.readString(timing).trim().split("\\s+");
    Matcher m = WORK.matcher(out);
    double work = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    return new Result(name, Double.parseDouble(t[0]), work, Long.parseLong(t[1]) / 1024, out);
  }
}
