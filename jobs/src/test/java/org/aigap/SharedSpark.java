package org.aigap;

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
}
