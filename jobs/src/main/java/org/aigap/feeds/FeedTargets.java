package org.aigap.feeds;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aigap.conform.Conventions;
import org.aigap.core.PipelineException;
import org.aigap.ingest.CsvLine;

/**
 * The reported totals a generated feed must add up to, read from the shipped facts (never typed in
 * here): sovereign money into AI deals in a period, overall and by target country; domestic AI
 * funding to date; each country's share of new model downloads in a month; cumulative downloads. A
 * qualifier such as "over 60%" is met by one unit of the last written digit more (61%).
 */
public record FeedTargets(
    List<Target> sovereignDeals,
    Target domesticFunding,
    List<Target> downloadShares,
    List<Target> cumulativeDownloads) {

  /** Metrics of facts.csv the feeds add up to (gold/feed_reconciliation checks them). */
  public static final String SOVEREIGN = "ai_vc_deal_value";

  public static final String DOMESTIC = "ai_funding_total";
  public static final String SHARE = "new_download_share";
  public static final String CUMULATIVE = "cumulative_downloads";

  /** The entities.csv country of figures that cover every country. */
  public static final String GLOBAL = "GLOBAL";

  /**
   * One reported figure as a target: country (or GLOBAL), period (start may be null for a level),
   * and the value to generate: money in cents of the currency, a count, or a share in percent.
   */
  public record Target(
      String factId,
      String country,
      LocalDate start,
      LocalDate end,
      String currency,
      BigDecimal value) {
    long cents() {
      return value.movePointRight(2).longValueExact();
    }

    long count() {
      return value.longValueExact();
    }
  }

  public FeedTargets {
    sovereignDeals = List.copyOf(sovereignDeals);
    downloadShares = List.copyOf(downloadShares);
    cumulativeDownloads = List.copyOf(cumulativeDownloads);
  }

  /** The last date any target refers to: where a generated feed ends. */
  public LocalDate end() {
    LocalDate end = domesticFunding.end();
    for (List<Target> ts : List.of(sovereignDeals, downloadShares, cumulativeDownloads)) {
      for (Target t : ts) {
        end = t.end().isAfter(end) ? t.end() : end;
      }
    }
    return end;
  }

  public static FeedTargets read(Path facts, Path entities) {
    Map<String, String> countryByName = countries(entities);
    List<Target> sovereign = new ArrayList<>();
    List<Target> domestic = new ArrayList<>();
    List<Target> shares = new ArrayList<>();
    List<Target> cumulative = new ArrayList<>();
    for (Map<String, String> f : rows(facts)) {
      String metric = f.get("metric");
      if (!List.of(SOVEREIGN, DOMESTIC, SHARE, CUMULATIVE).contains(metric)) {
        continue;
      }
      String country = countryByName.get(Conventions.aliasKey(f.get("entity_name")));
      if (country == null) {
        throw new PipelineException(
            facts
                + ": fact "
                + f.get("fact_id")
                + ": entity '"
                + f.get("entity_name")
                + "' is not in "
                + entities);
      }
      LocalDate start = date(f.get("period_start"));
      LocalDate end =
          Conventions.countedUntil(
              f.get("kind"), date(f.get("period_end")), date(f.get("as_of_date")));
      if (start == null && !metric.equals(CUMULATIVE)) {
        throw new PipelineException(
            facts
                + ": fact "
                + f.get("fact_id")
                + " ("
                + metric
                + ") needs a period_start for a feed to add up to it");
      }
      BigDecimal value = value(f);
      Target t =
          new Target(
              f.get("fact_id"),
              country,
              start,
              end,
              f.get("currency").isEmpty() ? null : f.get("currency"),
              value);
      switch (metric) {
        case SOVEREIGN -> sovereign.add(t);
        case DOMESTIC -> domestic.add(t);
        case SHARE -> shares.add(t);
        default -> cumulative.add(t);
      }
    }
    for (List<Target> ts : List.of(sovereign, shares, cumulative)) {
      long distinct =
          ts.stream().map(t -> t.country() + " " + t.start() + " " + t.end()).distinct().count();
      if (distinct != ts.size()) {
        throw new PipelineException(
            facts
                + ": two facts give the same figure (metric, country, period); a feed can add up to"
                + " only one: "
                + ts.stream().map(Target::factId).toList());
      }
    }
    if (domestic.size() != 1
        || sovereign.stream().noneMatch(t -> t.country().equals(GLOBAL))
        || shares.isEmpty()
        || cumulative.isEmpty()) {
      throw new PipelineException(
          facts
              + ": expected one "
              + DOMESTIC
              + " fact, a GLOBAL "
              + SOVEREIGN
              + " fact, and "
              + SHARE
              + " and "
              + CUMULATIVE
              + " facts; found "
              + domestic.size()
              + ", "
              + sovereign.size()
              + ", "
              + shares.size()
              + ", "
              + cumulative.size());
    }
    return new FeedTargets(sovereign, domestic.get(0), shares, cumulative);
  }

  /**
   * The written value, scaled; past a one-sided qualifier by one unit of its last written digit.
   */
  private static BigDecimal value(Map<String, String> f) {
    BigDecimal low = new BigDecimal(f.get("value_low"));
    BigDecimal high = new BigDecimal(f.get("value_high"));
    BigDecimal v = low.add(high).divide(BigDecimal.valueOf(2));
    v =
        switch (f.get("qualifier")) {
          case "over", "at_least" -> high.add(high.ulp());
          case "under", "up_to" -> low.subtract(low.ulp());
          default -> v;
        };
    return f.get("unit").equals("percent")
        ? v
        : v.multiply(new BigDecimal(f.get("scale"))).stripTrailingZeros();
  }

  private static Map<String, String> countries(Path entities) {
    Map<String, String> out = new HashMap<>();
    for (Map<String, String> e : rows(entities)) {
      List<String> names =
          new ArrayList<>(List.of(e.get("entity_id"), e.get("name_en"), e.get("name_zh")));
      names.addAll(List.of(e.get("aliases").split("\\|")));
      names.forEach(n -> out.put(Conventions.aliasKey(n), e.get("country")));
    }
    return out;
  }

  private static LocalDate date(String text) {
    return text.isEmpty() ? null : LocalDate.parse(text);
  }

  /** The file's rows as column -> text, by its header. */
  private static List<Map<String, String>> rows(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PipelineException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> header = CsvLine.parse(lines.get(0).replace("\uFEFF", ""), ',').fields();
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      CsvLine.Parsed p = CsvLine.parse(lines.get(i), ',');
      if (p.fields() == null || p.fields().size() != header.size()) {
        throw new PipelineException(
            file
                + " line "
                + (i + 1)
                + ": cannot read the row ("
                + p.error()
                + "); run ingest for a full report");
      }
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < header.size(); c++) {
        row.put(header.get(c), p.fields().get(c));
      }
      out.add(row);
    }
    return out;
  }
}
