package org.aigap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aigap.core.LakehousePaths;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static long lineCount(String file) {
    try {
      return Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve(file)).size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Runs a command line as main does and returns its exit code and the last line it printed on
   * stderr.
   */
  private static String[] execute(String... args) {
    java.io.PrintStream stderr = System.err;
    var captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      int exit = Pipeline.execute(args);
      List<String> lines =
          captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      return new String[] {
        String.valueOf(exit), lines.isEmpty() ? "" : lines.get(lines.size() - 1)
      };
    } finally {
      System.setErr(stderr);
    }
  }

  @Test
  void versionNamesTheProjectAndTheSparkAndDeltaItRunsOn() {
    assertNull(Pipeline.parse("--version"), "--version runs nothing");
    assertTrue(
        Pipeline.version()
            .matches(
                "ai-valuation-gap \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Spark 4\\.\\d+\\.\\d+, Delta"
                    + " 4\\.\\d+\\.\\d+\\)"),
        Pipeline.version());
  }

  @Test
  void everyCommandHasItsOwnHelpSayingWhatItReadsAndWrites() {
    assertNull(Pipeline.parse("--help"));
    assertNull(Pipeline.parse("sql", "--help"), "help needs no query");
    var cli = Pipeline.commandLine();
    String help = cli.getUsageMessage();
    for (String command :
        List.of(
            "ingest", "conform", "metrics", "all", "run", "plan", "graph", "dictionary", "sql")) {
      assertTrue(help.contains("  " + command + " "), "help names " + command);
    }
    assertTrue(help.contains("2   a usage error"), "the exit codes are documented");
    assertTrue(cli.getSubcommands().get("ingest").getUsageMessage().contains("reads RAW/*.csv"));
    assertTrue(
        cli.getSubcommands().get("metrics").getUsageMessage().contains("writes OUTPUTS/<output>/"));
    assertTrue(cli.getSubcommands().get("run").getUsageMessage().contains("--select=SELECTOR"));
    assertTrue(
        !cli.getSubcommands().get("ingest").getUsageMessage().contains("--select"),
        "ingest has no selection");
  }

  @Test
  void pathsDefaultToFoldersUnderTheProjectAndAcceptAnyUri() {
    Pipeline.Options defaults = Pipeline.parse("all");
    assertEquals(List.of("bronze", "silver", "gold"), defaults.selection());
    assertEquals(LakehousePaths.DEFAULT_WAREHOUSE, defaults.paths().warehouse());
    Pipeline.Options custom =
        Pipeline.parse("ingest", "--warehouse", "s3a://bucket/wh/", "--raw", "hdfs://nn/raw");
    assertEquals(List.of("bronze"), custom.selection());
    assertEquals("s3a://bucket/wh", custom.paths().warehouse());
    assertEquals("hdfs://nn/raw", custom.paths().raw());
    Pipeline.Options selected =
        Pipeline.parse("run", "--select", "silver.facts+", "--select=gold", "--full-refresh");
    assertEquals(List.of("silver.facts+", "gold"), selected.selection());
    assertTrue(selected.fullRefresh());
    Pipeline.Options sql = Pipeline.parse("sql", "select 1", "--format", "csv");
    assertEquals("select 1", sql.query());
    assertEquals(Pipeline.Format.csv, sql.format());
  }

  @Test
  void aUsageErrorEndsOnOneLineNamingTheBadOptionAndExitsWithTwo() {
    assertArrayEquals(
        new String[] {
          "2",
          "FAILED: Unmatched argument at index 0: 'aggregate-all'; did you mean all or graph? (see"
              + " aigap --help)"
        },
        execute("aggregate-all"));
    assertArrayEquals(
        new String[] {
          "2", "FAILED: Unmatched argument at index 0: 'rum'; did you mean run? (see aigap --help)"
        },
        execute("rum"));
    assertArrayEquals(
        new String[] {
          "2",
          "FAILED: Unknown option: '--ful-refresh'; did you mean --full-refresh? (see aigap run"
              + " --help)"
        },
        execute("run", "--ful-refresh"));
    assertArrayEquals(
        new String[] {
          "2", "FAILED: Missing required parameter for option '--raw' (PATH) (see aigap all --help)"
        },
        execute("all", "--raw"));
    assertArrayEquals(
        new String[] {"2", "FAILED: Missing required parameter: 'QUERY' (see aigap sql --help)"},
        execute("sql"));
    assertEquals("2", execute("sql", "select 1", "--format", "xml")[0]);
    assertTrue(
        execute("sql", "select 1", "--format", "xml")[1].contains(
            "'--format': expected one of [table, csv, json]"));
    assertEquals(
        "2", execute("ingest", "--select", "facts")[0], "--select goes with run or plan only");
    assertArrayEquals(new String[] {"2", "FAILED: No command given (see aigap --help)"}, execute());
  }

  @Test
  void aSelectorThatNamesNoDatasetIsAUsageErrorAndNothingRuns() {
    String[] result =
        execute("run", "--select", "silver.nope", "--warehouse", "/nonexistent/never-created");
    assertEquals("2", result[0]);
    assertTrue(
        result[1].startsWith(
            "FAILED: No dataset matches 'silver.nope'; datasets are [bronze.facts, "),
        result[1]);
    assertTrue(!Files.exists(Path.of("/nonexistent/never-created")));
  }

  @Test
  void aWholeRunSucceedsAndEveryDeclaredTableAndOutputExists() throws IOException {
    ShippedRun run = ShippedRun.get();
    assertEquals(
        List.of("ingest", "conform", "metrics"), run.records.stream().map(RunRecord::job).toList());
    run.records.forEach(r -> assertEquals("succeeded", r.outcome(), r.job()));
    SchemaCatalog schemas = TestLakehouse.schemas();
    for (TableSchema raw : schemas.layer(SchemaCatalog.RAW)) {
      assertTrue(
          DeltaTable.isDeltaTable(
              run.ctx.spark(), run.ctx.paths().table("bronze", raw.bronzeTable())),
          raw.bronzeTable());
    }
    for (TableSchema silver : schemas.layer(SchemaCatalog.SILVER)) {
      assertTrue(
          DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("silver", silver.name())),
          silver.name());
    }
    for (TableSchema gold : schemas.layer(SchemaCatalog.GOLD)) {
      Path out = Path.of(java.net.URI.create(run.ctx.paths().output(gold.name())));
      assertTrue(Files.exists(out.resolve("_manifest.json")), gold.name() + " has a manifest");
      assertEquals(
          gold.columnNames(),
          List.of(run.output(gold.name()).columns()),
          gold.name() + " columns as declared");
    }
    assertTrue(DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("audit", "run_log")));
    assertTrue(
        DeltaTable.isDeltaTable(run.ctx.spark(), run.ctx.paths().table("bronze", "quarantine")));
  }

  @Test
  void aSecondRunOnTheSameDataSkipsEveryDatasetAndSaysWhy() {
    ShippedRun run = ShippedRun.get();
    List<RunRecord> again = Runs.select(run.lakehouse.newRun(), "bronze", "silver", "gold");
    List<RunRecord.TableCounts> datasets =
        again.stream().flatMap(r -> r.tables().stream()).toList();
    assertEquals(Registry.graph(TestLakehouse.schemas()).inRunOrder().size(), datasets.size());
    for (RunRecord.TableCounts t : datasets) {
      assertEquals("skipped", t.action(), t.dataset());
      assertTrue(t.reason().startsWith("unchanged since run "), t.reason());
    }
  }

  @Test
  void theBronzeFactsTableHoldsEveryLineOfTheExtractAndHasAHistory() throws IOException {
    ShippedRun run = ShippedRun.get();
    long dataLines = Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve("facts.csv")).size() - 1;
    assertEquals(dataLines, run.bronze("bronze_facts").count());
    DeltaTable facts =
        DeltaTable.forPath(run.ctx.spark(), run.ctx.paths().table("bronze", "bronze_facts"));
    List<String> operations =
        facts
            .history()
            .orderBy("version")
            .select("operation")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertEquals(
        List.of("WRITE"), operations, "created with its constraint and its rows in one commit");
  }

  @Test
  void theRunLogRecordsEachJobWithNothingLost() {
    ShippedRun run = ShippedRun.get();
    var log =
        run.ctx
            .spark()
            .read()
            .format("delta")
            .load(run.ctx.paths().table("audit", "run_log"))
            .filter("run_id = '" + run.ctx.runId() + "'");
    assertEquals(3, log.count());
    Row ingest = log.filter("job = 'ingest'").first();
    List<Row> inputs = ingest.getList(ingest.fieldIndex("inputs"));
    assertEquals(
        TestLakehouse.schemas().layer(SchemaCatalog.RAW).size(),
        inputs.size(),
        "one input per raw extract");
    for (Row input : inputs) {
      assertEquals(64, input.<String>getAs("sha256").length(), "SHA-256 of " + input.getAs("path"));
    }
    List<Row> tables = ingest.getList(ingest.fieldIndex("tables"));
    long factsLines = lineCount("facts.csv") - 1;
    Row facts =
        tables.stream()
            .filter(t -> t.getAs("table_name").equals("bronze_facts"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        factsLines, facts.<Long>getAs("rows_read"), "every data line of facts.csv is counted");
    assertTrue(facts.<Double>getAs("seconds") > 0, "the time spent on the table is recorded");
  }
}
