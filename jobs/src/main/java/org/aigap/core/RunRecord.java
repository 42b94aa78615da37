package org.aigap.core;

import java.util.List;

/**
 * What one layer of a run (its job: ingest, conform or metrics) did, as written to the run-log
 * Delta table (schemas/audit/run_log.json). Timestamps are ISO-8601 UTC strings.
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
   * One dataset of the run: computed (its rows: read = accepted + quarantined, the Delta version
   * after the write) or skipped (its fingerprint unchanged: the version it stays at), why, the
   * fingerprint of what it was computed from, and the seconds spent on it.
   */
  public record TableCounts(
      String dataset,
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
      double seconds,
      String action,
      String reason,
      String fingerprint) {

    public TableCounts withSeconds(double spent) {
      return new TableCounts(
          dataset,
          tableName,
          source,
          rowsRead,
          rowsAccepted,
          rowsWarned,
          rowsQuarantined,
          duplicateRows,
          conflictingRows,
          deltaVersion,
          changed,
          spent,
          action,
          reason,
          fingerprint);
    }

    public TableCounts withDecision(String why, String computedFrom) {
      return new TableCounts(
          dataset,
          tableName,
          source,
          rowsRead,
          rowsAccepted,
          rowsWarned,
          rowsQuarantined,
          duplicateRows,
          conflictingRows,
          deltaVersion,
          changed,
          seconds,
          action,
          why,
          computedFrom);
    }
  }

  /** How many rows failed one check. */
  public record CheckCount(String tableName, String check, String level, long rows) {}
}
