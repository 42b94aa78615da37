package org.aigap.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of an RFC 4180 CSV file into fields. A malformed line yields an error that says
 * what is wrong and at which character, instead of a guess; a record split across lines (a quoted
 * field with an embedded newline) shows up as an unterminated quote.
 */
public final class CsvLine {
  /** The fields of a line, or the reason it could not be split. Exactly one is non-null. */
  public record Parsed(List<String> fields, String error) {}

  private CsvLine() {}

  public static Parsed parse(String line, char delimiter) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      if (i < n && line.charAt(i) == '"') {
        int start = i;
        i++;
        while (true) {
          if (i >= n) {
            return new Parsed(
                null,
                "unterminated quoted field starting at character "
                    + (start + 1)
                    + " (a record may not span lines)");
          }
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(c);
          i++;
        }
        if (i < n && line.charAt(i) != delimiter) {
          return new Parsed(null, "unexpected text after a closing quote at character " + (i + 1));
        }
      } else {
        while (i < n && line.charAt(i) != delimiter) {
          char c = line.charAt(i);
          if (c == '"') {
            return new Parsed(null, "a quote inside an unquoted field at character " + (i + 1));
          }
          field.append(c);
          i++;
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= n) {
        return new Parsed(fields, null);
      }
      i++; // skip the delimiter; a trailing delimiter yields a final empty field
      if (i == n) {
        fields.add("");
        return new Parsed(fields, null);
      }
    }
  }
}
