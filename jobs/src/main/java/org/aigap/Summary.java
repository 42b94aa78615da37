package org.aigap;

import java.util.List;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;

/** The one-screen summary printed at the end of a run: counts per table and where things are. */
final class Summary {
  private Summary() {}

  static String render(RunContext ctx, List<RunRecord> records, double seconds) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%nRun %s finished in %.1f s%n", ctx.runId(), seconds));
    b.append(String.format("%-28s %9s %9s %7s %11s %8s %8s%n", "table", "read", "accepted", "warned", "quarantined", "version", "seconds"));
    for (RunRecord r : records) {
      b.append(String.format("[%s: %s]%n", r.job(), r.outcome()));
      for (RunRecord.TableCounts t : r.tables()) {
        b.append(
            String.format(
                "%-28s %9d %9d %7d %11d %8s %8.1f%s%n",
                t.tableName(), t.rowsRead(), t.rowsAccepted(), t.rowsWarned(), t.rowsQuarantined(),
                t.deltaVersion() == null ? "-" : t.deltaVersion().toString(), t.seconds(),
                t.changed() ? "" : " (unchanged)"));
      }
    }
    b.append(String.format("%nDelta tables:    %s/{bronze,silver}%n", ctx.paths().warehouse()));
    b.append(String.format("Quarantine:      %s%n", Quarantine.path(ctx)));
    b.append(String.format("Run log:         %s%n", RunLog.path(ctx)));
    b.append(String.format("Parquet outputs: %s%n", ctx.paths().outputs()));
    return b.toString();
  }
}
