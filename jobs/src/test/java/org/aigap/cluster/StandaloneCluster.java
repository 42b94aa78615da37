package org.aigap.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigap.ShortLivedJvm;

/**
 * A real Spark standalone cluster on this machine: one master and one worker from a Spark
 * distribution (the pyspark package carries one), bound to 127.0.0.1. Closing it stops every
 * process it started, even when the test failed.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL =
      Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)");

  private final Path sparkHome;
  private final Path logs;
  private final List<Process> processes = new ArrayList<>();
  final String masterUrl;

  StandaloneCluster(Path sparkHome, Path logs) throws IOException, InterruptedException {
    this.sparkHome = sparkHome;
    this.logs = logs;
    // Every port is the system's choice (0), read back from the log: a port picked free here could
    // be taken by the other test JVM before the master binds it.
    Path master =
        start(
            "master",
            List.of(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--webui-port",
                "0"));
    awaitLog(master, "I have been elected leader", Duration.ofSeconds(90));
    Matcher url = MASTER_URL.matcher(Files.readString(master, StandardCharsets.UTF_8));
    if (!url.find()) {
      throw new IllegalStateException("No master URL in " + master);
    }
    masterUrl = url.group(1);
    Path worker =
        start(
            "worker",
            List.of(
                "org.apache.spark.deploy.worker.Worker",
                masterUrl,
                "--host",
                "127.0.0.1",
                "--cores", // one for a driver in cluster deploy mode, one for the executor
                "2",
                "--memory",
                "3g",
                "--webui-port",
                "0",
                "--work-dir",
                logs.resolve("work").toString()));
    awaitLog(worker, "Successfully registered with master", Duration.ofSeconds(90));
  }

  /**
   * The environment every process of the cluster, and spark-submit, runs with. Their JVMs start as
   * {@link ShortLivedJvm} says: each lives for one test, on a few thousand rows.
   */
  Map<String, String> environment() {
    return Map.of(
        "SPARK_HOME",
        sparkHome.toString(),
        "SPARK_LOCAL_IP",
        "127.0.0.1",
        "SPARK_SCALA_VERSION",
        "2.13",
        "SPARK_DAEMON_JAVA_OPTS",
        ShortLivedJvm.OPTIONS,
        "SPARK_SUBMIT_OPTS",
        ShortLivedJvm.OPTIONS);
  }

  private Path start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(sparkHome.resolve("bin/spark-class").toString());
    command.addAll(args);
    Path log = logs.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(environment());
    processes.add(pb.start());
    return log;
  }

  private void awaitLog(Path log, String line, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
        return;
      }
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "A cluster process exited early; its log:\n" + Files.readString(log));
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "No '" + line + "' in " + log + " within " + timeout + ":\n" + Files.readString(log));
  }

  /** Kills (SIGKILL) every executor JVM this cluster's worker started, as a host lost mid-task. */
  void killExecutors() {
    for (Process p : processes) {
      p.descendants()
          .filter(d -> d.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
