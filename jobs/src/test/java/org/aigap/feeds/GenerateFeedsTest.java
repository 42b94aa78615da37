package org.aigap.feeds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aigap.TestLakehouse;
import org.aigap.core.PipelineException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated feeds add up to the documents' figures, are reproducible, and are skewed like real
 * ones.
 */
class GenerateFeedsTest {
  /** The shipped sample's arguments, as written in the feeds' schemas and the README. */
  private static final long DOWNLOADS = 20_000;

  private static final long DEALS = 2_000;

  @TempDir static Path out;
  private static List<String[]> downloads;
  private static List<String[]> deals;

  @BeforeAll
  static void generate() throws Exception {
    GenerateFeeds.generate(
        new GenerateFeeds.Options(
            DOWNLOADS, DEALS, GenerateFeeds.DEFAULT_SEED, out, TestLakehouse.SHIPPED_RAW));
    downloads = rows(out.resolve(GenerateFeeds.DOWNLOADS_FILE));
    deals = rows(out.resolve(GenerateFeeds.DEALS_FILE));
  }

  /** Data rows split on commas (the generated feeds quote nothing). */
  private static List<String[]> rows(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<String[]> out = new ArrayList<>();
    lines.subList(1, lines.size()).forEach(l -> out.add(l.split(",", -1)));
    return out;
  }

  private static BigDecimal dealSum(
      List<String[]> deals, String country, String from, String to, boolean sovereignOnly) {
    BigDecimal sum = BigDecimal.ZERO;
    for (String[] d : deals) {
      boolean inPeriod = d[1].compareTo(from) >= 0 && d[1].compareTo(to) <= 0;
      boolean sovereign = d[6].contains("|sovereign_wealth_fund");
      if (inPeriod && (country == null || d[3].equals(country)) && (!sovereignOnly || sovereign)) {
        sum = sum.add(new BigDecimal(d[4]));
      }
    }
    return sum;
  }

  @Test
  void sovereignFundsTookPartIn464YiUsdOfDealsInJanToAug2025Of433YiToUsStartups() {
    assertEquals(
        0,
        new BigDecimal("46400000000")
            .compareTo(dealSum(deals, null, "2025-01-01", "2025-08-31", true)));
    assertEquals(
        0,
        new BigDecimal("43300000000")
            .compareTo(dealSum(deals, "US", "2025-01-01", "2025-08-31", true)));
    assertTrue(
        deals.stream()
            .filter(d -> d[6].contains("|sovereign_wealth_fund"))
            .allMatch(d -> d[5].equals("USD")));
  }

  @Test
  void chinasDomesticAiFundingToNov15Is480YiYuan() {
    assertEquals(
        0,
        new BigDecimal("48000000000")
            .compareTo(dealSum(deals, "CN", "2025-01-01", "2025-11-15", false)));
    assertTrue(deals.stream().filter(d -> d[3].equals("CN")).allMatch(d -> d[5].equals("CNY")));
  }

  @Test
  void downloadSharesAndCumulativeCountsAreTheDocuments() {
    Map<String, Long> month = new HashMap<>();
    Map<String, Long> cumulative = new HashMap<>();
    for (String[] r : downloads) {
      long n = Long.parseLong(r[4]);
      month.merge(r[0].substring(0, 7) + " " + r[3], n, Long::sum);
      month.merge(r[0].substring(0, 7), n, Long::sum);
      if (r[0].compareTo("2025-10-31") <= 0) {
        cumulative.merge(r[3], n, Long::sum);
      }
    }
    assertEquals(0.25, month.get("2023-11 CN") / (double) month.get("2023-11"), 0.0);
    assertEquals(
        0.61,
        month.get("2023-11 US") / (double) month.get("2023-11"),
        0.0,
        "over 60%: one written unit more");
    assertEquals(0.65, month.get("2025-09 CN") / (double) month.get("2025-09"), 0.0);
    assertEquals(0.30, month.get("2025-09 US") / (double) month.get("2025-09"), 0.0);
    assertEquals(550_000_000L, cumulative.get("CN"), "5.5亿 to October 2025");
    assertEquals(475_000_000L, cumulative.get("US"), "4.75亿 to October 2025");
  }

  @Test
  void aFewModelsAndDealsTakeMostOfTheTotal() {
    Map<String, Long> byModel = new HashMap<>();
    downloads.forEach(r -> byModel.merge(r[1], Long.parseLong(r[4]), Long::sum));
    long[] models = byModel.values().stream().mapToLong(Long::longValue).sorted().toArray();
    long all = Arrays.stream(models).sum();
    assertTrue(
        models[models.length - 1] > 2 * all / models.length,
        "the top model has over twice the mean");
    long tail = Arrays.stream(models, 0, models.length / 4).sum();
    assertTrue(tail < all / 20, "the least popular quarter of models has under 5% of downloads");
    double[] usd =
        deals.stream()
            .filter(d -> d[5].equals("USD"))
            .mapToDouble(d -> Double.parseDouble(d[4]))
            .sorted()
            .toArray();
    assertTrue(
        usd[usd.length - 1] > 100 * usd[usd.length / 2],
        "the largest deal is over 100x the median");
  }

  @Test
  void theShippedFeedsAreTheGeneratorsOutputForTheirDocumentedArguments() throws IOException {
    for (String file : List.of(GenerateFeeds.DOWNLOADS_FILE, GenerateFeeds.DEALS_FILE)) {
      assertArrayEquals(
          Files.readAllBytes(TestLakehouse.SHIPPED_RAW.resolve(file)),
          Files.readAllBytes(out.resolve(file)),
          file);
    }
  }

  @Test
  void anotherSeedGivesOtherRowsWithTheSameTotals(@TempDir Path other) throws Exception {
    GenerateFeeds.generate(
        new GenerateFeeds.Options(DOWNLOADS, DEALS, 7, other, TestLakehouse.SHIPPED_RAW));
    List<String[]> otherDeals = rows(other.resolve(GenerateFeeds.DEALS_FILE));
    assertFalse(Arrays.equals(deals.get(0), otherDeals.get(0)));
    assertEquals(
        0,
        new BigDecimal("43300000000")
            .compareTo(dealSum(otherDeals, "US", "2025-01-01", "2025-08-31", true)));
  }

  @Test
  void tooFewRowsToCarryTheFiguresIsRefusedWithTheMinimum(@TempDir Path other) {
    PipelineException e =
        assertThrows(
            PipelineException.class,
            () ->
                GenerateFeeds.generate(
                    new GenerateFeeds.Options(100, DEALS, 1, other, TestLakehouse.SHIPPED_RAW)));
    assertTrue(e.getMessage().startsWith("--downloads must be at least 2101"), e.getMessage());
    assertEquals(
        10_000_000,
        GenerateFeeds.parse("--downloads", "10_000_000", "--deals", "1000000").downloads());
    var notANumber =
        assertThrows(
            picocli.CommandLine.ParameterException.class,
            () -> GenerateFeeds.parse("--downloads", "ten", "--deals", "1"));
    assertTrue(
        notANumber.getMessage().contains("expected a whole number, found 'ten'"),
        notANumber.getMessage());
  }
}
