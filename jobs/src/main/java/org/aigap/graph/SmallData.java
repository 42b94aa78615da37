package org.aigap.graph;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.aigap.core.Settings;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Spark compiles generated code for every new query shape, and re-plans each stage adaptively. On a
 * few thousand rows that costs more than it saves: the whole pipeline on the shipped data ran in 54
 * s interpreted against 75 s compiled (2026-11-30, this machine). So a dataset whose raw inputs
 * (its own file, or the files of every bronze dataset upstream of it) add up to less than {@code
 * spark.aigap.smallInputBytes} (default 64 MB; 0 turns this off) runs interpreted, without adaptive
 * execution, and shuffles into one partition (four tasks per stage cost about 4 s of a 40 s run); a
 * larger one runs with Spark's settings as they are. The results are the same either way.
 */
final class SmallData {
  static final String SMALL_INPUT_BYTES = "spark.aigap.smallInputBytes";
  static final long DEFAULT_SMALL_INPUT_BYTES = 64L << 20;
  private static final Map<String, String> INTERPRETED =
      Map.of(
          "spark.sql.codegen.wholeStage", "false",
          "spark.sql.codegen.factoryMode", "NO_CODEGEN",
          "spark.sql.adaptive.enabled", "false",
          "spark.sql.shuffle.partitions", "1");

  private SmallData() {}

  /** Settings to restore when the dataset is done. */
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  static boolean isSmall(SparkSession spark, long rawBytes) {
    return rawBytes < Settings.number(spark, SMALL_INPUT_BYTES, DEFAULT_SMALL_INPUT_BYTES, "bytes");
  }

  /** Per session: how many datasets run small now, and the settings to restore when none does. */
  private static final Map<SparkSession, Active> ACTIVE = new WeakHashMap<>();

  private static final class Active {
    final Map<String, String> before = new HashMap<>();
    int datasets;
  }

  /**
   * Runs what follows interpreted when {@code rawBytes} is small; closing restores the session's
   * settings. The settings are the session's: two runs sharing one session (tests do) count their
   * small datasets together, and the last one to finish restores them.
   */
  static Restore settingsFor(SparkSession spark, long rawBytes) {
    if (!isSmall(spark, rawBytes)) {
      return () -> {};
    }
    synchronized (ACTIVE) {
      Active active = ACTIVE.get(spark);
      if (active == null) {
        active = new Active();
        RuntimeConfig conf = spark.conf();
        for (Map.Entry<String, String> e : INTERPRETED.entrySet()) {
          active.before.put(e.getKey(), conf.getOption(e.getKey()).getOrElse(() -> null));
          conf.set(e.getKey(), e.getValue());
        }
        ACTIVE.put(spark, active);
      }
      active.datasets++;
    }
    return () -> {
      synchronized (ACTIVE) {
        Active active = ACTIVE.get(spark);
        if (--active.datasets == 0) {
          active.before.forEach(
              (k, v) -> {
                if (v == null) {
                  spark.conf().unset(k);
                } else {
                  spark.conf().set(k, v);
                }
              });
          ACTIVE.remove(spark);
        }
      }
    };
  }
}
