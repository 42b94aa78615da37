package org.aigap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigap.core.Errors;
import org.aigap.core.LakehousePaths;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.SparkSessions;
import org.aigap.graph.DataDictionary;
import org.aigap.graph.DataflowGraph;
import org.aigap.graph.DatasetDef;
import org.aigap.graph.Layer;
import org.aigap.graph.Runner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line. Every command is a selection of the one dataflow graph ({@link Registry}):
 * {@code ingest}, {@code conform} and {@code metrics} its layers, {@code all} and {@code run} the
 * whole graph or what {@code --select} names, {@code plan} what a run would do (validated, nothing
 * written), {@code graph} the graph as a Mermaid diagram. The same entry point serves a local
 * {@code java} launch and {@code spark-submit} on a cluster.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  static final List<String> COMMANDS = List.of("ingest", "conform", "metrics", "all", "run", "plan", "graph", "dictionary", "sql");
  static final List<String> FORMATS = List.of("table", "csv", "json");
  /** The rows the sql command prints as a table at most. */
  static final int TABLE_ROWS = 1000;

  /** Parsed command line: the command, its selectors, whether to recompute everything, the paths. */
  record Options(
      String command, List<String> selectors, boolean fullRefresh, LakehousePaths paths, String schemas, String query, String format) {
    /** The selectors the command stands for: a layer, or what --select gave (everything when none). */
    List<String> selection() {
      Layer layer = Layer.ofJob(command);
      if (layer != null) {
        return List.of(layer.label());
      }
      return selectors.isEmpty() ? List.of("bronze", "silver", "gold") : selectors;
    }
  }

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
      System.err.println("FAILED: " + e.getClass().getSimpleName() + ": " + Errors.firstLine(e));
      status = 1;
    }
    System.exit(status);
  }

  static int run(Options options) {
    if (options.command().equals("version")) {
      System.out.println(version());
      return 0;
    }
    long t0 = System.nanoTime();
    SchemaCatalog schemas = SchemaCatalog.load(options.schemas());
    DataflowGraph graph = Registry.graph(schemas);
    if (options.command().equals("graph")) {
      System.out.print("```mermaid\n" + graph.mermaid() + "```\n\n" + graph.table());
      return 0;
    }
    if (options.command().equals("dictionary")) {
      System.out.print(DataDictionary.of(graph, schemas));
      return 0;
    }
    List<DatasetDef> selected = graph.select(options.selection());
    SparkSession spark = SparkSessions.getOrCreate("ai-valuation-gap", options.paths().warehouse());
    try {
      if (options.command().equals("sql")) {
        LakehousePaths paths = options.paths().qualified(spark.sparkContext().hadoopConfiguration());
        print(SqlCommand.query(spark, graph, paths, options.query()), options.format());
        return 0;
      }
      RunContext ctx = RunContext.create(spark, schemas, options.paths());
      Runner runner = new Runner(ctx, graph);
      if (options.command().equals("plan")) {
        System.out.print(runner.plan(selected, options.fullRefresh()).render());
        return 0;
      }
      List<RunRecord> records = runner.run(selected, options.fullRefresh());
      System.out.println(Summary.render(ctx, records, (System.nanoTime() - t0) / 1e9));
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** The sql command's result on standard output: a table (at most {@link #TABLE_ROWS} rows), CSV or JSON lines. */
  private static void print(Dataset<Row> result, String format) {
    switch (format) {
      case "json" -> result.toJSON().toLocalIterator().forEachRemaining(System.out::println);
      case "csv" -> {
        System.out.println(String.join(",", java.util.Arrays.stream(result.columns()).map(Pipeline::csvField).toList()));
        result.toLocalIterator().forEachRemaining(r -> {
          List<String> fields = new ArrayList<>();
          for (int i = 0; i < r.length(); i++) {
            fields.add(r.isNullAt(i) ? "" : csvField(String.valueOf(r.get(i))));
          }
          System.out.println(String.join(",", fields));
        });
      }
      default -> {
        long rows = result.count();
        result.show(TABLE_ROWS, false);
        if (rows > TABLE_ROWS) {
          System.out.println("(" + TABLE_ROWS + " of " + rows + " rows shown; --format csv or json prints them all)");
        }
      }
    }
  }

  private static String csvField(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  /** The project's version and the Spark and Delta versions it runs on. */
  static String version() {
    java.util.Properties p = new java.util.Properties();
    try (var in = Pipeline.class.getResourceAsStream("/aigap-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      // unknown: said below
    }
    return "ai-valuation-gap " + p.getProperty("version", "(version unknown)") + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + ", Delta " + io.delta.package$.MODULE$.VERSION() + ")";
  }

  /** Returns null when help was asked for. */
  static Options parse(String[] args) {
    if (args.length == 0) {
      throw Errors.usage("No command given");
    }
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> selectors = new ArrayList<>();
    boolean fullRefresh = false;
    String command = null;
    String query = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
        return null;
      }
      if (a.equals("--version")) {
        return new Options("version", List.of(), false, null, null, null, "table"); // reads and writes nothing
      }
      if (a.equals("--full-refresh")) {
        fullRefresh = true;
      } else if (a.startsWith("--")) {
        String name = a.substring(2);
        if (!List.of("raw", "warehouse", "outputs", "schemas", "select", "format").contains(name)) {
          throw Errors.usage("Unknown option " + a);
        }
        if (i + 1 >= args.length) {
          throw Errors.usage("Option " + a + " needs a value");
        }
        if (name.equals("select")) {
          selectors.add(args[++i]);
        } else {
          opts.put(name, args[++i]);
        }
      } else if (command == null) {
        command = a;
      } else if (command.equals("sql") && query == null) {
        query = a;
      } else {
        throw Errors.usage("Unexpected argument '" + a + "'");
      }
    }
    if (command == null) {
      throw Errors.usage("No command given");
    }
    if (!COMMANDS.contains(command)) {
      throw Errors.usage("Unknown command '" + command + "'");
    }
    if (command.equals("sql") && (query == null || query.isBlank())) {
      throw Errors.usage("sql needs a query, e.g. sql \"select claim_id, verdict from gold.claim_checks where verdict <> 'consistent'\"");
    }
    String format = opts.getOrDefault("format", "table");
    if (!FORMATS.contains(format)) {
      throw Errors.usage("--format is table, csv or json, not '" + format + "'");
    }
    if (opts.containsKey("format") && !command.equals("sql")) {
      throw Errors.usage("--format goes with sql, not " + command);
    }
    if (!selectors.isEmpty() && !List.of("run", "plan").contains(command)) {
      throw Errors.usage("--select goes with run or plan, not " + command);
    }
    LakehousePaths paths =
        new LakehousePaths(
            opts.getOrDefault("raw", LakehousePaths.DEFAULT_RAW),
            opts.getOrDefault("warehouse", LakehousePaths.DEFAULT_WAREHOUSE),
            opts.getOrDefault("outputs", LakehousePaths.DEFAULT_OUTPUTS));
    return new Options(command, selectors, fullRefresh, paths, opts.get("schemas"), query, format);
  }

  static String help() {
    return """
        Usage: Pipeline COMMAND [--select SELECTOR]... [--full-refresh] [--raw PATH] [--warehouse PATH]
                                [--outputs PATH] [--schemas DIR]
               Pipeline sql "QUERY" [--format table|csv|json] [--warehouse PATH] [--outputs PATH]
               Pipeline --version | --help

        Commands (each a selection of the one dataflow graph, run in one SparkSession):
          ingest   the bronze layer: reads RAW/*.csv (each extract in schemas/raw),
                   writes WAREHOUSE/bronze/<table>, WAREHOUSE/bronze/quarantine, WAREHOUSE/audit/run_log
          conform  the silver layer: reads WAREHOUSE/bronze/*,
                   writes WAREHOUSE/silver/<table>, quarantine, run_log
          metrics  the gold layer: reads WAREHOUSE/silver/*,
                   writes OUTPUTS/<output>/ (Parquet + _manifest.json), run_log
          all      the whole graph: ingest, conform, metrics
          run      the datasets --select names (the whole graph without --select)
          plan     what run would do with the same options, each dataset run or skipped and why;
                   validates the graph; reads no table and writes nothing
          graph    the graph as a Mermaid flowchart and a table of what each dataset reads and
                   writes (as in the README)
          dictionary
                   every dataset's columns, types, meanings and rules, and what it is built from
                   (as in schemas/DICTIONARY.md)
          sql "QUERY"
                   one Spark SQL query over every dataset by its name (bronze.facts, silver.facts,
                   gold.claim_checks, ...) and bronze.quarantine, audit.run_log, each at its latest
                   committed version; prints a table (--format csv or json: every row)

        A dataset whose raw file or inputs, code, schema and SQL are unchanged since it was built
        is skipped; the summary says why each dataset ran or was skipped.

        Options (paths: any Hadoop file system URI: file:, hdfs:, s3a:, abfss:):
          --select S        (run, plan) NAME one dataset, NAME+ it and everything downstream,
                            +NAME it and everything upstream; repeat it, or separate several by
                            spaces, for their union; NAME is layer.table (silver.facts), a table
                            name no other layer uses, or a layer (bronze, silver, gold)
          --full-refresh    recompute every selected dataset, changed or not
          --raw PATH        raw extracts (default %s)
          --warehouse PATH  Delta tables (default %s)
          --outputs PATH    Parquet outputs (default %s)
          --schemas DIR     schema folder (default: the copy inside the jar)

        Spark settings come from spark-submit --conf; without a master the run is local[2]."""
        .formatted(LakehousePaths.DEFAULT_RAW, LakehousePaths.DEFAULT_WAREHOUSE, LakehousePaths.DEFAULT_OUTPUTS);
  }
}
