package org.aigap.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigap.LoopbackPort;
import org.aigap.PythonEnv;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * An S3 API on 127.0.0.1: moto's server (installed by the build into the tests' Python venv) as a
 * child process, with one empty bucket. Its settings are scoped to that bucket ({@code
 * fs.s3a.bucket.BUCKET.*}) so that nothing else in the shared SparkSession talks to it.
 */
final class MotoS3 implements AutoCloseable {
  private static final Pattern REQUEST = Pattern.compile("\"([A-Z]+) /");

  private final String bucket;
  private final Path log;
  private final Process server;
  private final String endpoint;
  private Configuration conf;

  /** Seconds from starting the process to the bucket created. */
  final double startSeconds;

  MotoS3(String bucket, Path workDir) {
    this.bucket = bucket;
    try {
      Files.createDirectories(workDir);
      log = workDir.resolve("moto.log");
      Path motoServer = PythonEnv.python().resolveSibling("moto_server");
      long t0 = System.nanoTime();
      // moto takes a port, not 0: one picked free here can be taken by the other test JVM before
      // moto binds it, and then moto exits at once; another pick is all but sure to be free.
      Process started = null;
      String url = null;
      for (int attempt = 1; started == null; attempt++) {
        int port = LoopbackPort.free();
        url = "http://127.0.0.1:" + port;
        Process p =
            new ProcessBuilder(motoServer.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (awaitAnswer(p, url)) {
          started = p;
        } else if (attempt == 3) {
          throw new IllegalStateException("moto_server exited: " + Files.readString(log));
        }
      }
      server = started;
      endpoint = url;
      try {
        if (http("PUT", "/" + bucket) != 200) {
          throw new IllegalStateException("moto did not create bucket " + bucket);
        }
      } catch (IOException | RuntimeException e) {
        server.destroyForcibly(); // no close() follows a constructor that throws
        throw e;
      }
      startSeconds = (System.nanoTime() - t0) / 1e9;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The bucket's root, {@code s3a://BUCKET}. */
  String uri() {
    return "s3a://" + bucket;
  }

  /**
   * Points s3a at moto for this bucket only: path-style requests over plain HTTP, the region the
   * SDK insists on, and static dummy keys (moto accepts any) instead of the AWS credential chain.
   * copyFromLocalFile goes through the generic stream copy: its optimized path uploads with the
   * SDK's async (netty) client, which takes the second "100 Continue" moto's server sends to an
   * {@code Expect: 100-continue} PUT for the final answer and retries each file for minutes.
   */
  void configure(Configuration conf) {
    this.conf = conf;
    String prefix = "fs.s3a.bucket." + bucket + ".";
    Map.of(
            "endpoint", endpoint,
            "endpoint.region", "us-east-1",
            "path.style.access", "true",
            "connection.ssl.enabled", "false",
            "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "access.key", "test",
            "secret.key", "test",
            "optimized.copy.from.local.enabled", "false")
        .forEach((key, value) -> conf.set(prefix + key, value));
  }

  /** The requests moto has served so far, by HTTP method (from its access log). */
  Map<String, Integer> requests() {
    Map<String, Integer> counts = new TreeMap<>();
    try {
      Matcher m = REQUEST.matcher(Files.readString(log));
      while (m.find()) {
        counts.merge(m.group(1), 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  /** Closes s3a's client for the bucket (its pools would retry a stopped server), then moto. */
  @Override
  public void close() {
    try {
      if (conf != null) {
        FileSystem.get(URI.create(uri()), conf).close(); // also leaves FileSystem's cache
      }
    } catch (IOException e) {
      System.err.println("Closing the s3a client of " + uri() + ": " + e);
    }
    server.destroy();
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until moto answers HTTP at {@code url} (under a second here; a minute before giving up):
   * false if it exited first.
   */
  private boolean awaitAnswer(Process moto, String url) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (moto.isAlive()) {
      try {
        if (http(url, "GET", "/") == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        moto.destroyForcibly();
        throw new IllegalStateException(
            "moto_server did not answer in 60 s: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return false;
  }

  private int http(String method, String path) throws IOException {
    return http(endpoint, method, path);
  }

  private static int http(String url, String method, String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(1000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }
}
