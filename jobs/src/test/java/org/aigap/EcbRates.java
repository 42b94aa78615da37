package org.aigap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shipped ECB file read with plain Java, so tests can recompute conversions independently of
 * the pipeline: rates per EUR by date.
 */
public final class EcbRates {
  private final TreeMap<LocalDate, Map<String, BigDecimal>> byDate = new TreeMap<>();

  public EcbRates() {
    try {
      List<String> lines =
          Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve("eurofxref-hist.csv"));
      String[] header = lines.get(0).split(",");
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        Map<String, BigDecimal> rates = new TreeMap<>();
        for (int i = 1; i < f.length; i++) {
          if (!f[i].equals("N/A")) {
            rates.put(header[i], new BigDecimal(f[i]));
          }
        }
        byDate.put(LocalDate.parse(f[0]), rates);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** USD per unit of currency on the ECB date on or last before {@code date}. */
  public BigDecimal usdPerUnit(String currency, LocalDate date) {
    Map<String, BigDecimal> r = byDate.floorEntry(date).getValue();
    return r.get("USD").divide(r.get(currency), MathContext.DECIMAL128);
  }

  public LocalDate lastRateDateOnOrBefore(LocalDate date) {
    return byDate.floorKey(date);
  }

  /** Mean over the ECB dates in [from, to] of the USD value of one unit of currency. */
  public BigDecimal averageUsdPerUnit(String currency, LocalDate from, LocalDate to) {
    var days = byDate.subMap(from, true, to, true).values();
    BigDecimal sum = BigDecimal.ZERO;
    for (Map<String, BigDecimal> r : days) {
      sum = sum.add(r.get("USD").divide(r.get(currency), MathContext.DECIMAL128));
    }
    return sum.divide(BigDecimal.valueOf(days.size()), MathContext.DECIMAL128);
  }

  public int ratesBetween(LocalDate from, LocalDate to) {
    return byDate.subMap(from, true, to, true).size();
  }
}
