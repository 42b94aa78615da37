package org.aigap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigap.ShortLivedJvm;
import org.aigap.feeds.GenerateFeeds;

/**
 * The benchmark (not a test): prints a table of what the pipeline costs on this machine, next to
 * the engine's fixed cost, plain Spark and DuckDB, each contender in its own JVM.
 *
 * <ol>
 *   <li>Fixed cost: the whole pipeline on the shipped data against a bare job (session with Delta,
 *       one tiny Delta table, one tiny Parquet file).
 *   <li>Scale: for each size, generate the feeds (N download rows, the given deals), run the whole
 *       pipeline on them, then plain Spark on the same raw files, DuckDB on the same raw files and
 *       DuckDB on the pipeline's bronze Parquet, all computing the same feed aggregates.
 * </ol>
 *
 * <pre>
 * mvn -Pbench -DskipTests package [-Dbench.args="--sizes 10000000,30000000,100000000 --deals 1000000"]
 * </pre>
 */
public final class Benchmark {
  /** Tables of the pipeline that hold the feeds: ingest, conform, metrics. */
  static final List<String> FEED_INGEST =
      List.of("bronze.funding_rounds", "bronze.model_downloads");

  static final List<String> FEED_AGGREGATION =
      List.of(
          "silver.funding_rounds",
          "silver.downloads_daily",
          "gold.funding_totals",
          "gold.download_shares",
          "gold.feed_reconciliation");

  /**
   * A dataset's row in the run summary: name, action, read, accepted, warned, quarantined, version,
   * seconds.
   */
  private static final Pattern SUMMARY_ROW =
      Pattern.compile(
          "^(\\S+)\\s+(computed|skipped)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+([0-9.]+)",
          Pattern.MULTILINE);

  private static final Pattern RUN_SECONDS = Pattern.compile("finished in ([0-9.]+) s");
  private static final Pattern TOTALS = Pattern.compile("BENCH totals=(.*)");

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = List.of(10_000_000L, 30_000_000L, 100_000_000L);
    long deals = 1_000_000;
    Path work = Path.of("jobs/target/benchmark");
    String heap = "4g";
    int pairs = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sizes" ->
            sizes =
                args[i + 1].equals("none")
                    ? List.of()
                    : java.util.Arrays.stream(args[i + 1].split(","))
                        .map(s -> Long.parseLong(s.replace("_", "")))
                        .toList();
        case "--deals" -> deals = Long.parseLong(args[i + 1].replace("_", ""));
        case "--work" -> work = Path.of(args[i + 1]);
        case "--heap" -> heap = args[i + 1];
        case "--pairs" -> {
          pairs = Integer.parseInt(args[i + 1]);
          if (pairs < 1 || pairs % 2 == 0) {
            throw new IllegalArgumentException("--pairs must be odd (one pair is the median)");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; expected --sizes, --deals, --work, --heap, --pairs");
      }
    }
    deleteTree(work);
    Files.createDirectories(work);
    ChildJvm jvm =
        new ChildJvm(
            heap,
            System.getProperty("aigap.jvm.flags", ""),
            System.getProperty("java.class.path"),
            work);
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "Benchmark %s on %d cores, %d GiB RAM (%s), driver heap -Xmx%s, local[2]%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            totalMemoryGib(),
            System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            heap));

    // 1. The fixed cost, and re-runs: every run timed inside its JVM (session start included) and
    // by the wall clock. The bare job and a first run alternate, pair after pair, so that the
    // machine's drift (its speed changes by more than 10% within an hour) falls on both alike; the
    // median pair is reported.
    Path shippedRaw = work.resolve("shipped/raw");
    copyTree(Path.of("data/raw"), shippedRaw);
    // Each JVM as the launcher starts it for a raw folder this small (and the bare job alike): C1
    // only.
    ChildJvm shortLived =
        new ChildJvm(heap, jvm.jvmFlags() + " " + ShortLivedJvm.OPTIONS, jvm.classpath(), work);
    List<FirstRun> firstRuns = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      firstRuns.add(
          new FirstRun(
              shortLived.run(
                  "bare-" + i, BareJob.class.getName(), work.resolve("bare-" + i).toString()),
              shortLived.run(
                  "shipped-" + i,
                  "org.aigap.Pipeline",
                  all(shippedRaw, work.resolve("shipped-" + i)))));
    }
    FirstRun median =
        firstRuns.stream()
            .sorted(java.util.Comparator.comparingDouble(FirstRun::ratio))
            .toList()
            .get(pairs / 2);
    ChildJvm.Result bare = median.bare();
    ChildJvm.Result shipped = median.pipeline();
    // The re-runs, on the warehouse of the last first run.
    String[] shippedArgs = all(shippedRaw, work.resolve("shipped-" + pairs));
    ChildJvm.Result unchanged =
        shortLived.run("shipped-unchanged", "org.aigap.Pipeline", shippedArgs);
    editOneFact(shippedRaw.resolve("facts.csv"));
    ChildJvm.Result oneFact = shortLived.run("shipped-one-fact", "org.aigap.Pipeline", shippedArgs);
    double bareIn = bare.workSeconds();
    report.append(
        "| run on the shipped data | in-JVM s | wall s | peak RSS MB | in-JVM / bare |\n"
            + "|---|---:|---:|---:|---:|\n");
    report.append(
        String.format(
            "| bare job (session + 1 tiny Delta + 1 tiny Parquet) | %.1f | %.1f | %d | 1.0x |%n",
            bareIn, bare.wallSeconds(), bare.peakRssMb()));
    for (ChildJvm.Result r : List.of(shipped, unchanged, oneFact)) {
      double in = runSeconds(r.stdout());
      String what =
          switch (r.name()) {
            case "shipped-unchanged" ->
                "whole pipeline again, nothing changed ("
                    + computed(r.stdout()).size()
                    + " computed)";
            case "shipped-one-fact" ->
                "whole pipeline after one line of facts.csv changed ("
                    + computed(r.stdout()).size()
                    + " computed)";
            default -> "whole pipeline, first run (" + seconds(r.stdout()).size() + " datasets)";
          };
      report.append(
          String.format(
              "| %s | %.1f | %.1f | %d | %.1fx |%n",
              what, in, r.wallSeconds(), r.peakRssMb(), in / bareIn));
    }
    List<String> each = new ArrayList<>();
    for (FirstRun pair : firstRuns) {
      each.add(
          String.format(
              "%.1f s / %.1f s = %.2fx",
              runSeconds(pair.pipeline().stdout()), pair.bare().workSeconds(), pair.ratio()));
    }
    report
        .append(
            String.format(
                "%nFirst run / bare job, %d pairs run alternately (the median pair above): ",
                pairs))
        .append(String.join("; ", each))
        .append(".\n");
    report
        .append("\nRecomputed after one line of facts.csv changed: ")
        .append(String.join(", ", computed(oneFact.stdout())))
        .append(".\n\n");
    report.append(whereTimeGoes(seconds(shipped.stdout())));
    System.out.print(report);
    if (sizes.isEmpty()) {
      Files.writeString(work.resolve("benchmark.md"), report);
      System.out.println("\nWritten to " + work.resolve("benchmark.md").toAbsolutePath());
      return;
    }

    // 2. Scale.
    report.append(
        "| download rows | deals | generate s | pipeline wall s | feed ingest s | feed aggregation"
            + " s | feed rows/s | plain Spark wall s (work s) | pipeline feed work / plain work |"
            + " DuckDB CSV s | DuckDB Parquet s | aggregation / DuckDB Parquet | peak RSS MB"
            + " pipeline / plain / DuckDB | totals (plain = DuckDB) |\n");
    report.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    Map<Long, Double> feedSeconds = new TreeMap<>();
    for (long n : sizes) {
      Path raw = work.resolve("raw-" + n);
      long started = System.nanoTime();
      GenerateFeeds.generate(
          new GenerateFeeds.Options(
              n, deals, GenerateFeeds.DEFAULT_SEED, raw, Path.of("data/raw")));
      double generate = (System.nanoTime() - started) / 1e9;
      for (String f : List.of("facts.csv", "entities.csv", "claims.csv", "eurofxref-hist.csv")) {
        Files.createSymbolicLink(raw.resolve(f), Path.of("data/raw", f).toAbsolutePath());
      }
      Path lake = work.resolve("lake-" + n);
      ChildJvm.Result pipeline = jvm.run("pipeline-" + n, "org.aigap.Pipeline", all(raw, lake));
      ChildJvm.Result plain =
          jvm.run(
              "plain-" + n,
              PlainSparkJob.class.getName(),
              raw.toString(),
              work.resolve("plain-" + n).toString());
      ChildJvm.Result duckCsv =
          jvm.run(
              "duckdb-csv-" + n,
              DuckDbJob.class.getName(),
              "csv",
              raw.toString(),
              work.resolve("duck-csv-" + n).toString());
      ChildJvm.Result duckParquet =
          jvm.run(
              "duckdb-parquet-" + n,
              DuckDbJob.class.getName(),
              "parquet",
              lake.resolve("warehouse/bronze").toString(),
              work.resolve("duck-parquet-" + n).toString());
      Map<String, Double> s = seconds(pipeline.stdout());
      double ingest = FEED_INGEST.stream().mapToDouble(t -> s.getOrDefault(t, Double.NaN)).sum();
      double aggregation =
          FEED_AGGREGATION.stream().mapToDouble(t -> s.getOrDefault(t, Double.NaN)).sum();
      feedSeconds.put(n, ingest + aggregation);
      String plainTotals = totals(plain.stdout());
      String duckTotals = totals(duckCsv.stdout());
      String row =
          String.format(
              "| %,d | %,d | %.1f | %.1f | %.1f | %.1f | %,.0f | %.1f (%.1f) | %.2fx | %.1f | %.1f"
                  + " | %.1fx | %d / %d / %d | %s |%n",
              n,
              deals,
              generate,
              pipeline.wallSeconds(),
              ingest,
              aggregation,
              (n + deals) / (ingest + aggregation),
              plain.wallSeconds(),
              plain.workSeconds(),
              (ingest + aggregation) / plain.workSeconds(),
              duckCsv.workSeconds(),
              duckParquet.workSeconds(),
              aggregation / duckParquet.workSeconds(),
              pipeline.peakRssMb(),
              plain.peakRssMb(),
              duckCsv.peakRssMb(),
              plainTotals
                  + (sameTotals(plainTotals, duckTotals)
                      ? " (=)"
                      : " (DuckDB: " + duckTotals + ")"));
      report.append(row);
      System.out.print(row);
      deleteTree(raw);
      deleteTree(lake);
    }
    if (feedSeconds.size() > 1) {
      long small = ((TreeMap<Long, Double>) feedSeconds).firstKey();
      long large = ((TreeMap<Long, Double>) feedSeconds).lastKey();
      report.append(
          String.format(
              "%nGrowth: %,d rows cost %.1fx the feed seconds of %,d rows (%.0fx the rows).%n",
              large,
              feedSeconds.get(large) / feedSeconds.get(small),
              small,
              (double) large / small));
    }
    Files.writeString(work.resolve("benchmark.md"), report);
    System.out.println(
        "\n" + report + "\nWritten to " + work.resolve("benchmark.md").toAbsolutePath());
  }

  /** The arguments of a whole run on {@code raw} into the warehouse and outputs in {@code lake}. */
  private static String[] all(Path raw, Path lake) {
    return new String[] {
      "all",
      "--raw",
      raw.toString(),
      "--warehouse",
      lake.resolve("warehouse").toString(),
      "--outputs",
      lake.resolve("outputs").toString()
    };
  }

  /** A bare job and the first run of the whole pipeline after it. */
  private record FirstRun(ChildJvm.Result bare, ChildJvm.Result pipeline) {
    /** The first run's own seconds over the bare job's. */
    double ratio() {
      return runSeconds(pipeline.stdout()) / bare.workSeconds();
    }
  }

  /** Seconds per table or output, from the pipeline's summary table. */
  static Map<String, Double> seconds(String stdout) {
    Map<String, Double> out = new TreeMap<>();
    Matcher m = SUMMARY_ROW.matcher(stdout);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(8)));
    }
    return out;
  }

  /** The datasets a run computed (not skipped), from its summary table. */
  static List<String> computed(String stdout) {
    List<String> out = new ArrayList<>();
    Matcher m = SUMMARY_ROW.matcher(stdout);
    while (m.find()) {
      if (m.group(2).equals("computed")) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The run's own time, session start included, from its summary's first line. */
  static double runSeconds(String stdout) {
    Matcher m = RUN_SECONDS.matcher(stdout);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /**
   * Changes one figure of the facts extract (OpenAI's H1 revenue, 43 to 44), as an analyst
   * correcting a line would.
   */
  private static void editOneFact(Path facts) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(facts));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("openai_revenue_2025_h1,")) {
        lines.set(i, lines.get(i).replace(",43,43,", ",44,44,"));
      }
    }
    Files.write(facts, lines);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static String whereTimeGoes(Map<String, Double> seconds) {
    StringBuilder b =
        new StringBuilder("Seconds per table or output in the pipeline run on the shipped data: ");
    List<String> parts = new ArrayList<>();
    seconds.forEach((t, s) -> parts.add(String.format("%s %.1f", t, s)));
    return b.append(String.join(", ", parts)).append(".\n\n").toString();
  }

  private static String totals(String stdout) {
    Matcher m = TOTALS.matcher(stdout);
    return m.find() ? m.group(1).trim() : "?";
  }

  private static boolean sameTotals(String a, String b) {
    String[] x = a.split(" ");
    String[] y = b.split(" ");
    if (x.length != y.length) {
      return false;
    }
    try {
      for (int i = 0; i < x.length; i++) {
        if (new java.math.BigDecimal(x[i]).compareTo(new java.math.BigDecimal(y[i])) != 0) {
          return false;
        }
      }
      return true;
    } catch (NumberFormatException e) { // a null sum or a missing line: shown as it is
      return false;
    }
  }

  private static long totalMemoryGib() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize()
        >> 30;
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var paths = Files.walk(root)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
