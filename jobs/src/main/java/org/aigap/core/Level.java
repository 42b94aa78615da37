package org.aigap.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** What a failed check does to its row, in the manner of Delta Live Tables expectations. */
public enum Level {
  /** Keep the row and count it. */
  WARN,
  /** Move the row to the quarantine table with its reason. */
  QUARANTINE,
  /** Stop the job before anything is written. */
  FAIL;

  @JsonCreator
  public static Level parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
