package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineTest {
  @Test
  void splitsPlainFieldsAndKeepsEmptyOnes() {
    CsvLine.Parsed p = CsvLine.parse("a,,c,", ',');
    assertEquals(List.of("a", "", "c", ""), p.fields());
    assertNull(p.error());
  }

  @Test
  void quotedFieldsMayHoldDelimitersAndEscapedQuotes() {
    CsvLine.Parsed p = CsvLine.parse("x,\"相比之下,无论是\"\"Kimi\"\"\",y", ',');
    assertEquals(List.of("x", "相比之下,无论是\"Kimi\"", "y"), p.fields());
  }

  @Test
  void anUnterminatedQuoteSaysWhereItStarts() {
    CsvLine.Parsed p = CsvLine.parse("a,\"open field", ',');
    assertNull(p.fields());
    assertTrue(p.error().contains("unterminated quoted field starting at character 3"), p.error());
  }

  @Test
  void textAfterAClosingQuoteIsAnError() {
    assertTrue(
        CsvLine.parse("\"a\"b,c", ',').error().contains("after a closing quote at character 4"));
  }

  @Test
  void aQuoteInsideAnUnquotedFieldIsAnError() {
    assertTrue(
        CsvLine.parse("ab\"c,d", ',')
            .error()
            .contains("quote inside an unquoted field at character 3"));
  }

  @Test
  void splitsOnTheDeclaredDelimiterOnly() {
    assertEquals(List.of("a,b", "c"), CsvLine.parse("a,b;c", ';').fields());
  }
}
