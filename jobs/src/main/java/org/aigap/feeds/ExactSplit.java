package org.aigap.feeds;

/**
 * Splits an integer total over items met one at a time, in proportion to their weights, so that the
 * parts are whole numbers that add up to the total exactly: each part is the rounded cumulative
 * share minus the previous one. The weight sum must come from a first pass over the same weights in
 * the same order; then the last part closes the total with no remainder left to place.
 */
final class ExactSplit {
  private final long total;
  private final double weightSum;
  private double cumulative;
  private long issued;

  ExactSplit(long total, double weightSum) {
    if (total < 0 || !(weightSum > 0)) {
      throw new IllegalArgumentException(
          "expected a total >= 0 and a positive weight sum, found " + total + " and " + weightSum);
    }
    this.total = total;
    this.weightSum = weightSum;
  }

  long next(double weight) {
    cumulative += weight;
    long upTo = Math.min(total, Math.round(total * (cumulative / weightSum)));
    long part = upTo - issued;
    issued = upTo;
    return part;
  }

  /** Fails unless every part was placed: the two passes met the same weights in the same order. */
  static void checkClosed(ExactSplit split, String what) {
    if (split != null && split.total != split.issued) {
      throw new IllegalStateException(
          what + ": placed " + split.issued + " of " + split.total + "; the two passes differ");
    }
  }
}
