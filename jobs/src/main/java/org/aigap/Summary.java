package org.aigap;

import java.util.List;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;

/**
 * The one-screen summary printed at the end of a run: each dataset run or skipped and why, and
 * where things are.
 */
final class Summary {
  private Summary() {}

  static String render(RunContext ctx, List<RunRecord> records, double seconds) {
    StringBuilder b = new StringBuilder();
    long computed =
        records.stream()
            .flatMap(r -> r.tables().stream())
            .filter(t -> t.action().equals("computed"))
            .count();
    long all = records.stream().mapToLong(r -> r.tables().size()).sum();
    b.append(
        String.format(
            "%nRun %s finished in %.1f s: %d datasets computed, %d skipped%n",
            ctx.runId(), seconds, computed, all - computed));
    b.append(
        String.format(
            "%-28s %-8s %9s %9s %7s %11s %8s %8s  %s%n",
            "dataset",
            "action",
            "read",
            "accepted",
            "warned",
            "quarantined",
            "version",
            "seconds",
            "why"));
    for (RunRecord r : records) {
      b.append(String.format("[%s: %s]%n", r.job(), r.outcome()));
      for (RunRecord.TableCounts t : r.tables()) {
        boolean skipped = t.action().equals("skipped");
        b.append(
            String.format(
                "%-28s %-8s %9s %9s %7s %11s %8s %8.1f  %s%n",
                t.dataset(),
                t.action(),
                skipped ? "-" : t.rowsRead(),
                skipped ? "-" : t.rowsAccepted(),
                skipped ? "-" : t.rowsWarned(),
                skipped ? "-" : t.rowsQuarantined(),
                t.deltaVersion() == null ? "-" : t.deltaVersion().toString(),
                t.seconds(),
                t.reason()));
      }
    }
    b.append(String.format("%nDelta tables:    %s/{bronze,silver}%n", ctx.paths().warehouse()));
    b.append(String.format("Quarantine:      %s%n", Quarantine.path(ctx)));
    b.append(String.format("Run log:         %s%n", RunLog.path(ctx)));
    b.append(String.format("Parquet outputs: %s%n", ctx.paths().outputs()));
    return b.toString();
  }
}
