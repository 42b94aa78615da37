package org.aigap.core;

import java.util.Collection;
import java.util.List;

/**
 * Every user-facing error message of the pipeline, in one place so that their wording stays
 * consistent: what could not be done, where (file, line, column, table) and what was found.
 */
public final class Errors {
  private Errors() {}

  public static PipelineException headerMismatch(
      String file, List<String> expected, List<String> found) {
    List<String> missing = expected.stream().filter(c -> !found.contains(c)).toList();
    List<String> extra = found.stream().filter(c -> !expected.contains(c)).toList();
    List<String> repeated =
        found.stream().filter(c -> found.indexOf(c) != found.lastIndexOf(c)).distinct().toList();
    String detail;
    if (!repeated.isEmpty()) {
      detail = "columns given more than once " + repeated;
    } else if (!missing.isEmpty() || !extra.isEmpty()) {
      detail = "missing columns " + missing + ", unexpected columns " + extra;
    } else {
      detail = "columns are out of order: expected " + expected + ", found " + found;
    }
    return new PipelineException(
        String.format(
            "Cannot ingest %s line 1: header does not match its schema: %s", file, detail));
  }

  public static PipelineException emptyFile(String file) {
    return new PipelineException(
        String.format("Cannot ingest %s: the file is empty (expected a header line)", file));
  }

  public static PipelineException missingFile(String file) {
    return new PipelineException(String.format("Cannot ingest %s: no such file", file));
  }

  public static PipelineException changedWhileIngesting(
      String file, long bytesBefore, long bytesNow) {
    return new PipelineException(
        String.format(
            "Cannot ingest %s: the file changed while it was being ingested (%d bytes when opened,"
                + " %d now); nothing was written to its table; re-run ingest when the file is"
                + " complete",
            file, bytesBefore, bytesNow));
  }

  public static PipelineException failedExpectation(
      String file, long line, String column, String reason) {
    return new PipelineException(
        String.format("Cannot ingest %s line %d: column %s: %s", file, line, column, reason));
  }

  public static PipelineException rowsLost(
      String source, long read, long accepted, long quarantined) {
    return new PipelineException(
        String.format(
            "Rows lost from %s: read %d, but accepted %d + quarantined %d = %d",
            source, read, accepted, quarantined, accepted + quarantined));
  }

  public static PipelineException unknownSchema(String name, Collection<String> known) {
    return new PipelineException(
        String.format("No schema named '%s'; known schemas are %s", name, known));
  }

  public static PipelineException badSchema(String source, String reason) {
    return new PipelineException(String.format("Invalid schema %s: %s", source, reason));
  }

  public static PipelineException missingColumns(String what, Collection<String> missing) {
    return new PipelineException(
        String.format("%s does not match its declared schema: missing columns %s", what, missing));
  }

  /** What to do about an input that is not there to read: build it first, in this run or before. */
  private static final String BUILD_INPUT_FIRST = " first, or select it too (--select +NAME)";

  public static PipelineException missingInput(String dataset, String path) {
    return new PipelineException(
        String.format(
            "Input %s not found at %s: run the step that writes it" + BUILD_INPUT_FIRST,
            dataset,
            path));
  }

  public static PipelineException incompleteInput(String dataset, String runId) {
    return new PipelineException(
        String.format(
            "Input %s was left incomplete by run %s, which failed after writing it: recompute it"
                + BUILD_INPUT_FIRST,
            dataset,
            runId));
  }

  public static PipelineException invalidDataset(String dataset, String reason) {
    return new PipelineException(String.format("Invalid dataset %s: %s", dataset, reason));
  }

  public static PipelineException unknownInput(
      String dataset, String input, Collection<String> known) {
    return invalidDataset(
        dataset,
        "its input " + input + " is not a dataset of the graph; known datasets are " + known);
  }

  public static PipelineException undeclaredInput(
      String dataset, String input, Collection<String> declared) {
    return invalidDataset(
        dataset,
        "its transform reads " + input + ", which is not among its declared inputs " + declared);
  }

  public static PipelineException cycle(List<String> path) {
    return new PipelineException("Invalid dataflow graph: a cycle " + String.join(" -> ", path));
  }

  public static PipelineException schemaMismatch(String dataset, String schemaFile, String detail) {
    return invalidDataset(
        dataset, "its result does not match its declared schema " + schemaFile + ": " + detail);
  }

  public static PipelineException sqlDoesNotAnalyse(String dataset, Exception cause) {
    return new PipelineException(
        String.format(
            "Invalid dataset %s: its SQL does not analyse: %s", dataset, firstLine(cause)),
        cause);
  }

  /** A fail-level rule of a silver dataset failed on a row: nothing of the dataset is written. */
  public static PipelineException failedRule(
      String dataset, String row, String column, String reason, String rule) {
    return new PipelineException(
        String.format(
            "Cannot build %s: row %s, column %s: %s (rule %s)",
            dataset, row, column, reason, rule));
  }

  public static UsageException unknownSelector(String selector, Collection<String> known) {
    return usage("No dataset matches '" + selector + "'; datasets are " + known);
  }

  public static UsageException ambiguousSelector(String selector, Collection<String> matches) {
    return usage(
        "'"
            + selector
            + "' names more than one dataset "
            + matches
            + "; give the layer too, e.g. "
            + matches.iterator().next());
  }

  /**
   * Delta's optimistic concurrency refused a commit because another run wrote the same table first.
   * Nothing was committed by the refused transaction, so re-running is safe.
   */
  public static RuntimeException concurrentRun(String job, RuntimeException e) {
    if (!(e instanceof io.delta.exceptions.DeltaConcurrentModificationException)) {
      return e;
    }
    String first = firstLine(e);
    return new PipelineException(
        String.format(
            "Another run wrote to the same Delta table at the same time, so %s stopped without"
                + " committing (%s: %s); re-run %s",
            job, e.getClass().getSimpleName(), first, job),
        e);
  }

  /**
   * Why a run stopped: a Delta conflict said plainly, any other failure of Spark with its first
   * line.
   */
  public static RuntimeException runFailed(String job, Exception e) {
    if (e instanceof RuntimeException re) {
      return concurrentRun(job, re);
    }
    return new PipelineException(
        String.format(
            "The %s step failed: %s: %s", job, e.getClass().getSimpleName(), firstLine(e)),
        e);
  }

  /**
   * A table's latest commit is not the one this run just made: another writer committed in between.
   */
  public static PipelineException commitOvertaken(String path) {
    return new PipelineException(
        String.format(
            "Another run wrote to the same Delta table at the same time: %s was committed to right"
                + " after this run's commit, so this run stopped; re-run",
            path));
  }

  public static PipelineException cannotRead(String what, String where, Exception cause) {
    return ioFailed("read " + what, where, cause);
  }

  public static PipelineException cannotStage(String what, String where, Exception cause) {
    return new PipelineException(
        String.format("Cannot %s the staged table %s: %s", what, where, firstLine(cause)), cause);
  }

  /** An I/O failure: what could not be done, where, and the file system's reason. */
  public static PipelineException ioFailed(String action, String where, Exception cause) {
    return new PipelineException(
        String.format("Cannot %s %s: %s", action, where, firstLine(cause)), cause);
  }

  public static PipelineException outputUnverified(
      String output, long rows, int files, long expected) {
    return new PipelineException(
        String.format(
            "Output %s failed verification: Parquet footers hold %d rows in %d files, expected %d"
                + " rows",
            output, rows, files, expected));
  }

  public static PipelineException noOutput(String target, String manifest) {
    return new PipelineException("No output at " + target + " (no " + manifest + ")");
  }

  /**
   * Another metrics run holds the outputs' lock ({@code holder} its run id, or null if unknown).
   */
  public static PipelineException outputsLocked(String outputs, String lock, String holder) {
    return new PipelineException(
        "Another metrics run is writing the outputs in "
            + outputs
            + " (lock "
            + lock
            + (holder != null ? " held by run " + holder : ", being written by a run taking it")
            + "); wait for it and re-run metrics, or delete the lock file if no run is active");
  }

  public static PipelineException lockContended(String lock) {
    return new PipelineException(
        "Cannot take the metrics lock "
            + lock
            + ": another run took it over at the same time; re-run metrics");
  }

  public static PipelineException pathOutside(String name, String folder) {
    return new PipelineException(
        String.format("Refusing path '%s': it must be a relative name inside %s", name, folder));
  }

  public static PipelineException badSetting(String key, String value, String expected) {
    return new PipelineException(
        String.format("Setting %s is '%s'; expected %s", key, value, expected));
  }

  public static PipelineException cannotCreateTable(String path, Exception cause) {
    String first = firstLine(cause);
    return new PipelineException(
        String.format(
            "Cannot create the Delta table at %s: %s (if another run was creating it at the same"
                + " time, re-run)",
            path, first),
        cause);
  }

  public static UsageException usage(String reason) {
    return new UsageException(reason + " (see --help)");
  }

  /** The first line of an exception's message: Spark's analysis errors run to many lines. */
  public static String firstLine(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getMessage().strip().lines().findFirst().orElse("");
  }
}
