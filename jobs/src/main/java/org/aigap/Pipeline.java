package org.aigap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aigap.core.Errors;
import org.aigap.core.LakehousePaths;
import org.aigap.core.PipelineException;
import org.aigap.core.Progress;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.SparkSessions;
import org.aigap.core.UsageException;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The command line. Every command is a selection of the one dataflow graph ({@link Registry}):
 * {@code ingest}, {@code conform} and {@code metrics} its layers, {@code all} and {@code run} the
 * whole graph or what {@code --select} names, {@code plan} what a run would do (validated, nothing
 * written). The same entry point serves {@code jobs/bin/aigap} and {@code spark-submit}; whatever
 * fails, the last line printed says why and the exit code says which kind of failure it was.
 */
@Command(
    name = "aigap",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Pipeline.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Reported figures on Chinese and US AI companies, from raw extracts to Delta tables to the"
          + " comparisons, each number traceable to the sentence it came from. Each command is a"
          + " selection of one dataflow graph, run in one SparkSession; a dataset whose raw file or"
          + " inputs, code, schema and SQL are unchanged since it was built is skipped, and the"
          + " summary says why each dataset ran or was skipped."
    },
    subcommands = {
      Pipeline.Ingest.class,
      Pipeline.Conform.class,
      Pipeline.Metrics.class,
      Pipeline.All.class,
      Pipeline.RunSelected.class,
      Pipeline.PlanSelected.class,
      Pipeline.Graph.class,
      Pipeline.Dictionary.class,
      Pipeline.Sql.class
    },
    footerHeading = "%n",
    footer = {
      "Paths are any Hadoop file system URI (file:, hdfs:, s3a:, abfss:). Spark settings come from"
          + " spark-submit --conf; without a master the run is local[2]."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the command succeeded",
      "1:the run failed; the last line says what could not be done, where and why",
      "2:a usage error (an option, selector or query the pipeline cannot act on); nothing ran",
      "3:(jobs/bin/aigap only) building the pipeline failed"
    })
public final class Pipeline implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** The rows the sql command prints as a table at most. */
  static final int TABLE_ROWS = 1000;

  /** How the sql command prints its result; lower case because these are the words users type. */
  enum Format {
    table,
    csv,
    json
  }

  /**
   * What a command does, once parsed: the command, its selectors, whether to recompute everything,
   * the paths, and for sql the query and the format.
   */
  record Options(
      String command,
      List<String> selectors,
      boolean fullRefresh,
      LakehousePaths paths,
      String schemas,
      String query,
      Format format) {
    /**
     * The selectors the command stands for: a layer, or what --select gave (everything when none).
     */
    List<String> selection() {
      Layer layer = Layer.ofJob(command);
      if (layer != null) {
        return List.of(layer.label());
      }
      return selectors.isEmpty() ? List.of("bronze", "silver", "gold") : selectors;
    }
  }

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command line and returns its exit code; whatever fails ends on one line. */
  static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Pipeline())
        .setParameterExceptionHandler(
            (e, args) -> {
              System.err.println("FAILED: " + usageError(e));
              return USAGE;
            })
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof PipelineException) {
                System.err.println("FAILED: " + e.getMessage());
                return e instanceof UsageException ? USAGE : FAILED;
              }
              LOG.error("Unexpected failure", e);
              System.err.println(
                  "FAILED: " + e.getClass().getSimpleName() + ": " + Errors.firstLine(e));
              return FAILED;
            });
  }

  /** A usage error on one line: what is wrong, a likely fix when there is one, where help is. */
  static String usageError(ParameterException e) {
    String suggestion = "";
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      suggestion = "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
    }
    return e.getMessage()
        + suggestion
        + " (see "
        + e.getCommandLine().getCommandSpec().qualifiedName()
        + " --help)";
  }

  /**
   * The options a command line stands for, without running it; null when it asks for help or the
   * version.
   */
  static Options parse(String... args) {
    CommandLine.ParseResult parsed = commandLine().parseArgs(args);
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
      return null;
    }
    if (!(last.commandSpec().userObject() instanceof Step step)) {
      throw new ParameterException(parsed.commandSpec().commandLine(), "No command given");
    }
    return step.options();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "No command given");
  }

  /** A command: its options, then one run of the pipeline with them. */
  abstract static class Step implements Callable<Integer> {
    @Spec CommandSpec spec;

    abstract Options options();

    @Override
    public Integer call() {
      return Pipeline.run(options());
    }
  }

  /** Where the pipeline reads and writes. */
  static final class Stores {
    @Option(
        names = "--raw",
        paramLabel = "PATH",
        description = "raw extracts (default: ${DEFAULT-VALUE})")
    String raw = LakehousePaths.DEFAULT_RAW;

    @Option(
        names = "--warehouse",
        paramLabel = "PATH",
        description = "Delta tables (default: ${DEFAULT-VALUE})")
    String warehouse = LakehousePaths.DEFAULT_WAREHOUSE;

    @Option(
        names = "--outputs",
        paramLabel = "PATH",
        description = "Parquet outputs (default: ${DEFAULT-VALUE})")
    String outputs = LakehousePaths.DEFAULT_OUTPUTS;

    @Mixin SchemaFolder schemas;

    LakehousePaths paths() {
      return new LakehousePaths(raw, warehouse, outputs);
    }
  }

  /** The schema folder, for commands that read no data. */
  static final class SchemaFolder {
    @Option(
        names = "--schemas",
        paramLabel = "DIR",
        description = "schema folder (default: the copy inside the jar)")
    String dir;
  }

  /** A layer, or the whole graph, recomputed where something changed. */
  abstract static class LayerStep extends Step {
    @Mixin Stores stores;

    @Option(
        names = "--full-refresh",
        description = "recompute every selected dataset, changed or not")
    boolean fullRefresh;

    List<String> selectors() {
      return List.of();
    }

    @Override
    Options options() {
      return new Options(
          spec.name(),
          selectors(),
          fullRefresh,
          stores.paths(),
          stores.schemas.dir,
          null,
          Format.table);
    }
  }

  /** The datasets --select names. */
  abstract static class SelectingStep extends LayerStep {
    @Option(
        names = "--select",
        paramLabel = "SELECTOR",
        description = {
          "NAME one dataset, NAME+ it and everything downstream, +NAME it and everything upstream;"
              + " repeat it, or separate several by spaces, for their union; NAME is layer.table"
              + " (silver.facts), a table name no other layer uses, or a layer (bronze, silver,"
              + " gold). Default: the whole graph."
        })
    List<String> selectors = new ArrayList<>();

    @Override
    List<String> selectors() {
      return selectors;
    }
  }

  @Command(
      name = "ingest",
      description = {
        "The bronze layer: reads RAW/*.csv (each extract declared in schemas/raw), writes"
            + " WAREHOUSE/bronze/<table>, WAREHOUSE/bronze/quarantine and WAREHOUSE/audit/run_log."
      })
  static final class Ingest extends LayerStep {}

  @Command(
      name = "conform",
      description = {
        "The silver layer: reads WAREHOUSE/bronze/*, writes WAREHOUSE/silver/<table>, the"
            + " quarantine and the run log."
      })
  static final class Conform extends LayerStep {}

  @Command(
      name = "metrics",
      description = {
        "The gold layer: reads WAREHOUSE/silver/*, writes OUTPUTS/<output>/ (Parquet and"
            + " _manifest.json) and the run log."
      })
  static final class Metrics extends LayerStep {}

  @Command(
      name = "all",
      description = {"The whole graph: ingest, conform, metrics."})
  static final class All extends LayerStep {}

  @Command(
      name = "run",
      description = {"The datasets --select names (the whole graph without --select)."})
  static final class RunSelected extends SelectingStep {}

  @Command(
      name = "plan",
      description = {
        "What run would do with the same options: each dataset run or skipped, and why. Validates"
            + " the graph; reads no table and writes nothing."
      })
  static final class PlanSelected extends SelectingStep {}

  /** A command that reads the schemas and the registry only. */
  abstract static class SchemaStep extends Step {
    @Mixin SchemaFolder schemas;

    @Override
    Options options() {
      return new Options(spec.name(), List.of(), false, null, schemas.dir, null, Format.table);
    }
  }

  @Command(
      name = "graph",
      description = {
        "The graph as a Mermaid flowchart and a table of what each dataset reads and writes (as in"
            + " the README)."
      })
  static final class Graph extends SchemaStep {}

  @Command(
      name = "dictionary",
      description = {
        "Every dataset's columns, types, meanings and rules, and what it is built from (as in"
            + " schemas/DICTIONARY.md)."
      })
  static final class Dictionary extends SchemaStep {}

  @Command(
      name = "sql",
      description = {
        "One Spark SQL query over every dataset by its name (bronze.facts, silver.facts,"
            + " gold.claim_checks, ...) and bronze.quarantine and audit.run_log, each at its latest"
            + " committed version. Prints a table of at most "
            + TABLE_ROWS
            + " rows; --format csv or json prints every row.",
        "Example: aigap sql \"select claim_id, verdict from gold.claim_checks where verdict <>"
            + " 'consistent'\""
      })
  static final class Sql extends Step {
    @Parameters(paramLabel = "QUERY", description = "the query, one argument (quote it)")
    String query;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        description = "table, csv or json (default: ${DEFAULT-VALUE})")
    Format format = Format.table;

    @Mixin Stores stores;

    @Override
    Options options() {
      if (query.isBlank()) {
        throw new ParameterException(spec.commandLine(), "The query is empty");
      }
      return new Options(
          spec.name(), List.of(), false, stores.paths(), stores.schemas.dir, query, format);
    }
  }

  /** The project's version and the Spark and Delta versions it runs on. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }

  static int run(Options options) {
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
    try (Progress progress = Progress.start(spark)) {
      if (options.command().equals("sql")) {
        LakehousePaths paths =
            options.paths().qualified(spark.sparkContext().hadoopConfiguration());
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

  /**
   * The sql command's result on standard output: a table (at most {@link #TABLE_ROWS} rows), CSV or
   * JSON lines.
   */
  private static void print(Dataset<Row> result, Format format) {
    switch (format) {
      case json -> result.toJSON().toLocalIterator().forEachRemaining(System.out::println);
      case csv -> {
        System.out.println(
            String.join(
                ",", java.util.Arrays.stream(result.columns()).map(Pipeline::csvField).toList()));
        result
            .toLocalIterator()
            .forEachRemaining(
                r -> {
                  List<String> fields = new ArrayList<>();
                  for (int i = 0; i < r.length(); i++) {
                    fields.add(r.isNullAt(i) ? "" : csvField(String.valueOf(r.get(i))));
                  }
                  System.out.println(String.join(",", fields));
                });
      }
      case table -> {
        long rows = result.count();
        result.show(TABLE_ROWS, false);
        if (rows > TABLE_ROWS) {
          System.out.println(
              "("
                  + TABLE_ROWS
                  + " of "
                  + rows
                  + " rows shown; --format csv or json prints them all)");
        }
      }
    }
  }

  private static String csvField(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n")
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
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
    return "ai-valuation-gap "
        + p.getProperty("version", "(version unknown)")
        + " (Spark "
        + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + ", Delta "
        + io.delta.package$.MODULE$.VERSION()
        + ")";
  }
}
