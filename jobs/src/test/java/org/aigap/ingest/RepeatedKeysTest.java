package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedKeysTest {
  private static List<Long> repeated(Long... values) {
    List<Long> out = new ArrayList<>();
    Iterator<Long> it = RepeatedKeys.repeatedIn(List.of(values).iterator());
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void reportsEachValueThatOccursMoreThanOnceOnceInOrder() {
    assertEquals(List.of(-7L, 1L, 5L), repeated(5L, 1L, 5L, 3L, 1L, 5L, 9L, -7L, -7L));
  }

  @Test
  void uniqueValuesAndNoValuesReportNothing() {
    assertEquals(List.of(), repeated(3L, 2L, 1L, Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(List.of(), repeated());
  }

  @Test
  void growsPastItsFirstArray() {
    List<Long> values = new ArrayList<>();
    for (long i = 0; i < 5000; i++) {
      values.add(i);
    }
    values.add(4321L);
    assertEquals(List.of(4321L), repeated(values.toArray(Long[]::new)));
  }
}
