package org.aigap.feeds;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.aigap.core.PipelineException;

/**
 * AI funding rounds, one row per deal, from {@link #FIRST_DAY} to the targets' end. Deal sizes are
 * Pareto-distributed (a few very large rounds). The deals a reported figure covers (sovereign
 * wealth funds taking part, in a period, by target country; domestic Chinese funding to date) are
 * sized so that they add up to the figure to the cent; every other deal is sized freely.
 */
final class FundingFeed {
  static final String HEADER =
      "deal_id,announced_date,target,target_country,amount,currency,investors";

  /** Synthetic: the first day of the feed. */
  static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);

  /** Synthetic: target countries and how often each appears (cumulative probabilities). */
  private static final String[] COUNTRIES = {
    "US", "CN", "HK", "GB", "FR", "DE", "AE", "SG", "IL", "JP"
  };

  private static final double[] CUMULATIVE = {
    0.40, 0.70, 0.75, 0.80, 0.84, 0.88, 0.91, 0.94, 0.97, 1.0
  };

  /** Synthetic: share of deals (outside China) a sovereign wealth fund takes part in. */
  private static final double SOVEREIGN_RATE = 0.03;

  /** Synthetic: median size of a deal no figure constrains, per currency (whole units). */
  private static final long FREE_DEAL_USD = 3_000_000;

  private static final long FREE_DEAL_CNY = 20_000_000;
  private static final long FREE_DEAL_HKD = 25_000_000;
  private static final double PARETO_ALPHA = 1.16;
  private static final double PARETO_MEDIAN = StrictMath.pow(2, 1 / PARETO_ALPHA);

  /** Largest Pareto weight: keeps a free deal within the schema's maximum amount (10^12). */
  private static final double MAX_WEIGHT = 10_000;

  /** A set of deals whose amounts must add up to a reported total. */
  private record Bucket(
      FeedTargets.Target target, List<String> countries, boolean exclude, boolean sovereignOnly) {
    boolean holds(String country, LocalDate day, boolean sovereign) {
      return (!sovereignOnly || sovereign)
          && countries.contains(country) != exclude
          && !day.isBefore(target.start())
          && !day.isAfter(target.end());
    }
  }

  private final long seed;
  private final long deals;
  private final int days;
  private final List<Bucket> buckets = new ArrayList<>();
  private final String domesticCountry;

  FundingFeed(FeedTargets targets, long deals, long seed) {
    this.seed = seed;
    this.deals = deals;
    this.days = (int) ChronoUnit.DAYS.between(FIRST_DAY, targets.end()) + 1;
    FeedTargets.Target domestic = targets.domesticFunding();
    this.domesticCountry = domestic.country();
    buckets.add(new Bucket(domestic, List.of(domestic.country()), false, false));
    List<String> named = new ArrayList<>();
    FeedTargets.Target global = null;
    java.math.BigDecimal namedSum = java.math.BigDecimal.ZERO;
    for (FeedTargets.Target t : targets.sovereignDeals()) {
      if (t.country().equals(FeedTargets.GLOBAL)) {
        global = t;
      } else {
        buckets.add(new Bucket(t, List.of(t.country()), false, true));
        named.add(t.country());
        namedSum = namedSum.add(t.value());
      }
    }
    // The global figure less the named countries' figures goes to the other countries' deals.
    FeedTargets.Target rest =
        new FeedTargets.Target(
            global.factId(),
            FeedTargets.GLOBAL,
            global.start(),
            global.end(),
            global.currency(),
            global.value().subtract(namedSum));
    if (rest.value().signum() < 0) {
      throw new PipelineException(
          "fact "
              + global.factId()
              + ": the countries' sovereign figures add up to more than the global one");
    }
    buckets.add(new Bucket(rest, named, true, true));
  }

  /**
   * A deal's country, day, sovereign participation, currency and size weight, drawn from its row.
   */
  private record Deal(String country, int day, boolean sovereign, String currency, double weight) {}

  private Deal deal(long i) {
    double u = Random64.unit(seed, i, 2);
    int c = 0;
    while (u >= CUMULATIVE[c]) {
      c++;
    }
    String country = COUNTRIES[c];
    String currency = country.equals("CN") ? "CNY" : country.equals("HK") ? "HKD" : "USD";
    // Sovereign money into China is not part of any reported figure here; deals in USD only.
    boolean sovereign =
        !country.equals(domesticCountry)
            && currency.equals("USD")
            && Random64.unit(seed, i, 3) < SOVEREIGN_RATE;
    int day = (int) (Random64.unit(seed, i, 1) * days);
    double weight =
        Math.min(MAX_WEIGHT, StrictMath.pow(1 - Random64.unit(seed, i, 4), -1 / PARETO_ALPHA));
    return new Deal(country, day, sovereign, currency, weight);
  }

  private int bucketOf(Deal d) {
    LocalDate day = FIRST_DAY.plusDays(d.day());
    for (int b = 0; b < buckets.size(); b++) {
      Bucket k = buckets.get(b);
      if (k.holds(d.country(), day, d.sovereign()) && d.currency().equals(k.target().currency())) {
        return b;
      }
    }
    return -1;
  }

  void write(Writer out) throws IOException {
    double[] weightSum = new double[buckets.size()];
    for (long i = 0; i < deals; i++) {
      Deal d = deal(i);
      int b = bucketOf(d);
      if (b >= 0) {
        weightSum[b] += d.weight();
      }
    }
    ExactSplit[] split = new ExactSplit[buckets.size()];
    for (int b = 0; b < buckets.size(); b++) {
      if (weightSum[b] == 0) {
        throw new PipelineException(
            "too few deals to carry fact "
                + buckets.get(b).target().factId()
                + "; use a larger --deals");
      }
      split[b] = new ExactSplit(buckets.get(b).target().cents(), weightSum[b]);
    }
    out.write(HEADER);
    out.write('\n');
    StringBuilder line = new StringBuilder(160);
    for (long i = 0; i < deals; i++) {
      Deal d = deal(i);
      int b = bucketOf(d);
      long cents =
          b >= 0
              ? split[b].next(d.weight())
              : Math.round(freeMedian(d.currency()) * 100 * d.weight() / PARETO_MEDIAN);
      line.setLength(0);
      line.append(String.format("D%09d", i))
          .append(',')
          .append(FIRST_DAY.plusDays(d.day()))
          .append(',')
          .append(d.country())
          .append("-startup-")
          .append(String.format("%06d", Random64.mix(seed, i, 5) >>> 1 & 0xFFFFF))
          .append(',')
          .append(d.country())
          .append(',')
          .append(cents / 100)
          .append('.')
          .append(String.format("%02d", cents % 100))
          .append(',')
          .append(d.currency())
          .append(',');
      investors(i, d, line);
      line.append('\n');
      out.append(line);
    }
    for (int b = 0; b < buckets.size(); b++) {
      ExactSplit.checkClosed(split[b], buckets.get(b).target().factId());
    }
  }

  private static long freeMedian(String currency) {
    return switch (currency) {
      case "CNY" -> FREE_DEAL_CNY;
      case "HKD" -> FREE_DEAL_HKD;
      default -> FREE_DEAL_USD;
    };
  }

  /**
   * One to four investors as name|type, separated by ';'; a sovereign deal lists its fund first.
   */
  private void investors(long i, Deal d, StringBuilder line) {
    int n = 1 + (int) (Random64.unit(seed, i, 6) * 4);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        line.append(';');
      }
      double u = Random64.unit(seed, i, 10 + k);
      long pick = Random64.mix(seed, i, 20 + k) >>> 1;
      if (k == 0 && d.sovereign()) {
        line.append(String.format("Sovereign Fund %02d|sovereign_wealth_fund", pick % 12));
      } else if (d.country().equals(domesticCountry) && u < 0.25) {
        line.append(String.format("State Guidance Fund %03d|government_fund", pick % 200));
      } else if (u < 0.4) {
        line.append(String.format("Corporate Investor %03d|corporate", pick % 300));
      } else {
        line.append(String.format("Venture Fund %04d|vc", pick % 2000));
      }
    }
  }
}
