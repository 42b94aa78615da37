package org.aigap.graph;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Spark compiles generated code for every new query shape, and re-plans each stage adaptively. On
 * a few thousand rows that costs more than it saves: the whole pipeline on the shipped data ran in
 * 54 s interpreted against 75 s compiled (2026-11-30, this machine). So a dataset whose raw inputs
 * (its own file, or the files of every bronze dataset upstream of it) add up to less than {@code
 * spark.aigap.smallInputBytes} (default 64 MB; 0 turns this off) runs interpreted, without
 * adaptive execution; a larger one runs with Spark's settings as they are. The results are the
 * same either way.
 */
final class SmallData {
  static final String SMALL_INPUT_BYTES = "spark.aigap.smallInputBytes";
  private static final long DEFAULT_SMALL_INPUT_BYTES = 64L << 20;
  private static final Map<String, String> INTERPRETED =
      Map.of(
          "spark.sql.codegen.wholeStage", "false",
          "spark.sql.codegen.factoryMode", "NO_CODEGEN",
          "spark.sql.adaptive.enabled", "false");

  private SmallData() {}

  /** Settings to restore when the dataset is done. */
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  static boolean isSmall(SparkSession spark, long rawBytes) {
    long limit = Long.parseLong(spark.conf().get(SMALL_INPUT_BYTES, String.valueOf(DEFAULT_SMALL_INPUT_BYTES)));
    return rawBytes < limit;
  }

  /** Runs what follows interpreted when {@code rawBytes} is small; closing restores the session's settings. */
  static Restore settingsFor(SparkSession spark, long rawBytes) {
    if (!isSmall(spark, rawBytes)) {
      return () -> {};
    }
    RuntimeConfig conf = spark.conf();
    Map<String, String> before = new HashMap<>();
    INTERPRETED.forEach((k, v) -> {
      before.put(k, conf.getOption(k).getOrElse(() -> null));
      conf.set(k, v);
    });
    return () -> before.forEach((k, v) -> {
      if (v == null) {
        conf.unset(k);
      } else {
        conf.set(k, v);
      }
    });
  }
}
