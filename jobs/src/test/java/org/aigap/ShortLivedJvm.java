package org.aigap;

import java.util.List;

/**
 * How the tests start a JVM that lives for one test on the shipped data (a killed child, the
 * launcher, the standalone cluster's processes). The suite is CPU-bound. C1 only compiles less and
 * sooner: user CPU per test 2:59 -> 2:31 (FaultRecoveryIT), 4:24 -> 3:49 (ClusterSubmitIT), 0:54 ->
 * 0:32 (LauncherIT). The parallel collector then stops the JVM less than G1 does for such a short
 * life: the whole pipeline on the shipped data with C1, 30.5 s against 33.4 s, user CPU 37 s
 * against 43 s (three runs of each, alternating).
 */
public final class ShortLivedJvm {
  public static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");

  /** The flags as one string of options, for spark-submit's and the JVM's option variables. */
  public static final String OPTIONS = String.join(" ", FLAGS);

  private ShortLivedJvm() {}
}
