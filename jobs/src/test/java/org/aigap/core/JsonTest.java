package org.aigap.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  /**
   * Fingerprints hash this text: Map.of iterates in an order that changes from one JVM to the next.
   */
  @Test
  void canonicalJsonOrdersMapEntriesByKeyAndIsCompact() {
    assertEquals(
        "{\"a\":2,\"b\":{\"c\":1,\"d\":0}}",
        Json.canonical(Map.of("b", Map.of("d", 0, "c", 1), "a", 2)));
  }
}
