package org.aigap.core;

/**
 * A command line, selector or query the pipeline cannot act on: nothing was read or written. The
 * command line exits with its own code for it, so scripts can tell it from a failed run.
 */
public final class UsageException extends PipelineException {
  public UsageException(String message) {
    super(message);
  }
}
