package org.aigap.feeds;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aigap.core.PipelineException;

/**
 * Daily open-model downloads, one row per model and day from {@link #FIRST_DAY} to the targets'
 * end. Models belong to organisations in a few countries; popularity is Pareto-distributed (a few
 * models take most downloads, a long tail takes little). Each (origin country, month) gets a whole
 * number of downloads chosen so that the reported shares of new downloads and the reported
 * cumulative counts come out exactly; countries without a reported figure form one "other" class.
 * Months between the reported ones follow a smooth growth curve; the curve itself is synthetic.
 */
final class DownloadsFeed {
  static final String HEADER = "date,model_id,organisation,origin_country,downloads";

  /** Synthetic: the first day of the feed (cumulative counts are counted from here). */
  static final LocalDate FIRST_DAY = LocalDate.of(2023, 1, 1);

  /** Synthetic: origin countries of organisations, in turn (so any feed has each class). */
  private static final String[] ORG_COUNTRIES = {
    "CN", "US", "FR", "CN", "US", "GB", "CN", "US", "DE", "KR", "AE", "IL"
  };

  private static final String OTHER = "other";
  private static final double PARETO_ALPHA = 1.1;

  private final long seed;
  private final long rows;
  private final LocalDate lastDay;
  private final int days;
  private final long models;
  private final int orgs;
  private final List<YearMonth> months = new ArrayList<>();
  private final List<String> classes;

  /** Downloads per class and month index. */
  private final Map<String, long[]> totals = new HashMap<>();

  DownloadsFeed(FeedTargets targets, long rows, long seed) {
    this.seed = seed;
    this.rows = rows;
    this.lastDay = targets.end();
    this.days = (int) ChronoUnit.DAYS.between(FIRST_DAY, lastDay) + 1;
    this.models = (rows + days - 1) / days;
    this.orgs = (int) Math.max(3, models / 6);
    if (models < 3) {
      throw new PipelineException(
          "--downloads must be at least "
              + (2L * days + 1)
              + " (three models over "
              + days
              + " days), found "
              + rows);
    }
    for (YearMonth m = YearMonth.from(FIRST_DAY);
        !m.isAfter(YearMonth.from(lastDay));
        m = m.plusMonths(1)) {
      months.add(m);
    }
    Set<String> named = new LinkedHashSet<>();
    targets.downloadShares().forEach(t -> named.add(t.country()));
    targets.cumulativeDownloads().forEach(t -> named.add(t.country()));
    List<String> c = new ArrayList<>(named);
    c.add(OTHER);
    this.classes = List.copyOf(c);
    planMonthlyTotals(targets);
  }

  private String countryOf(long model) {
    return ORG_COUNTRIES[(int) (model % orgs % ORG_COUNTRIES.length)];
  }

  private String classOf(String country) {
    return classes.contains(country) ? country : OTHER;
  }

  private int monthOf(LocalDate day) {
    return (int) ChronoUnit.MONTHS.between(YearMonth.from(FIRST_DAY), YearMonth.from(day));
  }

  /**
   * The share (a fraction) each class has in a month: the reported shares, straight lines between
   * them.
   */
  private double[][] shares(FeedTargets targets) {
    Map<Integer, Map<String, BigDecimal>> anchors = new java.util.TreeMap<>();
    for (FeedTargets.Target t : targets.downloadShares()) {
      if (!t.start().equals(t.start().withDayOfMonth(1))
          || !t.end().equals(YearMonth.from(t.start()).atEndOfMonth())) {
        throw new PipelineException(
            "fact "
                + t.factId()
                + ": a download share must cover one calendar month, found "
                + t.start()
                + " to "
                + t.end());
      }
      anchors.computeIfAbsent(monthOf(t.start()), k -> new HashMap<>()).put(t.country(), t.value());
    }
    List<Integer> at = new ArrayList<>(anchors.keySet());
    double[][] s = new double[classes.size()][months.size()];
    for (int ci = 0; ci < classes.size(); ci++) {
      String c = classes.get(ci);
      double[] anchor = new double[at.size()];
      for (int a = 0; a < at.size(); a++) {
        Map<String, BigDecimal> m = anchors.get(at.get(a));
        anchor[a] =
            (c.equals(OTHER)
                    ? 100 - m.values().stream().mapToDouble(BigDecimal::doubleValue).sum()
                    : m.getOrDefault(c, BigDecimal.ZERO).doubleValue())
                / 100;
      }
      for (int m = 0; m < months.size(); m++) {
        int next = 0;
        while (next < at.size() && at.get(next) < m) {
          next++;
        }
        if (next == 0) {
          s[ci][m] = anchor[0];
        } else if (next == at.size()) {
          s[ci][m] = anchor[at.size() - 1];
        } else {
          double f = (double) (m - at.get(next - 1)) / (at.get(next) - at.get(next - 1));
          s[ci][m] = anchor[next - 1] + f * (anchor[next] - anchor[next - 1]);
        }
      }
    }
    return s;
  }

  /** Whole downloads per class and month that meet every share and cumulative target exactly. */
  private void planMonthlyTotals(FeedTargets targets) {
    double[][] share = shares(targets);
    Map<Integer, Map<String, BigDecimal>> anchors = new HashMap<>();
    int maxDecimals = 0;
    for (FeedTargets.Target t : targets.downloadShares()) {
      anchors.computeIfAbsent(monthOf(t.start()), k -> new HashMap<>()).put(t.country(), t.value());
      maxDecimals = Math.max(maxDecimals, Math.max(0, t.value().scale()));
    }
    long granularity =
        BigDecimal.ONE.movePointRight(2 + maxDecimals).longValueExact(); // shares come out exact
    double[] dayFraction = new double[months.size()];
    for (int m = 0; m < months.size(); m++) {
      YearMonth ym = months.get(m);
      LocalDate from = ym.atDay(1).isBefore(FIRST_DAY) ? FIRST_DAY : ym.atDay(1);
      LocalDate to = ym.atEndOfMonth().isAfter(lastDay) ? lastDay : ym.atEndOfMonth();
      dayFraction[m] = (ChronoUnit.DAYS.between(from, to) + 1) / (double) ym.lengthOfMonth();
    }
    // Growth: chosen (by bisection) so that the last cumulative target needs no stretch (1.0).
    double lo = 1.0;
    double hi = 1.3;
    boolean rising =
        plan(targets, share, anchors, granularity, dayFraction, hi, false)
            > plan(targets, share, anchors, granularity, dayFraction, lo, false);
    for (int i = 0; i < 60; i++) {
      double g = (lo + hi) / 2;
      if ((plan(targets, share, anchors, granularity, dayFraction, g, false) > 1) == rising) {
        hi = g;
      } else {
        lo = g;
      }
    }
    plan(targets, share, anchors, granularity, dayFraction, (lo + hi) / 2, true);
  }

  /**
   * Lays out the months for growth g (scaled so the first cumulative target holds) and returns how
   * much the last other cumulative target had to be stretched; with {@code commit} it keeps the
   * plan.
   */
  private double plan(
      FeedTargets targets,
      double[][] share,
      Map<Integer, Map<String, BigDecimal>> anchors,
      long granularity,
      double[] dayFraction,
      double g,
      boolean commit) {
    double[] volume = new double[months.size()];
    for (int m = 0; m < months.size(); m++) {
      volume[m] = StrictMath.pow(g, m) * dayFraction[m];
    }
    FeedTargets.Target first = targets.cumulativeDownloads().get(0);
    int firstClass = classes.indexOf(first.country());
    double base = 0;
    for (int m = 0; m <= monthOf(first.end()); m++) {
      base += volume[m] * share[firstClass][m];
    }
    double k = first.count() / base;
    double stretch = 1;
    for (int ci = 0; ci < classes.size(); ci++) {
      String c = classes.get(ci);
      long[] t = new long[months.size()];
      for (int m = 0; m < months.size(); m++) {
        if (anchors.containsKey(m)) {
          long monthTotal = Math.max(1, Math.round(k * volume[m] / granularity)) * granularity;
          BigDecimal pct =
              c.equals(OTHER)
                  ? BigDecimal.valueOf(100)
                      .subtract(
                          anchors.get(m).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                  : anchors.get(m).getOrDefault(c, BigDecimal.ZERO);
          t[m] = pct.multiply(BigDecimal.valueOf(monthTotal)).movePointLeft(2).longValueExact();
        } else {
          t[m] = Math.round(k * volume[m] * share[ci][m]);
        }
      }
      for (FeedTargets.Target cum : targets.cumulativeDownloads()) {
        if (!cum.country().equals(c)) {
          continue;
        }
        if (!cum.end().equals(YearMonth.from(cum.end()).atEndOfMonth())) {
          throw new PipelineException(
              "fact "
                  + cum.factId()
                  + ": cumulative downloads must be dated at a month end, found "
                  + cum.end());
        }
        int last = monthOf(cum.end());
        long fixed = 0;
        double free = 0;
        for (int m = 0; m <= last; m++) {
          if (anchors.containsKey(m)) {
            fixed += t[m];
          } else {
            free += k * volume[m] * share[ci][m];
          }
        }
        long rest = cum.count() - fixed;
        if (rest < 0 || free <= 0) {
          throw new PipelineException(
              "fact "
                  + cum.factId()
                  + ": cannot lay out "
                  + cum.count()
                  + " cumulative downloads: the reported months already hold "
                  + fixed
                  + " and the other months have no room");
        }
        if (cum != first) {
          stretch = rest / free;
        }
        ExactSplit split = new ExactSplit(rest, free);
        for (int m = 0; m <= last; m++) {
          if (!anchors.containsKey(m)) {
            t[m] = split.next(k * volume[m] * share[ci][m]);
          }
        }
      }
      if (commit) {
        totals.put(c, t);
      }
    }
    return stretch;
  }

  /** Writes the feed: a first pass sums the weights of each (class, month), the second splits. */
  void write(Writer out) throws IOException {
    String[] dayText = new String[days];
    int[] dayMonth = new int[days];
    double[] dayFactor = new double[days];
    for (int d = 0; d < days; d++) {
      LocalDate day = FIRST_DAY.plusDays(d);
      dayText[d] = day.toString();
      dayMonth[d] = monthOf(day);
      dayFactor[d] = day.getDayOfWeek().getValue() >= 6 ? 0.8 : 1.0; // fewer downloads at weekends
    }
    double[] popularity = new double[(int) models];
    int[] classOfModel = new int[(int) models];
    for (int m = 0; m < models; m++) {
      popularity[m] = StrictMath.pow(1 - Random64.unit(seed, m, 1), -1 / PARETO_ALPHA);
      classOfModel[m] = classes.indexOf(classOf(countryOf(m)));
    }
    double[][] weightSum = new double[classes.size()][months.size()];
    for (long i = 0; i < rows; i++) {
      int m = (int) (i / days);
      int d = (int) (i % days);
      weightSum[classOfModel[m]][dayMonth[d]] += weight(i, popularity[m], dayFactor[d]);
    }
    ExactSplit[][] split = new ExactSplit[classes.size()][months.size()];
    for (int c = 0; c < classes.size(); c++) {
      for (int m = 0; m < months.size(); m++) {
        long total = totals.get(classes.get(c))[m];
        if (total > 0 && weightSum[c][m] == 0) {
          throw new PipelineException(
              "too few download rows for "
                  + classes.get(c)
                  + " in "
                  + months.get(m)
                  + "; use a larger --downloads");
        }
        split[c][m] = weightSum[c][m] > 0 ? new ExactSplit(total, weightSum[c][m]) : null;
      }
    }
    out.write(HEADER);
    out.write('\n');
    StringBuilder line = new StringBuilder(96);
    String model = null;
    String org = null;
    String country = null;
    for (long i = 0; i < rows; i++) {
      int m = (int) (i / days);
      int d = (int) (i % days);
      if (d == 0 || model == null) {
        model = String.format("m%07d", m);
        org = String.format("org-%05d", m % orgs);
        country = countryOf(m);
      }
      long downloads =
          split[classOfModel[m]][dayMonth[d]].next(weight(i, popularity[m], dayFactor[d]));
      line.setLength(0);
      line.append(dayText[d])
          .append(',')
          .append(model)
          .append(',')
          .append(org)
          .append(',')
          .append(country)
          .append(',')
          .append(downloads)
          .append('\n');
      out.append(line);
    }
    for (int c = 0; c < classes.size(); c++) {
      for (int m = 0; m < months.size(); m++) {
        ExactSplit.checkClosed(split[c][m], classes.get(c) + " " + months.get(m));
      }
    }
  }

  private double weight(long row, double popularity, double dayFactor) {
    return popularity * dayFactor * (0.5 + Random64.unit(seed, row, 2));
  }
}
