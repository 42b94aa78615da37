package org.aigap.feeds;

/**
 * Stateless seeded randomness: the value for (seed, row, stream) is a pure function, so a row can
 * be drawn again in a second pass, or by another thread, and come out the same (SplitMix64).
 */
final class Random64 {
  private Random64() {}

  static long mix(long seed, long row, int stream) {
    long z = seed * 0x9E3779B97F4A7C15L + row * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  static double unit(long seed, long row, int stream) {
    return (mix(seed, row, stream) >>> 11) * 0x1.0p-53;
  }
}
