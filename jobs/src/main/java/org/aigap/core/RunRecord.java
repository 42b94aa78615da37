package org.aigap.core;

import java.util.List;

/**
 * What one job run did, as written to the run-log Delta table (schemas/audit/run_log.json).
 * Timestamps are ISO-8601 UTC strings.
 */
public record RunRecord(
    String runId,
    String job,
    String startedAt,
    String endedAt,
    String outcome,
    String error,
    List<Input> inputs,
    List<TableCounts> tables,
    List<CheckCount> checks) {

  public RunRecord {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    tables = tables == null ? List.of() : List.copyOf(tables);
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /** A file read (with checksum) or a Delta table read (with the version read). */
  public record Input(String path, String sha256, Long bytes, Long deltaVersion) {}

  /**
   * Rows of one table written by the job (read = accepted + quarantined), and the seconds the job
   * spent on it: for ingest, checking and writing its file; for conform and metrics, everything
   * since the previous table was written.
   */
  public record TableCounts(
      String tableName,
      String source,
      long rowsRead,
      long rowsAccepted,
      long rowsWarned,
      long rowsQuarantined,
      long duplicateRows,
      long conflictingRows,
      Long deltaVersion,
      boolean changed,
      double seconds) {}

  /** How many rows failed one check. */
  public record CheckCount(String tableName, String check, String level, long rows) {}
}
