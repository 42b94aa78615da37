package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ConventionsTest {
  @Test
  void anAliasIsMatchedWhateverItsWidthCaseOrSurroundingSpace() {
    assertEquals("zhipu", Conventions.aliasKey(" ＺＨＩＰＵ "));
    assertEquals(Conventions.aliasKey("Zhipu"), Conventions.aliasKey("ZHIPU"));
    assertEquals("月之暗面", Conventions.aliasKey("月之暗面"));
  }

  @Test
  void aLevelCountsToItsAsOfDateAndAFlowOrShareToItsPeriodEnd() {
    // "今年(截至11月15日)累计融资": a stock with a period counts to its as-of date
    assertEquals(
        LocalDate.of(2025, 11, 15),
        Conventions.countedUntil("stock", LocalDate.of(2025, 10, 31), LocalDate.of(2025, 11, 15)));
    // "今年1月至8月": a flow counts its period
    assertEquals(
        LocalDate.of(2025, 8, 31),
        Conventions.countedUntil("flow", LocalDate.of(2025, 8, 31), LocalDate.of(2025, 9, 30)));
    assertEquals(
        LocalDate.of(2023, 11, 30),
        Conventions.countedUntil("ratio", LocalDate.of(2023, 11, 30), LocalDate.of(2023, 11, 30)));
    // cumulative downloads "to Oct 2025": no period, everything up to the as-of date
    assertEquals(
        LocalDate.of(2025, 10, 31),
        Conventions.countedUntil("stock", null, LocalDate.of(2025, 10, 31)));
  }
}
