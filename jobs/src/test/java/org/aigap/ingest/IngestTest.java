package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.aigap.Runs;
import org.aigap.SharedSpark;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.aigap.core.Expectation;
import org.aigap.core.Level;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestTest {
  private static TableSchema facts() {
    return TestLakehouse.schemas().get(SchemaCatalog.RAW, "facts");
  }

  private static int lineOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line starts with " + prefix);
  }

  /** The quarantine rows for a line, as "column | check | reason". */
  private static List<String> quarantined(RunContext ctx, TestLakehouse lake, int line) {
    List<String> out = new ArrayList<>();
    for (Row r :
        ctx.spark()
            .read()
            .format("delta")
            .load(lake.table("bronze", "quarantine"))
            .filter("line = " + line)
            .orderBy("check")
            .collectAsList()) {
      out.add(r.getAs("column") + " | " + r.getAs("check") + " | " + r.getAs("reason"));
    }
    return out;
  }

  /** Runs {@code ingest} on the path of a large file (staged) or of a small one (cached). */
  private static <T> T sized(boolean staged, Supplier<T> ingest) {
    return staged
        ? SharedSpark.withSettings(Map.of(Ingest.CACHE_MAX_BYTES, "0"), ingest)
        : ingest.get();
  }

  /** What is left in the warehouse's staging folder. */
  private static List<String> staging(TestLakehouse lake) {
    Path folder = Path.of(lake.paths().warehouse(), "_staging");
    try (Stream<Path> left = Files.exists(folder) ? Files.walk(folder).skip(1) : Stream.empty()) {
      return left.map(p -> folder.relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void badRowsGoToQuarantineWithFileLineColumnAndReasonAndNothingIsLost(@TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    lake.editLine(
        "facts.csv", "tesla_market_cap_2025,", l -> l.replace(",currency,USD,", ",currency,RMBX,"));
    lake.editLine("facts.csv", "moonshot_valuation_2025,", l -> l.replace(",33,50,", ",50,33,"));
    lake.editLine("facts.csv", "openai_revenue_2025_h1,", l -> l.replace(",43,43,", ",4x3,43,"));
    lake.editLine(
        "facts.csv", "zai_enterprise_clients_2025_h1,", l -> l.replace("2025-06-30", "2025-06-31"));
    lake.editLine(
        "facts.csv",
        "zai_revenue_growth_yoy_2025_h1,",
        l -> l.replaceFirst(",2025-06-30,", ",2025-06,"));
    List<String> lines = lake.lines("facts.csv");
    lines.add(5, "");
    lines.add(9, "");
    lines.add("only_two,fields");
    lines.add("broken_quote,\"never closed");
    lake.write("facts.csv", lines);

    RunContext ctx = lake.newRun();
    RunRecord.TableCounts counts = Runs.ingest(ctx, facts()).tables().get(0);

    assertEquals(
        List.of("currency | currency_allowed | 'RMBX' is not one of USD, CNY, HKD"),
        quarantined(ctx, lake, lineOf(lines, "tesla_market_cap_2025,")));
    assertEquals(
        List.of(
            "value_low+value_high | low_not_above_high | value_low must not exceed value_high"
                + " (value_low=50, value_high=33)"),
        quarantined(ctx, lake, lineOf(lines, "moonshot_valuation_2025,")));
    assertEquals(
        List.of("value_low | value_low_type | '4x3' is not a valid decimal(38,12)"),
        quarantined(ctx, lake, lineOf(lines, "openai_revenue_2025_h1,")));
    assertEquals(
        List.of("as_of_date | as_of_date_type | '2025-06-31' is not a valid date"),
        quarantined(ctx, lake, lineOf(lines, "zai_enterprise_clients_2025_h1,")));
    assertEquals(
        List.of("period_end | period_end_type | '2025-06' is not a valid date"),
        quarantined(ctx, lake, lineOf(lines, "zai_revenue_growth_yoy_2025_h1,")));
    assertEquals(List.of("* | well_formed | blank line"), quarantined(ctx, lake, 6));
    assertEquals(
        List.of("* | well_formed | blank line"),
        quarantined(ctx, lake, 10),
        "identical bad lines are each recorded");
    int fields = lines.get(0).split(",", -1).length; // the header's
    assertEquals(
        List.of("* | well_formed | expected " + fields + " fields, found 2 (delimiter ',')"),
        quarantined(ctx, lake, lines.size() - 1));
    assertEquals(
        List.of(
            "* | well_formed | unterminated quoted field starting at character 14 (a record may not"
                + " span lines)"),
        quarantined(ctx, lake, lines.size()));
    Row any =
        ctx.spark()
            .read()
            .format("delta")
            .load(lake.table("bronze", "quarantine"))
            .filter("line = 6")
            .first();
    assertTrue(
        any.<String>getAs("source_file").endsWith("/raw/facts.csv"),
        "the quarantine names the file");

    long dataLines = lines.size() - 1;
    assertEquals(dataLines, counts.rowsRead());
    assertEquals(9, counts.rowsQuarantined());
    assertEquals(dataLines - 9, counts.rowsAccepted());
    assertEquals(
        counts.rowsAccepted(),
        ctx.spark().read().format("delta").load(lake.table("bronze", "bronze_facts")).count());
  }

  @Test
  void aHeaderThatDoesNotMatchItsSchemaFailsBeforeAnyWrite(@TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    List<String> lines = lake.lines("facts.csv");
    lines.set(0, lines.get(0).replace("value_low,value_high", "value_high,value_low"));
    lake.write("facts.csv", lines);
    RunContext ctx = lake.newRun();
    PipelineException e = assertThrows(PipelineException.class, () -> Runs.ingest(ctx, facts()));
    assertTrue(e.getMessage().startsWith("Cannot ingest "), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "/raw/facts.csv line 1: header does not match its schema: columns are out of"
                    + " order"),
        e.getMessage());
    assertFalse(DeltaTable.isDeltaTable(ctx.spark(), lake.table("bronze", "bronze_facts")));

    lines.set(0, lines.get(0).replace(",note", ""));
    lake.write("facts.csv", lines);
    PipelineException missing =
        assertThrows(PipelineException.class, () -> Runs.ingest(lake.newRun(), facts()));
    assertTrue(
        missing.getMessage().contains("missing columns [note], unexpected columns []"),
        missing.getMessage());
  }

  @ParameterizedTest(name = "staged: {0}")
  @ValueSource(booleans = {false, true})
  void aFailLevelExpectationStopsTheJobNamingFileLineAndColumn(boolean staged, @TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    lake.editLine(
        "facts.csv", "unitree_valuation_2025,", l -> l.replace(",宇树科技,", ",=HYPERLINK(1),"));
    TableSchema strict =
        new TableSchema(
            "facts",
            "raw",
            "facts with a fail-level rule",
            "facts.csv",
            "bronze_strict_facts",
            null,
            Map.of(),
            facts().key(),
            facts().columns(),
            List.of(
                new Expectation(
                    "no_formula",
                    Level.FAIL,
                    List.of("entity_name"),
                    "entity_name NOT LIKE '=%'",
                    "a name must not start with =")));
    RunContext ctx = lake.newRun();
    PipelineException e =
        assertThrows(PipelineException.class, () -> sized(staged, () -> Runs.ingest(ctx, strict)));
    int line = lineOf(lake.lines("facts.csv"), "unitree_valuation_2025,");
    assertTrue(
        e.getMessage()
            .endsWith(
                "/raw/facts.csv line "
                    + line
                    + ": column entity_name: a name must not start with ="
                    + " (entity_name==HYPERLINK(1))"),
        e.getMessage());
    assertFalse(DeltaTable.isDeltaTable(ctx.spark(), lake.table("bronze", "bronze_strict_facts")));
    assertEquals(List.of(), staging(lake), "the staged table removed");
    Row log = ctx.spark().read().format("delta").load(lake.table("audit", "run_log")).first();
    assertEquals("failed", log.getAs("outcome"));
    assertEquals(e.getMessage(), log.getAs("error"));
  }

  @Test
  void aSecondRunOnAnUnchangedFileIsSkippedAndChangesNoTable(@TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    RunRecord first = Runs.ingest(lake.newRun(), facts());
    RunRecord second = Runs.ingest(lake.newRun(), facts());
    RunRecord.TableCounts a = first.tables().get(0);
    RunRecord.TableCounts b = second.tables().get(0);
    assertEquals("computed", a.action());
    assertEquals("skipped", b.action());
    assertEquals("unchanged since run " + first.runId(), b.reason());
    assertEquals(a.fingerprint(), b.fingerprint());
    assertEquals(a.deltaVersion(), b.deltaVersion(), "no new Delta version");
  }

  @ParameterizedTest(name = "staged: {0}")
  @ValueSource(booleans = {false, true})
  void aWriterThatBypassesTheJobCannotBreakTheDeclaredRules(boolean staged, @TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    RunContext ctx = lake.newRun();
    sized(staged, () -> Runs.ingest(ctx, facts())); // staged: the constraint declared on publishing
    var table = ctx.spark().read().format("delta").load(lake.table("bronze", "bronze_facts"));
    var bad =
        table
            .limit(1)
            .withColumn("fact_id", org.apache.spark.sql.functions.lit("bypass"))
            .withColumn("currency", org.apache.spark.sql.functions.lit("RMBX"));
    // The refused writes are expected: keep their task failures out of the build log.
    List<String> noisy =
        List.of(
            "org.apache.spark.executor.Executor",
            "org.apache.spark.scheduler.TaskSetManager",
            "org.apache.spark.sql.delta");
    noisy.forEach(
        l ->
            org.apache.logging.log4j.core.config.Configurator.setLevel(
                l, org.apache.logging.log4j.Level.OFF));
    try {
      Exception e =
          assertThrows(
              Exception.class,
              () ->
                  bad.write()
                      .format("delta")
                      .mode("append")
                      .save(lake.table("bronze", "bronze_facts")));
      assertTrue(e.getMessage().contains("declared_rules"), e.getMessage());
      var nulls =
          table
              .limit(1)
              .withColumn("quote", org.apache.spark.sql.functions.lit(null).cast("string"));
      Exception n =
          assertThrows(
              Exception.class,
              () ->
                  nulls
                      .write()
                      .format("delta")
                      .mode("append")
                      .save(lake.table("bronze", "bronze_facts")));
      assertTrue(n.getMessage().contains("quote"), n.getMessage());
    } finally {
      noisy.forEach(
          l ->
              org.apache.logging.log4j.core.config.Configurator.setLevel(
                  l, org.apache.logging.log4j.Level.WARN));
    }
  }

  @ParameterizedTest(name = "staged: {0}")
  @ValueSource(booleans = {false, true})
  void aChangedRowUpdatesOnlyThatRow(boolean staged, @TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    Runs.ingest(lake.newRun(), facts());
    lake.editLine(
        "facts.csv", "tesla_market_cap_2025,", l -> l.replace(",1.34,1.34,", ",1.35,1.35,"));
    RunContext second = lake.newRun();
    sized(staged, () -> Runs.ingest(second, facts())); // MERGEd from the staged table
    assertEquals(List.of(), staging(lake));
    var table = second.spark().read().format("delta").load(lake.table("bronze", "bronze_facts"));
    List<Row> touched = table.filter("_ingest_run_id = '" + second.runId() + "'").collectAsList();
    assertEquals(1, touched.size());
    assertEquals("tesla_market_cap_2025", touched.get(0).getAs("fact_id"));
    Row merge =
        DeltaTable.forPath(second.spark(), lake.table("bronze", "bronze_facts")).history(1).first();
    Map<String, String> metrics = merge.getJavaMap(merge.fieldIndex("operationMetrics"));
    assertEquals("1", metrics.get("numTargetRowsUpdated"));
    assertEquals("0", metrics.get("numTargetRowsInserted"));
  }

  @Test
  void duplicateKeysWithConflictingValuesAreAllQuarantinedAndIdenticalOnesKeptOnce(
      @TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    List<String> lines = lake.lines("facts.csv");
    String tesla = lines.get(lineOf(lines, "tesla_market_cap_2025,") - 1);
    String xpeng = lines.get(lineOf(lines, "xpeng_market_cap_2025,") - 1);
    lines.add(tesla.replace(",1.34,1.34,", ",1.5,1.5,"));
    lines.add(xpeng);
    lake.write("facts.csv", lines);
    RunContext ctx = lake.newRun();
    RunRecord.TableCounts counts = Runs.ingest(ctx, facts()).tables().get(0);
    int first = lineOf(lines, "tesla_market_cap_2025,");
    int copy = lines.size() - 1;
    String reason =
        "fact_id | key_unique | key fact_id = tesla_market_cap_2025 is given with different values"
            + " on lines "
            + first
            + ", "
            + copy;
    assertEquals(List.of(reason), quarantined(ctx, lake, first));
    assertEquals(List.of(reason), quarantined(ctx, lake, copy));
    assertEquals(2, counts.conflictingRows());
    assertEquals(1, counts.duplicateRows());
    assertEquals(counts.rowsRead(), counts.rowsAccepted() + counts.rowsQuarantined());
    var table = ctx.spark().read().format("delta").load(lake.table("bronze", "bronze_facts"));
    assertEquals(0, table.filter("fact_id = 'tesla_market_cap_2025'").count());
    assertEquals(1, table.filter("fact_id = 'xpeng_market_cap_2025'").count());
  }

  @Test
  void aLargeFileIsStagedThenMovedIntoPlaceAsTheTablesFirstCommit(@TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    RunContext ctx = lake.newRun();
    RunRecord.TableCounts counts = sized(true, () -> Runs.ingest(ctx, facts())).tables().get(0);

    long lines = lake.lines("facts.csv").size() - 1;
    assertEquals(
        List.of(lines, lines, 0L, 0L),
        List.of(
            counts.rowsRead(),
            counts.rowsAccepted(),
            counts.rowsQuarantined(),
            counts.deltaVersion()));
    String table = lake.table("bronze", "bronze_facts");
    List<Row> history = DeltaTable.forPath(ctx.spark(), table).history().collectAsList();
    assertEquals(1, history.size(), "one commit: schema, constraints and data together");
    assertTrue(history.get(0).<String>getAs("userMetadata").contains(ctx.runId()));
    assertEquals(List.of(), staging(lake), "the staged table moved, its run folder removed");
    // The same protocol and properties (the constraint among them) as the table Delta created with
    // the constraint from the same file in memory, and the same rows.
    ShippedRun shipped = ShippedRun.get();
    String created = shipped.ctx.paths().table(SchemaCatalog.BRONZE, "bronze_facts");
    String[] declared = {"minReaderVersion", "minWriterVersion", "tableFeatures", "properties"};
    Row published = DeltaTable.forPath(ctx.spark(), table).detail().selectExpr(declared).head();
    assertEquals(
        DeltaTable.forPath(ctx.spark(), created).detail().selectExpr(declared).head(), published);
    assertTrue(
        published
            .<scala.collection.Map<String, String>>getAs("properties")
            .contains("delta.constraints.declared_rules"));
    assertEquals(bronzeRows(created), bronzeRows(table));
  }

  @Test
  void aNewTablesStagedFilesAreMovedIntoPlaceNotWrittenAgain(@TempDir Path dir) throws IOException {
    TestLakehouse lake = new TestLakehouse(dir);
    RunContext ctx = lake.newRun();
    Ingest ingest = new Ingest(ctx);
    RawFile file =
        RawFile.open(
            ctx.paths().rawFile("facts.csv"),
            facts(),
            ctx.spark().sparkContext().hadoopConfiguration());
    Ingest.Checked checked =
        sized(true, () -> ingest.check(facts(), file, "{\"run_id\":\"" + ctx.runId() + "\"}"));
    List<String> staged = dataFiles(Path.of(java.net.URI.create(checked.staged())));
    assertFalse(staged.isEmpty());

    String table = ctx.paths().table(SchemaCatalog.BRONZE, "bronze_facts");
    ingest.write(checked, table);
    assertEquals(staged, dataFiles(Path.of(java.net.URI.create(table))), "the same files");
  }

  private static List<String> dataFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.list(table)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }

  /** A bronze table's rows, less the lineage that names the lakehouse and the run. */
  private static List<String> bronzeRows(String table) {
    return SharedSpark.get()
        .read()
        .format("delta")
        .load(table)
        .drop("_source_file", "_ingest_run_id")
        .orderBy("fact_id")
        .collectAsList()
        .stream()
        .map(r -> r.mkString("|"))
        .toList();
  }

  @Test
  void aLargeFileWithRepeatedKeysIsStagedWithTheSameOutcomeAsASmallOne(@TempDir Path dir) {
    List<TestLakehouse> lakes =
        List.of(new TestLakehouse(dir.resolve("cached")), new TestLakehouse(dir.resolve("staged")));
    for (TestLakehouse lake : lakes) {
      List<String> lines = lake.lines("facts.csv");
      String tesla = lines.get(lineOf(lines, "tesla_market_cap_2025,") - 1);
      lines.add(tesla.replace(",1.34,1.34,", ",1.5,1.5,"));
      lines.add(lines.get(lineOf(lines, "xpeng_market_cap_2025,") - 1));
      lines.add(
          lines
              .get(lineOf(lines, "openai_valuation_2025_10,") - 1)
              .replace("openai_valuation_2025_10,", "openai_copy,")
              .replace(",USD,", ",RMBX,"));
      lake.write("facts.csv", lines);
    }
    List<List<String>> outcomes = new ArrayList<>();
    for (TestLakehouse lake : lakes) {
      RunContext ctx = lake.newRun();
      boolean staged = lake == lakes.get(1);
      RunRecord.TableCounts counts = sized(staged, () -> Runs.ingest(ctx, facts())).tables().get(0);
      List<String> outcome = new ArrayList<>();
      outcome.add(
          List.of(
                  counts.rowsRead(),
                  counts.rowsAccepted(),
                  counts.rowsQuarantined(),
                  counts.duplicateRows(),
                  counts.conflictingRows())
              .toString());
      for (Row r :
          ctx.spark()
              .read()
              .format("delta")
              .load(lake.table("bronze", "quarantine"))
              .orderBy("line", "check")
              .collectAsList()) {
        outcome.add(
            r.getAs("line")
                + " | "
                + r.getAs("column")
                + " | "
                + r.getAs("check")
                + " | "
                + r.getAs("reason"));
      }
      for (Row r :
          ctx.spark()
              .read()
              .format("delta")
              .load(lake.table("bronze", "bronze_facts"))
              .drop("_source_file", "_ingest_run_id")
              .orderBy("fact_id")
              .collectAsList()) {
        outcome.add(r.mkString("|"));
      }
      outcomes.add(outcome);
    }
    assertEquals(
        "[49, 46, 3, 1, 2]",
        outcomes.get(0).get(0),
        "read, accepted, quarantined, duplicates, conflicting");
    assertEquals(outcomes.get(0), outcomes.get(1));
    assertEquals(List.of(), staging(lakes.get(1)));
  }
}
