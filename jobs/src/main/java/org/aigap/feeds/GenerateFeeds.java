package org.aigap.feeds;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command that writes the two granular feeds, {@code funding_rounds.csv} and {@code
 * model_downloads.csv}, of any size, from a seed: the same arguments always give the same bytes.
 * Their totals equal the reported figures in facts.csv; see {@link FundingFeed} and {@link
 * DownloadsFeed} for what is synthetic.
 *
 * <pre>
 * GenerateFeeds --downloads 10000000 --deals 1000000 [--seed 20251115] [--out DIR] [--raw data/raw]
 * </pre>
 */
public final class GenerateFeeds {
  public static final String DOWNLOADS_FILE = "model_downloads.csv";
  public static final String DEALS_FILE = "funding_rounds.csv";
  public static final long DEFAULT_SEED = 20251115L;

  /** What to generate; {@code raw} is where facts.csv and entities.csv are read from. */
  public record Options(long downloads, long deals, long seed, Path out, Path raw) {}

  /** The command line: picocli, like the pipeline's, so usage errors read and exit the same way. */
  @Command(
      name = "GenerateFeeds",
      mixinStandardHelpOptions = true,
      description =
          "Writes model_downloads.csv and funding_rounds.csv of any size from a seed; their totals"
              + " equal the facts.")
  static final class Cli implements java.util.concurrent.Callable<Integer> {
    @Option(
        names = "--downloads",
        required = true,
        paramLabel = "N",
        converter = WholeNumber.class,
        description = "download rows")
    long downloads;

    @Option(
        names = "--deals",
        required = true,
        paramLabel = "N",
        converter = WholeNumber.class,
        description = "deals")
    long deals;

    @Option(
        names = "--seed",
        paramLabel = "N",
        converter = WholeNumber.class,
        description = "default: ${DEFAULT-VALUE}")
    long seed = DEFAULT_SEED;

    @Option(names = "--out", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
    Path out = Path.of("data/feeds");

    @Option(
        names = "--raw",
        paramLabel = "DIR",
        description = "facts.csv and entities.csv (default: ${DEFAULT-VALUE})")
    Path raw = Path.of("data/raw");

    Options options() {
      return new Options(downloads, deals, seed, out, raw);
    }

    @Override
    public Integer call() throws Exception {
      Options o = options();
      long started = System.nanoTime();
      generate(o);
      System.out.printf(
          "Wrote %,d download rows to %s and %,d deals to %s (seed %d) in %.1f s%n",
          o.downloads(),
          o.out().resolve(DOWNLOADS_FILE),
          o.deals(),
          o.out().resolve(DEALS_FILE),
          o.seed(),
          (System.nanoTime() - started) / 1e9);
      return 0;
    }
  }

  /** A whole number, written with or without underscores (10_000_000). */
  static final class WholeNumber implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String v) {
      try {
        return Long.parseLong(v.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("expected a whole number, found '" + v + "'");
      }
    }
  }

  private GenerateFeeds() {}

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new Cli())
            .setParameterExceptionHandler(
                (e, a) -> {
                  System.err.println("FAILED: " + e.getMessage() + " (see GenerateFeeds --help)");
                  return 2;
                })
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  System.err.println("FAILED: " + e.getMessage());
                  return 1;
                })
            .execute(args));
  }

  static Options parse(String... args) {
    CommandLine cli = new CommandLine(new Cli());
    cli.parseArgs(args);
    return cli.<Cli>getCommand().options();
  }

  /**
   * Writes both feeds at once (one thread each), each to a temporary name and then renamed into
   * place.
   */
  public static void generate(Options o) throws Exception {
    FeedTargets targets =
        FeedTargets.read(o.raw().resolve("facts.csv"), o.raw().resolve("entities.csv"));
    DownloadsFeed downloads = new DownloadsFeed(targets, o.downloads(), o.seed());
    FundingFeed deals = new FundingFeed(targets, o.deals(), o.seed());
    Files.createDirectories(o.out());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      done.add(pool.submit(() -> write(o.out().resolve(DOWNLOADS_FILE), downloads::write)));
      done.add(pool.submit(() -> write(o.out().resolve(DEALS_FILE), deals::write)));
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof Exception c ? c : e;
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  private interface Body {
    void write(Writer out) throws IOException;
  }

  private static Void write(Path file, Body body) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 20)) {
      body.write(w);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return null;
  }
}
