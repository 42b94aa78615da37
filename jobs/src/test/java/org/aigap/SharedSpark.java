package org.aigap;

import java.util.Map;
import java.util.function.Supplier;
import org.aigap.core.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM (a fresh one costs about 30 s on two cores), built through
 * the same code path as a real run, with the UI off and two shuffle partitions.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      System.setProperty("spark.ui.enabled", "false");
      System.setProperty("spark.sql.shuffle.partitions", "2");
      System.setProperty("spark.default.parallelism", "2");
      session =
          SparkSessions.getOrCreate(
              "ai-valuation-gap-tests", System.getProperty("java.io.tmpdir") + "/aigap-tests");
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  /** What {@code body} returns, run with {@code settings} set on the session and unset after. */
  public static <T> T withSettings(Map<String, String> settings, Supplier<T> body) {
    SparkSession spark = get();
    settings.forEach((k, v) -> spark.conf().set(k, v));
    try {
      return body.get();
    } finally {
      settings.keySet().forEach(k -> spark.conf().unset(k));
    }
  }

  /** Runs {@code body} with {@code settings} set on the session, and unsets them after. */
  public static void runWithSettings(Map<String, String> settings, Runnable body) {
    withSettings(
        settings,
        () -> {
          body.run();
          return null;
        });
  }
}
