package org.aigap.core;

/** A failure the user can act on: its message says what could not be done, where, and why. */
public class PipelineException extends RuntimeException {
  public PipelineException(String message) {
    super(message);
  }

  public PipelineException(String message, Throwable cause) {
    super(message, cause);
  }
}
