package org.aigap;

/**
 * How the tests start a JVM that lives for one test on the shipped data (a killed child, the
 * launcher, the standalone cluster's processes): with C1 only, which compiles less and sooner. The
 * suite is CPU-bound; measured per test, user CPU 2:59 -> 2:31 (FaultRecoveryIT), 4:24 -> 3:49
 * (ClusterSubmitIT), 0:54 -> 0:32 (LauncherIT).
 */
public final class ShortLivedJvm {
  public static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

  private ShortLivedJvm() {}
}
