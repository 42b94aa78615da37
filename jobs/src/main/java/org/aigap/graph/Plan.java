package org.aigap.graph;

import java.util.List;

/**
 * What a run would do, dataset by dataset in run order: run it or skip it, and why. Made by {@link
 * Runner#plan} without reading a row or writing anything (as {@code spark-pipelines dry-run} does),
 * after validating the whole graph.
 */
public record Plan(List<Step> steps) {
  public enum Action {
    RUN,
    SKIP
  }

  public record Step(DatasetDef dataset, Action action, String reason) {}

  public Plan {
    steps = List.copyOf(steps);
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    int width = steps.stream().mapToInt(s -> s.dataset().name().length()).max().orElse(10);
    long running = steps.stream().filter(s -> s.action() == Action.RUN).count();
    b.append(
        String.format(
            "Plan: %d of %d selected datasets would run, %d skipped; the graph is valid.%n",
            running, steps.size(), steps.size() - running));
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      b.append(
          String.format(
              "%3d  %-" + width + "s  %-4s  %s%n",
              i + 1,
              s.dataset().name(),
              s.action().name().toLowerCase(java.util.Locale.ROOT),
              s.reason()));
      b.append(
          String.format(
              "     %-" + width + "s        reads %s%n",
              "",
              String.join(", ", s.dataset().reads())));
    }
    return b.toString();
  }
}
