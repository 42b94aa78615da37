package org.aigap.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.aigap.SharedSpark;
import org.aigap.TestLakehouse;
import org.aigap.core.Json;
import org.aigap.core.LakehousePaths;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runner on a graph of its own: two raw extracts (orders, rates), a silver table with a
 * quarantine and a fail rule, and a gold SQL output; tiny files in a temporary lakehouse.
 */
class RunnerTest {
  @TempDir Path dir;
  private LakehousePaths paths;

  private static TableSchema schema(String layer, String json) {
    try {
      return Json.MAPPER.readValue(json, TableSchema.class).withLayer(layer);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final TableSchema ORDERS_RAW =
      schema(
          "raw",
          """
          {"name": "orders", "file": "orders.csv", "bronze_table": "bronze_orders", "key": ["id"], "columns": [
            {"name": "id", "type": "string", "nullable": false},
            {"name": "region", "type": "string", "nullable": false},
            {"name": "amount", "type": "decimal(18,2)", "nullable": false, "min": "0"}]}\
          """);
  private static final TableSchema REGIONS_RAW =
      schema(
          "raw",
          """
          {"name": "regions", "file": "regions.csv", "bronze_table": "bronze_regions", "key": ["region"], "columns": [
            {"name": "region", "type": "string", "nullable": false},
            {"name": "name", "type": "string", "nullable": false}]}\
          """);
  private static final TableSchema ORDERS =
      schema(
          "silver",
          """
          {"name": "orders", "key": ["id"], "columns": [
            {"name": "id", "type": "string", "nullable": false},
            {"name": "region_name", "type": "string", "nullable": false},
            {"name": "amount", "type": "decimal(18,2)", "nullable": false},
            {"name": "bronze_version", "type": "long", "nullable": false}]}\
          """);
  private static final TableSchema TOTALS =
      schema(
          "gold",
          """
          {"name": "totals", "description": "amount per region", "columns": [
            {"name": "region_name", "type": "string", "nullable": false},
            {"name": "total", "type": "decimal(28,2)", "nullable": false},
            {"name": "run_id", "type": "string", "nullable": false}]}\
          """);

  private static final Rule REGION_KNOWN =
      Rule.quarantine(
          "region_known",
          "region",
          "region_name IS NOT NULL",
          "concat('region ''', region, ''' is unknown')");
  private static final Rule NOT_HUGE =
      Rule.fail(
          "not_huge", "amount", "amount < 1000000", "concat('amount ', amount, ' is implausible')");

  private static DatasetDef silverOrders(Function<Inputs, Dataset<Row>> transform) {
    return silverOrders(transform, List.of(REGION_KNOWN, NOT_HUGE));
  }

  private static DatasetDef silverOrders(
      Function<Inputs, Dataset<Row>> transform, List<Rule> rules) {
    return DatasetDef.silver(
        ORDERS,
        List.of("bronze.orders", "bronze.regions"),
        "bronze.orders",
        rules,
        transform::apply);
  }

  private static Dataset<Row> joinRegions(Inputs in) {
    return in.get("bronze.orders")
        .join(
            in.get("bronze.regions")
                .withColumnRenamed("name", "region_name")
                .drop("_row_hash", "_source_file", "_source_line", "_ingest_run_id"),
            org.aigap.core.Frames.seq("region"),
            "left");
  }

  private static DataflowGraph graph() {
    return DataflowGraph.of(
        List.of(
            DatasetDef.bronze(ORDERS_RAW),
            DatasetDef.bronze(REGIONS_RAW),
            silverOrders(RunnerTest::joinRegions),
            DatasetDef.gold(
                TOTALS,
                List.of("silver.orders"),
                "SELECT region_name, CAST(sum(amount) AS DECIMAL(28,2)) AS total FROM silver_orders"
                    + " GROUP BY region_name")));
  }

  @BeforeEach
  void lakehouse() throws IOException {
    Files.createDirectories(dir.resolve("raw"));
    write(
        "orders.csv",
        "id,region,amount",
        "o1,eu,10.50",
        "o2,us,20.00",
        "o3,eu,1.25",
        "o4,mars,5.00");
    write("regions.csv", "region,name", "eu,Europe", "us,United States");
    paths =
        new LakehousePaths(
            dir.resolve("raw").toString(),
            dir.resolve("warehouse").toString(),
            dir.resolve("outputs").toString());
  }

  private void write(String file, String... lines) throws IOException {
    Files.writeString(dir.resolve("raw").resolve(file), String.join("\n", lines) + "\n");
  }

  private RunContext ctx() {
    return RunContext.create(SharedSpark.get(), TestLakehouse.schemas(), paths);
  }

  private static List<RunRecord> run(
      RunContext ctx, DataflowGraph graph, boolean fullRefresh, String... selectors) {
    List<String> s =
        selectors.length == 0 ? List.of("bronze", "silver", "gold") : List.of(selectors);
    return new Runner(ctx, graph).run(graph.select(s), fullRefresh);
  }

  /**
   * Runs {@code run} with its inputs taken as small (each result computed once into memory and
   * handed down) or as large (nothing kept in memory, rules counted apart or while written, tables
   * read back): the two ways the runner builds a dataset must give the same tables and errors.
   */
  private static <T> T sized(boolean large, Supplier<T> run) {
    return large
        ? SharedSpark.withSettings(Map.of(SmallData.SMALL_INPUT_BYTES, "0"), run)
        : run.get();
  }

  /** dataset -> "computed" or "skipped: why". */
  private static Map<String, String> actions(List<RunRecord> records) {
    Map<String, String> out = new java.util.TreeMap<>();
    records.forEach(
        r ->
            r.tables()
                .forEach(
                    t ->
                        out.put(
                            t.dataset(), t.action().equals("computed") ? "computed" : "skipped")));
    return out;
  }

  private static RunRecord.TableCounts counts(List<RunRecord> records, String dataset) {
    return records.stream()
        .flatMap(r -> r.tables().stream())
        .filter(t -> t.dataset().equals(dataset))
        .findFirst()
        .orElseThrow();
  }

  private Dataset<Row> table(String layer, String name) {
    return SharedSpark.get().read().format("delta").load(paths.table(layer, name));
  }

  @Test
  void aFirstRunComputesEverythingAndAnUnchangedRerunSkipsEverythingSayingWhy() {
    List<RunRecord> first = run(ctx(), graph(), false);
    assertEquals(
        Map.of(
            "bronze.orders",
            "computed",
            "bronze.regions",
            "computed",
            "silver.orders",
            "computed",
            "gold.totals",
            "computed"),
        actions(first));
    assertEquals(
        List.of("ingest", "conform", "metrics"),
        first.stream().map(RunRecord::job).toList(),
        "one record per layer");
    assertEquals("not built yet", counts(first, "silver.orders").reason());

    List<RunRecord> second = run(ctx(), graph(), false);
    assertEquals(
        Map.of(
            "bronze.orders",
            "skipped",
            "bronze.regions",
            "skipped",
            "silver.orders",
            "skipped",
            "gold.totals",
            "skipped"),
        actions(second));
    String runId = first.get(0).runId();
    second.forEach(
        r ->
            r.tables()
                .forEach(
                    t -> assertEquals("unchanged since run " + runId, t.reason(), t.dataset())));
    assertEquals(
        counts(first, "silver.orders").deltaVersion(),
        counts(second, "silver.orders").deltaVersion(),
        "no new version");
    assertEquals(
        counts(first, "silver.orders").fingerprint(),
        counts(second, "silver.orders").fingerprint());

    List<RunRecord> refreshed = run(ctx(), graph(), true);
    assertTrue(
        actions(refreshed).values().stream().allMatch("computed"::equals),
        "--full-refresh recomputes all");
    assertEquals("full refresh", counts(refreshed, "gold.totals").reason());
  }

  /** When a transform ran and on which thread: [start, end) in nanoseconds. */
  private record Call(String thread, long start, long end) {
    boolean overlaps(Call other) {
      return start < other.end && other.start < end;
    }
  }

  /**
   * The orders graph with a second silver table beside silver.orders, both from the same inputs
   * with the same quarantine rule, each transform taking half a second and recording its calls.
   */
  private static DataflowGraph twoSilverTables(List<Call> calls) {
    TableSchema copy =
        schema(
            "silver",
            Json.canonical(ORDERS).replace("\"name\":\"orders\"", "\"name\":\"orders_copy\""));
    Transform slow =
        in -> {
          long start = System.nanoTime();
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          synchronized (calls) {
            calls.add(new Call(Thread.currentThread().getName(), start, System.nanoTime()));
          }
          return joinRegions(in);
        };
    return DataflowGraph.of(
        List.of(
            DatasetDef.bronze(ORDERS_RAW),
            DatasetDef.bronze(REGIONS_RAW),
            DatasetDef.silver(
                ORDERS,
                List.of("bronze.orders", "bronze.regions"),
                "bronze.orders",
                List.of(REGION_KNOWN),
                slow),
            DatasetDef.silver(
                copy,
                List.of("bronze.orders", "bronze.regions"),
                "bronze.orders",
                List.of(REGION_KNOWN),
                slow)));
  }

  @Test
  void smallDatasetsWhoseInputsAreDoneRunAtOnceAndTheRunLogListsThemInRunOrder() {
    List<Call> calls = new ArrayList<>();
    DataflowGraph graph = twoSilverTables(calls);
    List<RunRecord> records =
        SharedSpark.withSettings(
            Map.of(Runner.PARALLEL_DATASETS, "2"), () -> run(ctx(), graph, false));
    List<String> inRunOrder = graph.inRunOrder().stream().map(DatasetDef::name).toList();
    assertEquals(
        inRunOrder,
        records.stream()
            .flatMap(r -> r.tables().stream())
            .map(RunRecord.TableCounts::dataset)
            .toList());
    List<Call> run = calls.subList(2, 4); // the first two: validation, before anything runs
    assertTrue(
        run.get(0).overlaps(run.get(1)) && !run.get(0).thread().equals(run.get(1).thread()),
        "the two silver tables were computed at once, on two threads: " + run);
    // Both quarantined o4 (region mars) into the one quarantine table at once, without conflict.
    assertEquals(3, table("silver", "orders").count());
    assertEquals(3, table("silver", "orders_copy").count());
    assertEquals(1, counts(records, "silver.orders_copy").rowsQuarantined());

    // One at a time: in run order, on the caller's thread.
    calls.clear();
    SharedSpark.withSettings(Map.of(Runner.PARALLEL_DATASETS, "1"), () -> run(ctx(), graph, true));
    String caller = Thread.currentThread().getName();
    assertEquals(4, calls.size());
    assertFalse(calls.get(2).overlaps(calls.get(3)), "one after the other: " + calls);
    assertTrue(calls.stream().allMatch(c -> c.thread().equals(caller)), calls.toString());
  }

  @Test
  void aChangedRawFileRecomputesExactlyWhatIsDownstreamOfIt() throws IOException {
    run(ctx(), graph(), false);
    write(
        "orders.csv",
        "id,region,amount",
        "o1,eu,10.50",
        "o2,us,20.00",
        "o3,eu,1.25",
        "o4,mars,5.00",
        "o5,us,1.00");
    List<RunRecord> rerun = run(ctx(), graph(), false);
    assertEquals(
        Map.of(
            "bronze.orders",
            "computed",
            "bronze.regions",
            "skipped",
            "silver.orders",
            "computed",
            "gold.totals",
            "computed"),
        actions(rerun));
    assertEquals("file orders.csv changed", counts(rerun, "bronze.orders").reason());
    assertEquals(
        "input bronze.orders changed (version 0 -> 1)", counts(rerun, "silver.orders").reason());
    Row us =
        org.aigap.metrics.ParquetOutput.read(SharedSpark.get(), paths.output("totals"))
            .filter("region_name = 'United States'")
            .first();
    assertEquals(0, new java.math.BigDecimal("21.00").compareTo(us.getAs("total")));
  }

  @ParameterizedTest(name = "large inputs: {0}")
  @ValueSource(booleans = {false, true})
  void aQuarantinedRowKeepsItsRawRowAndReadEqualsWrittenPlusQuarantined(boolean large) {
    List<RunRecord> records = sized(large, () -> run(ctx(), graph(), false));
    RunRecord.TableCounts orders = counts(records, "silver.orders");
    assertEquals(4, orders.rowsRead());
    assertEquals(3, orders.rowsAccepted());
    assertEquals(1, orders.rowsQuarantined());
    assertEquals(3, table("silver", "orders").count());
    Row q = table("bronze", "quarantine").filter("job = 'conform'").first();
    assertEquals("orders", q.getAs("table_name"));
    assertEquals("region_known", q.getAs("check"));
    assertEquals("region 'mars' is unknown (bronze.orders version 0)", q.getAs("reason"));
    assertEquals(5L, q.<Long>getAs("line"), "the raw file's line (1 = header)");
    assertEquals("{\"id\":\"o4\",\"region\":\"mars\",\"amount\":5.00}", q.getAs("raw_line"));
    assertEquals(
        List.of(0L),
        table("silver", "orders")
            .select("bronze_version")
            .distinct()
            .as(org.apache.spark.sql.Encoders.LONG())
            .collectAsList(),
        "lineage: the version of bronze read");
  }

  @Test
  void aLargeDatasetNoRuleCanStopIsCheckedWhileWrittenAndCountsAsBuiltOnlyOnceItsQuarantineIs()
      throws IOException {
    List<DatasetDef> defs = new ArrayList<>(graph().inRunOrder());
    defs.set(2, silverOrders(RunnerTest::joinRegions, List.of(REGION_KNOWN)));
    DataflowGraph quarantineOnly = DataflowGraph.of(defs);

    // A failing row: the rows kept are written, the write is marked unfinished, the quarantine
    // recorded, and then the fingerprint, in a commit that changes no data (a kill in between
    // leaves a table the next run recomputes).
    List<RunRecord> records = sized(true, () -> run(ctx(), quarantineOnly, false));
    RunRecord.TableCounts orders = counts(records, "silver.orders");
    assertEquals(
        List.of(4L, 3L, 1L),
        List.of(orders.rowsRead(), orders.rowsAccepted(), orders.rowsQuarantined()));
    assertEquals(
        "region 'mars' is unknown (bronze.orders version 0)",
        table("bronze", "quarantine").filter("job = 'conform'").first().getAs("reason"));
    assertEquals(List.of(0L, 1L, 2L), versions("silver", "orders"));
    assertEquals(
        List.of(true, false, true),
        List.of(0L, 1L, 2L).stream().map(v -> fingerprinted("silver", "orders", v)).toList(),
        "the first write is unstamped before the quarantine is recorded");
    assertEquals(
        "SET TBLPROPERTIES",
        io.delta.tables.DeltaTable.forPath(SharedSpark.get(), paths.table("silver", "orders"))
            .history()
            .filter("version = 2")
            .first()
            .getAs("operation"),
        "the rows are written once: the fingerprint follows in a commit that changes no data");
    assertEquals(3, table("silver", "orders").count());

    // Every row passing: one pass, one commit.
    write("orders.csv", "id,region,amount", "o1,eu,10.50", "o2,us,20.00");
    records = sized(true, () -> run(ctx(), quarantineOnly, false));
    orders = counts(records, "silver.orders");
    assertEquals(
        List.of(2L, 2L, 0L),
        List.of(orders.rowsRead(), orders.rowsAccepted(), orders.rowsQuarantined()));
    assertEquals(List.of(0L, 1L, 2L, 3L), versions("silver", "orders"));
    assertTrue(fingerprinted("silver", "orders", 3L));
  }

  private List<Long> versions(String layer, String name) {
    return io.delta.tables.DeltaTable.forPath(SharedSpark.get(), paths.table(layer, name))
        .history()
        .orderBy("version")
        .select("version")
        .as(org.apache.spark.sql.Encoders.LONG())
        .collectAsList();
  }

  private boolean fingerprinted(String layer, String name, long version) {
    String metadata =
        io.delta.tables.DeltaTable.forPath(SharedSpark.get(), paths.table(layer, name))
            .history()
            .filter("version = " + version)
            .first()
            .getAs("userMetadata");
    Fingerprint.Stamp stamp = Fingerprint.Stamp.parse(metadata);
    return stamp != null && stamp.fingerprint() != null;
  }

  @Test
  void aFailRuleStopsTheRunBeforeTheDatasetIsWrittenAndTheRunLogSaysWhy() throws IOException {
    write("orders.csv", "id,region,amount", "o1,eu,10.50", "o2,us,2000000.00");
    RunContext ctx = ctx();
    PipelineException e = assertThrows(PipelineException.class, () -> run(ctx, graph(), false));
    assertEquals(
        "Cannot build silver.orders: row id=o2, column amount: amount 2000000.00 is implausible"
            + " (rule not_huge)",
        e.getMessage());
    assertFalse(
        io.delta.tables.DeltaTable.isDeltaTable(
            SharedSpark.get(), paths.table("silver", "orders")));
    List<Row> log = table("audit", "run_log").orderBy("job").collectAsList();
    assertEquals(
        List.of("conform failed", "ingest succeeded"),
        log.stream().map(r -> r.getAs("job") + " " + r.getAs("outcome")).toList());
    assertEquals(e.getMessage(), log.get(0).getAs("error"));
  }

  @Test
  void aTransformThatLosesARowFailsTheRunNothingDownstreamReadsItAndTheNextRunRecomputesIt() {
    run(ctx(), graph(), false);
    List<DatasetDef> lossy = new ArrayList<>(graph().inRunOrder());
    lossy.set(2, silverOrders(in -> joinRegions(in).filter("id <> 'o1'")));
    PipelineException e =
        assertThrows(
            PipelineException.class,
            () -> run(ctx(), DataflowGraph.of(lossy), true, "silver.orders"));
    assertEquals(
        "Rows lost from bronze.orders -> silver.orders: read 4, but accepted 2 + quarantined 1 = 3",
        e.getMessage());
    PipelineException downstream =
        assertThrows(PipelineException.class, () -> run(ctx(), graph(), false, "gold.totals"));
    assertTrue(
        downstream
            .getMessage()
            .matches(
                "Input silver\\.orders was left incomplete by run \\S+, which failed after"
                    + " writing it: .*"),
        "nothing downstream reads the table that lost a row: " + downstream.getMessage());
    List<RunRecord> again = run(ctx(), graph(), false, "silver.orders");
    assertEquals(
        "computed",
        counts(again, "silver.orders").action(),
        "the failed write carries no fingerprint");
    assertTrue(
        counts(again, "silver.orders").reason().startsWith("its last write carries no fingerprint"),
        counts(again, "silver.orders").reason());
    assertEquals(3, table("silver", "orders").count());
  }

  @Test
  void selectionRunsOneDatasetOrItAndWhatIsDownstream() {
    run(ctx(), graph(), false);
    assertEquals(
        List.of("silver.orders"),
        graph().select(List.of("silver.orders")).stream().map(DatasetDef::name).toList());
    assertEquals(
        Map.of("silver.orders", "computed", "gold.totals", "computed"),
        actions(run(ctx(), graph(), true, "silver.orders+")));
    assertEquals(
        List.of("bronze.regions", "gold.totals"),
        graph().select(List.of("bronze.regions gold.totals")).stream()
            .map(DatasetDef::name)
            .toList(),
        "several selectors: their union");
    assertEquals(
        List.of("bronze.orders", "bronze.regions", "silver.orders"),
        graph().select(List.of("+silver.orders")).stream().map(DatasetDef::name).toList());
    PipelineException ambiguous =
        assertThrows(PipelineException.class, () -> graph().select(List.of("orders")));
    assertTrue(
        ambiguous
            .getMessage()
            .startsWith("'orders' names more than one dataset [bronze.orders, silver.orders]"),
        ambiguous.getMessage());
    PipelineException unknown =
        assertThrows(PipelineException.class, () -> graph().select(List.of("gold.nothing+")));
    assertTrue(
        unknown.getMessage().startsWith("No dataset matches 'gold.nothing+'"),
        unknown.getMessage());
  }

  @Test
  void aSelectedDatasetWhoseInputWasNeverBuiltSaysWhatToRunAndTheRunLogSaysItFailed() {
    PipelineException e =
        assertThrows(PipelineException.class, () -> run(ctx(), graph(), false, "gold.totals"));
    assertTrue(e.getMessage().startsWith("Input silver.orders not found at "), e.getMessage());
    List<Row> log = table("audit", "run_log").collectAsList();
    assertEquals(
        List.of("metrics failed " + e.getMessage()),
        log.stream()
            .map(r -> r.getAs("job") + " " + r.getAs("outcome") + " " + r.getAs("error"))
            .toList());
  }

  @Test
  void thePlanSaysWhatWouldRunAndWhyWithoutWritingAnything() throws IOException {
    Plan fresh = new Runner(ctx(), graph()).plan(graph().inRunOrder(), false);
    assertEquals(
        List.of(
            "RUN not built yet",
            "RUN not built yet",
            "RUN input bronze.orders, bronze.regions will be recomputed",
            "RUN input silver.orders will be recomputed"),
        fresh.steps().stream().map(s -> s.action() + " " + s.reason()).toList());
    assertFalse(Files.exists(dir.resolve("warehouse")), "a plan writes nothing");
    run(ctx(), graph(), false);
    write("regions.csv", "region,name", "eu,Europe", "us,United States", "mars,Mars");
    Plan changed = new Runner(ctx(), graph()).plan(graph().inRunOrder(), false);
    assertEquals(
        List.of("SKIP", "RUN", "RUN", "RUN"),
        changed.steps().stream().map(s -> s.action().name()).toList());
    assertTrue(
        changed.render().contains("bronze.regions  run   file regions.csv changed"),
        changed.render());
    assertTrue(
        changed
            .render()
            .startsWith("Plan: 3 of 4 selected datasets would run, 1 skipped; the graph is valid."),
        changed.render());
  }

  @Test
  void anInvalidGraphIsRefusedNamingTheDatasetBeforeAnythingIsWritten() {
    List<DatasetDef> base = new ArrayList<>(graph().inRunOrder());
    PipelineException unknown =
        assertThrows(
            PipelineException.class,
            () ->
                DataflowGraph.of(
                    List.of(DatasetDef.gold(TOTALS, List.of("silver.nothing"), "SELECT 1"))));
    assertTrue(
        unknown
            .getMessage()
            .startsWith(
                "Invalid dataset gold.totals: its input silver.nothing is not a dataset of the"
                    + " graph"),
        unknown.getMessage());

    TableSchema regions =
        schema(
            "silver",
            "{\"name\": \"regions\", \"columns\": [{\"name\": \"region\", \"type\": \"string\"}]}");
    PipelineException cycle =
        assertThrows(
            PipelineException.class,
            () ->
                DataflowGraph.of(
                    List.of(
                        DatasetDef.silver(
                            ORDERS,
                            List.of("silver.regions"),
                            null,
                            List.of(),
                            in -> in.get("silver.regions")),
                        DatasetDef.silver(
                            regions,
                            List.of("silver.orders"),
                            null,
                            List.of(),
                            in -> in.get("silver.orders")))));
    assertEquals(
        "Invalid dataflow graph: a cycle silver.orders -> silver.regions -> silver.orders",
        cycle.getMessage());

    PipelineException goldInput =
        assertThrows(
            PipelineException.class,
            () ->
                DataflowGraph.of(
                    List.of(
                        DatasetDef.gold(TOTALS, List.of("silver.orders"), "SELECT 1"),
                        DatasetDef.silver(
                            ORDERS,
                            List.of("gold.totals"),
                            null,
                            List.of(),
                            in -> in.get("gold.totals")))));
    assertTrue(
        goldInput
            .getMessage()
            .startsWith("Invalid dataset silver.orders: its input gold.totals is a gold output"),
        goldInput.getMessage());

    base.set(2, silverOrders(in -> joinRegions(in).drop("amount")));
    DataflowGraph lacking = DataflowGraph.of(base);
    PipelineException schema =
        assertThrows(PipelineException.class, () -> run(ctx(), lacking, false));
    assertEquals(
        "Invalid dataset silver.orders: its result does not match its declared schema"
            + " schemas/silver/orders.json: no column amount",
        schema.getMessage());

    base.set(2, silverOrders(RunnerTest::joinRegions));
    base.set(
        3,
        DatasetDef.gold(
            TOTALS,
            List.of("silver.orders"),
            "SELECT region_name, total, run_id FROM bronze_orders"));
    PipelineException sql =
        assertThrows(PipelineException.class, () -> run(ctx(), DataflowGraph.of(base), false));
    assertTrue(
        sql.getMessage()
            .startsWith(
                "Invalid dataset gold.totals: its SQL does not analyse: [TABLE_OR_VIEW_NOT_FOUND]"),
        sql.getMessage());
    assertFalse(Files.exists(dir.resolve("warehouse")), "nothing written");
  }
}
