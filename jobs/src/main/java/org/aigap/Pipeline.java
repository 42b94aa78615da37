package org.aigap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigap.conform.ConformJob;
import org.aigap.core.Errors;
import org.aigap.core.LakehousePaths;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.SparkSessions;
import org.aigap.ingest.IngestJob;
import org.aigap.metrics.MetricsJob;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: one sub-command per job, or {@code all} for a whole run in one SparkSession.
 * The same entry point serves a local {@code java} launch and {@code spark-submit} on a cluster.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /** The jobs, in run order, with what each reads and writes (shown by --help). */
  enum Step {
    INGEST("ingest", "RAW/*.csv (each extract in schemas/raw)", "WAREHOUSE/bronze/<table>, WAREHOUSE/bronze/quarantine, WAREHOUSE/audit/run_log"),
    CONFORM("conform", "WAREHOUSE/bronze/*", "WAREHOUSE/silver/{entities,entity_aliases,fx_rates,facts,claims,funding_rounds,downloads_daily}, quarantine, run_log"),
    METRICS("metrics", "WAREHOUSE/silver/*", "OUTPUTS/<metric>/ (Parquet + _manifest.json), run_log");

    final String command;
    final String reads;
    final String writes;

    Step(String command, String reads, String writes) {
      this.command = command;
      this.reads = reads;
      this.writes = writes;
    }
  }

  /** Parsed command line. */
  record Options(List<Step> steps, LakehousePaths paths, String schemas) {}

  private Pipeline() {}

  public static void main(String[] args) {
    int status;
    try {
      Options options = parse(args);
      if (options == null) {
        System.out.println(help());
        status = 0;
      } else {
        status = run(options);
      }
    } catch (PipelineException e) {
      System.err.println("FAILED: " + e.getMessage());
      status = 1;
    } catch (Exception e) { // Spark's AnalysisException is a checked exception
      LOG.error("Unexpected failure", e);
      System.err.println("FAILED: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
      status = 1;
    }
    System.exit(status);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("");
  }

  static int run(Options options) {
    long t0 = System.nanoTime();
    SparkSession spark = SparkSessions.getOrCreate("ai-valuation-gap", options.paths().warehouse());
    try {
      RunContext ctx = RunContext.create(spark, SchemaCatalog.load(options.schemas()), options.paths());
      List<RunRecord> records = runSteps(ctx, options.steps());
      System.out.println(Summary.render(ctx, records, (System.nanoTime() - t0) / 1e9));
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** Runs the steps in order in one session; each logs its rows and seconds. */
  public static List<RunRecord> runSteps(RunContext ctx, List<Step> steps) {
    List<RunRecord> records = new ArrayList<>();
    for (Step step : steps) {
      long t = System.nanoTime();
      LOG.info("{} {}: started", ctx.runId(), step.command);
      RunRecord record =
          switch (step) {
            case INGEST -> new IngestJob(ctx).run();
            case CONFORM -> new ConformJob(ctx).run();
            case METRICS -> new MetricsJob(ctx).run();
          };
      records.add(record);
      LOG.info("{} {}: {} in {} s", ctx.runId(), step.command, record.outcome(), String.format("%.1f", (System.nanoTime() - t) / 1e9));
    }
    return records;
  }

  /** Returns null when help was asked for. */
  static Options parse(String[] args) {
    if (args.length == 0) {
      throw Errors.usage("No command given");
    }
    Map<String, String> opts = new LinkedHashMap<>();
    String command = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
        return null;
      }
      if (a.startsWith("--")) {
        String name = a.substring(2);
        if (!List.of("raw", "warehouse", "outputs", "schemas").contains(name)) {
          throw Errors.usage("Unknown option " + a);
        }
        if (i + 1 >= args.length) {
          throw Errors.usage("Option " + a + " needs a value");
        }
        opts.put(name, args[++i]);
      } else if (command == null) {
        command = a;
      } else {
        throw Errors.usage("Unexpected argument '" + a + "'");
      }
    }
    if (command == null) {
      throw Errors.usage("No command given");
    }
    List<Step> steps = new ArrayList<>();
    if (command.equals("all")) {
      steps.addAll(List.of(Step.values()));
    } else {
      for (Step s : Step.values()) {
        if (s.command.equals(command)) {
          steps.add(s);
        }
      }
      if (steps.isEmpty()) {
        throw Errors.usage("Unknown command '" + command + "'");
      }
    }
    LakehousePaths paths =
        new LakehousePaths(
            opts.getOrDefault("raw", LakehousePaths.DEFAULT_RAW),
            opts.getOrDefault("warehouse", LakehousePaths.DEFAULT_WAREHOUSE),
            opts.getOrDefault("outputs", LakehousePaths.DEFAULT_OUTPUTS));
    return new Options(steps, paths, opts.get("schemas"));
  }

  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: Pipeline COMMAND [--raw PATH] [--warehouse PATH] [--outputs PATH] [--schemas DIR]\n\n");
    b.append("Commands (run in this order by 'all', in one SparkSession):\n");
    for (Step s : Step.values()) {
      b.append(String.format("  %-8s reads  %s%n           writes %s%n", s.command, s.reads, s.writes));
    }
    b.append("  all      ingest, conform, metrics\n\n");
    b.append("Options (any Hadoop file system URI: file:, hdfs:, s3a:, abfss:):\n");
    b.append("  --raw PATH        raw extracts (default ").append(LakehousePaths.DEFAULT_RAW).append(")\n");
    b.append("  --warehouse PATH  Delta tables (default ").append(LakehousePaths.DEFAULT_WAREHOUSE).append(")\n");
    b.append("  --outputs PATH    Parquet metrics (default ").append(LakehousePaths.DEFAULT_OUTPUTS).append(")\n");
    b.append("  --schemas DIR     schema folder (default: the copy inside the jar)\n\n");
    b.append("Spark settings come from spark-submit --conf; without a master the run is local[2].");
    return b.toString();
  }
}
