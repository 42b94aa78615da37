package org.aigap.graph;

import java.util.Locale;

/**
 * Where a dataset sits, how it is stored, and which command of the command line selects it: bronze
 * and silver are Delta tables in the warehouse, gold outputs are Parquet folders.
 */
public enum Layer {
  BRONZE("ingest"),
  SILVER("conform"),
  GOLD("metrics");

  /** The sub-command (and run-log job) that runs this layer. */
  public final String job;

  Layer(String job) {
    this.job = job;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Layer ofJob(String job) {
    for (Layer l : values()) {
      if (l.job.equals(job)) {
        return l;
      }
    }
    return null;
  }
}
