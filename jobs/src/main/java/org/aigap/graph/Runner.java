package org.aigap.graph;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.aigap.core.DeltaTables;
import org.aigap.core.Errors;
import org.aigap.core.FaultPoints;
import org.aigap.core.Frames;
import org.aigap.core.Json;
import org.aigap.core.Level;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.Settings;
import org.aigap.core.Staging;
import org.aigap.ingest.Ingest;
import org.aigap.ingest.RawFile;
import org.aigap.metrics.OutputLock;
import org.aigap.metrics.ParquetOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected datasets of the graph, each once its inputs are done (small ones several at
 * once), and owns everything they share: the validation of every dataset that will run, before
 * anything is written; each input read once per run, pinned at one Delta version (a small silver
 * table written by the run is handed down as written); the skip of a dataset whose fingerprint is
 * unchanged; row rules and the quarantine rows they make; the projection onto the declared schema;
 * the write (Delta for bronze and silver, Parquet with its manifest for gold) stamped with the
 * fingerprint; the proof that no row was lost; Spark job descriptions; and one run-log record per
 * layer with counts, seconds, versions and what was skipped and why. One runner serves one run.
 */
public final class Runner {
  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

  /**
   * Session settings that change what the same code computes from the same rows: part of every
   * fingerprint.
   */
  private static final List<String> RESULT_SETTINGS =
      List.of(
          "spark.sql.session.timeZone",
          "spark.sql.ansi.enabled",
          "spark.sql.decimalOperations.allowPrecisionLoss",
          "spark.sql.legacy.timeParserPolicy");

  /** How many datasets run at once (default: see {@link #threads}). */
  static final String PARALLEL_DATASETS = "spark.aigap.parallelDatasets";

  private final RunContext ctx;
  private final DataflowGraph graph;
  private final Configuration hadoop;

  /**
   * What each dataset holds now: its version and stamp, as read at first need or as just written.
   */
  private final Map<String, Stored> stored = new HashMap<>();

  /** Each input as read this run, pinned at one version. */
  private final Map<String, Dataset<Row>> frames = new HashMap<>();

  private final Map<String, Long> rawSizes = new ConcurrentHashMap<>();
  private final Map<String, RawFile> rawFiles = new ConcurrentHashMap<>();

  /** The run's hold on the outputs folder, taken before its first gold dataset. */
  private OutputLock lock;

  /**
   * The layer of the dataset being decided: a failure to decide (a missing input) is that layer's.
   */
  private Layer deciding;

  /** Each dataset's place in run order, by its name and by the name it is stored under. */
  private final Map<String, Integer> order = new HashMap<>();

  /** The hash of the {@link #RESULT_SETTINGS}, taken once per run. */
  private final String settings;

  public Runner(RunContext ctx, DataflowGraph graph) {
    this.ctx = ctx;
    this.graph = graph;
    this.hadoop = ctx.spark().sparkContext().hadoopConfiguration();
    for (DatasetDef d : graph.inRunOrder()) {
      int place = order.size();
      order.put(d.name(), place);
      order.putIfAbsent(d.storedName(), place);
    }
    this.settings =
        Fingerprint.sha256(
                String.join("\n", RESULT_SETTINGS.stream().map(k -> k + "=" + setting(k)).toList()))
            .substring(0, 16);
  }

  /**
   * A dataset's current result: its Delta version (null for a gold output), its stamp (null if
   * none) and, when this run wrote it, the rows it holds (else null).
   */
  private record Stored(Long version, Fingerprint.Stamp stamp, Long rows) {}

  /** Whether to run a dataset, and why. */
  private record Decision(Plan.Action action, String reason, Fingerprint fingerprint) {}

  /**
   * Validates the whole graph and says what a run of {@code selected} would do, writing nothing.
   */
  public Plan plan(List<DatasetDef> selected, boolean fullRefresh) {
    graph.validate(ctx.spark(), ctx.schemas(), graph.inRunOrder());
    return predict(selected, fullRefresh);
  }

  /**
   * Each dataset run or skipped, and why: a dataset runs when it changed or an input of it will
   * run.
   */
  private Plan predict(List<DatasetDef> selected, boolean fullRefresh) {
    Map<String, Plan.Action> actions = new HashMap<>();
    List<Plan.Step> steps = new ArrayList<>();
    for (DatasetDef d : selected) {
      deciding = d.layer();
      List<String> rerun =
          d.inputs().stream().filter(i -> actions.get(i) == Plan.Action.RUN).toList();
      Decision decision;
      if (fullRefresh) {
        decision = new Decision(Plan.Action.RUN, "full refresh", null);
      } else if (!rerun.isEmpty()) {
        decision =
            new Decision(
                Plan.Action.RUN, "input " + String.join(", ", rerun) + " will be recomputed", null);
      } else {
        decision = decide(d, fingerprint(d, d.layer() == Layer.BRONZE ? openRaw(d) : null), false);
      }
      actions.put(d.name(), decision.action());
      steps.add(new Plan.Step(d, decision.action(), decision.reason()));
    }
    return new Plan(steps);
  }

  /**
   * Runs {@code selected} (in run order); returns one record per layer run, also appended to the
   * run log.
   */
  public List<RunRecord> run(List<DatasetDef> selected, boolean fullRefresh) {
    Map<Layer, LayerLog> logs = new EnumMap<>(Layer.class);
    Map<String, Ingest.Checked> checked = new ConcurrentHashMap<>();
    AtomicBoolean checking = new AtomicBoolean(); // a large extract's check stages its table
    boolean invalid = false;
    Layer current = null; // outside a dataset's work: the layer being set up
    RuntimeException primary = null;
    try {
      // Every dataset that will run is validated before anything is written (an invalid one writes
      // nothing, not even to the run log; a missing or unreadable input is a failed run, logged).
      // One that will be skipped needs no validation: its fingerprint covers the code, schema and
      // SQL it was validated and computed with.
      long t0 = System.nanoTime();
      List<DatasetDef> toRun =
          predict(selected, fullRefresh).steps().stream()
              .filter(st -> st.action() == Plan.Action.RUN)
              .map(Plan.Step::dataset)
              .toList();
      invalid = true;
      graph.validate(ctx.spark(), ctx.schemas(), toRun);
      invalid = false;
      int threads = threads(toRun);
      LOG.info(
          "{} {} of {} selected datasets to run ({} at a time), validated in {} s",
          ctx.runId(),
          toRun.size(),
          selected.size(),
          threads,
          String.format("%.1f", (System.nanoTime() - t0) / 1e9));
      // Bronze first checks every selected file, before any table is written.
      Ingest ingest = new Ingest(ctx);
      Map<String, Decision> bronze = new ConcurrentHashMap<>();
      List<DatasetDef> extracts = selected.stream().filter(d -> d.layer() == Layer.BRONZE).toList();
      inParallel(
          extracts,
          threads,
          false,
          d -> {
            LayerLog log = log(logs, Layer.BRONZE);
            long t = System.nanoTime();
            ctx.describe(d.name() + ": check");
            RawFile file = openRaw(d);
            Decision decision = decide(d, fingerprint(d, file), fullRefresh);
            bronze.put(d.name(), decision);
            if (decision.action() == Plan.Action.RUN) {
              try (SmallData.Restore r = SmallData.settingsFor(ctx.spark(), file.bytes())) {
                checking.set(true);
                checked.put(d.name(), ingest.check(d.schema(), file, stamp(decision).toJson()));
              }
            }
            synchronized (log) {
              log.inputs.add(new RunRecord.Input(file.path(), file.sha256(), file.bytes(), null));
              log.seconds.merge(d.name(), (System.nanoTime() - t) / 1e9, Double::sum);
            }
          });
      current = Layer.BRONZE;
      if (!checked.isEmpty()) {
        Quarantine.ensureExists(ctx);
        int abandoned = Staging.removeAbandoned(ctx.spark(), ctx.paths(), ctx.runId());
        if (abandoned > 0) {
          LOG.info("{} removed the staging folders of {} killed runs", ctx.runId(), abandoned);
        }
      }
      // Each dataset once its inputs are done: in run order one at a time, or several at once.
      inParallel(
          selected,
          threads,
          true,
          d -> {
            ctx.describe(d.name());
            LayerLog log = log(logs, d.layer());
            long t = System.nanoTime();
            Decision decision =
                d.layer() == Layer.BRONZE
                    ? bronze.get(d.name())
                    : decide(d, fingerprint(d, null), fullRefresh);
            RunRecord.TableCounts counts;
            if (decision.action() == Plan.Action.SKIP) {
              counts = skipped(d, decision);
            } else {
              if (d.layer() == Layer.GOLD) {
                lockOutputs();
              }
              try (SmallData.Restore r = SmallData.settingsFor(ctx.spark(), rawBytes(d))) {
                counts =
                    switch (d.layer()) {
                      case BRONZE -> writeBronze(d, checked.get(d.name()), ingest, decision, log);
                      case SILVER -> buildSilver(d, decision, log);
                      case GOLD -> buildGold(d, decision, log);
                    };
              } catch (RuntimeException e) {
                try {
                  unstamp(d);
                } catch (RuntimeException u) {
                  e.addSuppressed(u);
                }
                throw e;
              }
            }
            double seconds;
            synchronized (log) {
              seconds = log.seconds.getOrDefault(d.name(), 0.0) + (System.nanoTime() - t) / 1e9;
              log.tables.add(counts.withSeconds(seconds));
            }
            LOG.info(
                "{} {}: {} ({}) in {} s",
                ctx.runId(),
                d.name(),
                decision.action().name().toLowerCase(Locale.ROOT),
                decision.reason(),
                String.format("%.1f", seconds));
          });
      logs.values().forEach(l -> l.outcome = "succeeded");
      return records(logs);
    } catch (Exception failure) { // Spark's AnalysisException is checked; Scala throws it anywhere
      Layer failed =
          failure instanceof DatasetFailed f
              ? f.layer
              : current != null ? current : deciding != null ? deciding : Layer.BRONZE;
      Exception cause = failure instanceof DatasetFailed f ? f.failure() : failure;
      RuntimeException e = Errors.runFailed(failed.job, cause);
      if (cause != failure) {
        for (Throwable more : failure.getSuppressed()) {
          e.addSuppressed(more);
        }
      }
      logs.values().forEach(l -> l.outcome = "succeeded");
      LayerLog log = log(logs, failed);
      log.outcome = "failed";
      log.error = e.getMessage();
      primary = e;
      throw e;
    } finally {
      // Each clean-up step runs, whatever the others do; the run log is written last.
      List<Runnable> cleanUp = new ArrayList<>();
      checked.values().forEach(c -> cleanUp.add(c::release));
      if (checking.get()) {
        cleanUp.add(() -> Staging.removeRun(hadoop, ctx.paths(), ctx.runId()));
      }
      if (lock != null) {
        cleanUp.add(lock::close);
      }
      if (!logs.isEmpty() && !invalid) {
        cleanUp.add(() -> RunLog.append(ctx, records(logs)));
      }
      RuntimeException cleanUpFailure = null;
      for (Runnable step : cleanUp) {
        try {
          step.run();
        } catch (RuntimeException e) {
          if (primary != null) {
            primary.addSuppressed(e);
          } else if (cleanUpFailure == null) {
            cleanUpFailure = e;
          }
        }
      }
      if (cleanUpFailure != null) {
        throw cleanUpFailure;
      }
    }
  }

  // ---- running several at once --------------------------------------------------------------

  /**
   * How many datasets run at once: when every dataset to run is small, {@link #PARALLEL_DATASETS},
   * by default as many as the driver has cores (planning a small dataset is the driver's work, one
   * core each); else one, since a large dataset wants the session's settings to itself (see {@link
   * SmallData}).
   */
  private int threads(List<DatasetDef> toRun) {
    long n =
        Settings.number(
            ctx.spark(), PARALLEL_DATASETS, Runtime.getRuntime().availableProcessors(), "datasets");
    if (n < 1 || n > 64) {
      throw Errors.badSetting(PARALLEL_DATASETS, String.valueOf(n), "a number from 1 to 64");
    }
    boolean small = toRun.stream().allMatch(d -> SmallData.isSmall(ctx.spark(), rawBytes(d)));
    return small ? (int) n : 1;
  }

  /** A dataset's work failed; the layer it belongs to is the one whose run failed. */
  private static final class DatasetFailed extends RuntimeException {
    final Layer layer;

    DatasetFailed(Layer layer, Exception failure) {
      super(failure);
      this.layer = layer;
    }

    /** What the dataset's work threw (always an Exception: see {@link #attempt}). */
    Exception failure() {
      return (Exception) getCause();
    }
  }

  private interface DatasetWork {
    void run(DatasetDef d) throws Exception;
  }

  /**
   * Runs {@code work} for each dataset, {@code threads} at a time; with {@code afterInputs}, a
   * dataset only once every input of it in {@code datasets} is done. One thread: in order, in this
   * thread. After a failure nothing more starts; what runs finishes, and the first failure is
   * thrown (the others suppressed in it).
   */
  private void inParallel(
      List<DatasetDef> datasets, int threads, boolean afterInputs, DatasetWork work) {
    if (threads <= 1 || datasets.size() <= 1) {
      datasets.forEach(d -> attempt(d, work));
      return;
    }
    Set<String> names = new HashSet<>();
    datasets.forEach(d -> names.add(d.name()));
    List<DatasetDef> waiting = new ArrayList<>(datasets);
    Set<String> done = new HashSet<>();
    Throwable failure = null; // the first; the others are suppressed in it
    boolean interrupted = false;
    AtomicInteger named = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "aigap-dataset-" + named.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    CompletionService<String> finished = new ExecutorCompletionService<>(pool);
    int running = 0;
    try {
      while (true) {
        // No more than the threads at once, so that nothing queued starts after a failure.
        for (var it = waiting.iterator();
            failure == null && !interrupted && running < threads && it.hasNext(); ) {
          DatasetDef d = it.next();
          if (!afterInputs
              || d.inputs().stream().allMatch(i -> done.contains(i) || !names.contains(i))) {
            it.remove();
            finished.submit(() -> attempt(d, work), d.name());
            running++;
          }
        }
        if (running == 0) {
          break;
        }
        // Whatever happens, every dataset started is waited for: the run's clean-up and its run
        // log come after the last of them.
        try {
          done.add(finished.take().get());
        } catch (ExecutionException e) {
          Throwable f = e.getCause(); // a DatasetFailed, or an Error
          if (failure == null) {
            failure = f;
          } else {
            failure.addSuppressed(f instanceof DatasetFailed df ? df.failure() : f);
          }
        } catch (InterruptedException e) {
          interrupted = true;
          continue;
        }
        running--;
      }
    } finally {
      pool.shutdown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      if (failure == null) {
        throw new IllegalStateException("interrupted while datasets ran");
      }
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw (DatasetFailed) failure;
    }
  }

  private static void attempt(DatasetDef d, DatasetWork work) {
    try {
      work.run(d);
    } catch (Exception e) {
      throw new DatasetFailed(d.layer(), e);
    }
  }

  private synchronized void lockOutputs() {
    if (lock == null) {
      lock =
          OutputLock.acquire(
              ctx.spark().sparkContext().hadoopConfiguration(), ctx.paths().outputs(), ctx.runId());
    }
  }

  private static LayerLog log(Map<Layer, LayerLog> logs, Layer layer) {
    synchronized (logs) {
      return logs.computeIfAbsent(layer, LayerLog::new);
    }
  }

  // ---- deciding -------------------------------------------------------------------------------

  /**
   * The bytes of the raw files the dataset is computed from: its own, or those of every bronze
   * dataset upstream.
   */
  private long rawBytes(DatasetDef d) {
    long bytes = 0;
    for (String n : d.layer() == Layer.BRONZE ? Set.of(d.name()) : graph.upstream(d.name())) {
      DatasetDef u = graph.get(n);
      if (u.layer() == Layer.BRONZE) {
        bytes +=
            rawSizes.computeIfAbsent(
                n,
                k -> {
                  Path p = new Path(ctx.paths().rawFile(u.schema().file()));
                  try {
                    return p.getFileSystem(hadoop).getFileStatus(p).getLen();
                  } catch (IOException e) {
                    return Long.MAX_VALUE / 64; // unknown: not small
                  }
                });
      }
    }
    return bytes;
  }

  /** The dataset's raw file, opened (header checked, checksum taken) once per run. */
  private RawFile openRaw(DatasetDef d) {
    return rawFiles.computeIfAbsent(
        d.name(), n -> RawFile.open(ctx.paths().rawFile(d.schema().file()), d.schema(), hadoop));
  }

  /**
   * What the dataset would be computed from now: the code, its schema (and SQL), and its raw file's
   * checksum or its inputs' current versions.
   */
  private Fingerprint fingerprint(DatasetDef d, RawFile file) {
    Map<String, String> parts = new HashMap<>();
    parts.put("code", CodeVersion.hash());
    parts.put("settings", settings);
    String schema = Json.canonical(d.schema());
    if (d.layer() == Layer.BRONZE) {
      schema += Json.canonical(ctx.schemas().get(SchemaCatalog.BRONZE, "lineage"));
      parts.put("file:" + d.schema().file(), file.sha256());
    }
    parts.put("schema", Fingerprint.sha256(schema).substring(0, 16));
    if (d.sql() != null) {
      parts.put("sql", Fingerprint.sha256(d.sql()).substring(0, 16));
    }
    for (String input : d.inputs()) {
      Stored s = stored(graph.get(input));
      if (s == null) {
        throw Errors.missingInput(input, graph.get(input).path(ctx.paths()));
      }
      if (s.stamp() != null && s.stamp().fingerprint() == null) {
        throw Errors.incompleteInput(input, s.stamp().runId()); // see unstamp
      }
      // Its version, and what it was computed from: a table dropped and rebuilt may reach the same
      // version again.
      parts.put(
          "input:" + input,
          (s.version() == null ? "-" : s.version())
              + "/"
              + (s.stamp() == null ? "-" : s.stamp().fingerprint()));
    }
    return Fingerprint.of(parts);
  }

  private String setting(String key) {
    try {
      return ctx.spark().conf().get(key);
    } catch (java.util.NoSuchElementException e) {
      return "";
    }
  }

  private Decision decide(DatasetDef d, Fingerprint now, boolean fullRefresh) {
    if (fullRefresh) {
      return new Decision(Plan.Action.RUN, "full refresh", now);
    }
    Stored s = stored(d);
    if (s == null) {
      return new Decision(Plan.Action.RUN, "not built yet", now);
    }
    if (s.stamp() == null || s.stamp().fingerprint() == null) {
      return new Decision(
          Plan.Action.RUN,
          "its last write carries no fingerprint (written outside the pipeline, or by a run that"
              + " failed after it)",
          now);
    }
    if (now.hash().equals(s.stamp().fingerprint())) {
      return new Decision(Plan.Action.SKIP, "unchanged since run " + s.stamp().runId(), now);
    }
    return new Decision(Plan.Action.RUN, now.changesSince(s.stamp().asFingerprint()), now);
  }

  /** The dataset's current result, read once per run (a history lookup or a manifest read). */
  private synchronized Stored stored(DatasetDef d) {
    if (!stored.containsKey(d.name())) {
      String path = d.path(ctx.paths());
      Stored s;
      if (d.layer() == Layer.GOLD) {
        ParquetOutput.Manifest m = ParquetOutput.readManifest(path, hadoop);
        s =
            m == null
                ? null
                : new Stored(
                    null,
                    m.fingerprint() == null
                        ? null
                        : new Fingerprint.Stamp(m.runId(), m.fingerprint(), m.fingerprintParts()),
                    null);
      } else {
        DeltaTables.Commit c = DeltaTables.latestCommit(hadoop, path);
        s =
            c == null
                ? null
                : new Stored(c.version(), Fingerprint.Stamp.parse(c.userMetadata()), null);
      }
      stored.put(d.name(), s);
    }
    return stored.get(d.name());
  }

  /**
   * A dataset that failed after its commit (a count that did not add up, say) must not look
   * computed to the next run: a commit of its own, with no fingerprint, says so.
   */
  private void unstamp(DatasetDef d) {
    if (d.layer() == Layer.GOLD) {
      return; // an output's manifest is written only once it is verified
    }
    String path = d.path(ctx.paths());
    DeltaTables.Commit c = DeltaTables.latestCommit(hadoop, path);
    Fingerprint.Stamp last = c == null ? null : Fingerprint.Stamp.parse(c.userMetadata());
    if (last != null && ctx.runId().equals(last.runId())) {
      DeltaTables.recordMetadata(
          ctx.spark(), path, new Fingerprint.Stamp(ctx.runId(), null, Map.of()).toJson());
    }
  }

  private synchronized void written(DatasetDef d, Long version, long rows, Decision decision) {
    stored.put(d.name(), new Stored(version, stamp(decision), rows));
    frames.remove(d.name());
  }

  private Fingerprint.Stamp stamp(Decision decision) {
    return new Fingerprint.Stamp(
        ctx.runId(), decision.fingerprint().hash(), decision.fingerprint().parts());
  }

  /** An input as this run reads it: pinned at the version the run found or wrote. */
  private synchronized Dataset<Row> frame(String name) {
    return frames.computeIfAbsent(
        name,
        n -> {
          DatasetDef d = graph.get(n);
          Stored s = stored(d);
          String path = d.path(ctx.paths());
          if (s == null) {
            throw Errors.missingInput(n, path);
          }
          return ctx.spark().read().format("delta").option("versionAsOf", s.version()).load(path);
        });
  }

  /** What the datasets downstream read of {@code d} this run: its rows as just written. */
  private synchronized void handDown(DatasetDef d, Dataset<Row> rows) {
    frames.put(d.name(), rows);
  }

  private Inputs inputs(DatasetDef d) {
    Map<String, Dataset<Row>> in = new LinkedHashMap<>();
    d.inputs().forEach(i -> in.put(i, frame(i)));
    return new Inputs(d.name(), in);
  }

  // ---- building -------------------------------------------------------------------------------

  private RunRecord.TableCounts writeBronze(
      DatasetDef d, Ingest.Checked c, Ingest ingest, Decision decision, LayerLog log) {
    synchronized (log) {
      log.checks.addAll(c.checkCounts());
    }
    String path = d.path(ctx.paths());
    RunRecord.TableCounts t = ingest.write(c, path);
    written(
        d,
        t.deltaVersion(),
        t.rowsAccepted() - t.duplicateRows(),
        decision); // the rows Ingest.write proved the table holds
    // Version 0 is a table just created from exactly the checked rows: a small one is handed down
    // as
    // they are in memory. (A MERGE keeps an unchanged row's earlier lineage: that table is read
    // back.)
    Dataset<Row> created =
        t.deltaVersion() == 0 && SmallData.isSmall(ctx.spark(), rawBytes(d))
            ? ingest.createdRows(c)
            : null;
    if (created != null) {
      handDown(d, created);
    }
    return t.withDecision(decision.reason(), decision.fingerprint().hash());
  }

  /**
   * A silver dataset: its transform over the pinned inputs; rows failing a quarantine rule moved
   * aside (with the raw row they came from); a failing fail rule stops the run; the rest projected
   * onto the declared schema and written; then read = written + quarantined, or the run fails.
   */
  private RunRecord.TableCounts buildSilver(DatasetDef d, Decision decision, LayerLog log) {
    logInputs(d, log);
    Column kept = lit(true);
    for (Rule r : d.rules()) {
      if (r.level() == Level.QUARANTINE) {
        kept = kept.and(expr(r.passesSql()));
      }
    }
    // A small result is computed once into memory (its lineage cut, so the plans downstream stay
    // small), its rules counted in the same pass; it is then written and handed as it is to the
    // datasets downstream. A large one is not cached (an in-memory copy of a million conformed
    // deals cost more than computing them twice) and is read back downstream at the version
    // written. Its rules are counted while it is written, in one pass, unless one of them can stop
    // the run: rows a fail rule rejects must never be committed, so then they are counted first, in
    // a pass that computes only the columns they read.
    boolean small = SmallData.isSmall(ctx.spark(), rawBytes(d));
    Dataset<Row> result = DataflowGraph.result(d, inputs(d));
    Column[] counts = failureCounts(d, kept);
    Column[] moreCounts = Arrays.copyOfRange(counts, 1, counts.length);
    Map<Rule, Long> failures;
    DeltaTables.Commit commit = null;
    boolean unstamped = false;
    if (small) {
      Observation counted = new Observation(d.name() + " rules");
      result = result.observe(counted, counts[0], moreCounts).localCheckpoint();
      failures = failures(d, observed(counted));
    } else if (d.rules().stream().noneMatch(r -> r.level() == Level.FAIL)) {
      Observation counted = new Observation(d.name() + " rules");
      commit = write(d, table(d, result.observe(counted, counts[0], moreCounts), kept), decision);
      failures = failures(d, observed(counted));
      if (failures.values().stream().anyMatch(n -> n > 0)) {
        // The rows kept are committed, but its quarantine is not recorded yet: until it is, the
        // table must not look built to a later run (this one may be killed before it records it).
        unstamp(d);
        unstamped = true;
      }
    } else {
      failures = failures(d, result.agg(counts[0], moreCounts).head());
    }
    // Only a rule that failed is looked at again, for its first row or its quarantine rows.
    for (Rule r : d.rules()) {
      if (r.level() == Level.FAIL && failures.get(r) > 0) {
        failOnFirst(d, result.filter(kept), r);
      }
    }
    long quarantined =
        d.rules().stream().anyMatch(r -> r.level() == Level.QUARANTINE && failures.get(r) > 0)
            ? quarantine(d, result)
            : 0;
    Dataset<Row> table = null;
    if (commit == null) {
      table = table(d, result, kept);
      commit = write(d, table, decision);
    } else if (unstamped) {
      // The quarantine is recorded: the rows committed are the table's, now with its fingerprint.
      String stamp = stamp(decision).toJson();
      DeltaTables.recordMetadata(ctx.spark(), d.path(ctx.paths()), stamp);
      commit = DeltaTables.committed(ctx.spark(), d.path(ctx.paths()), stamp);
    }
    long count = commit.tableRows();
    written(d, commit.version(), count, decision);
    if (small) {
      handDown(d, table); // a small result is always written here, never while counted
    }
    FaultPoints.reach("conform:written:" + d.table());
    long read = count;
    if (d.rowsFrom() != null) {
      read = rowsOf(d.rowsFrom());
      if (read != count + quarantined) {
        throw Errors.rowsLost(d.rowsFrom() + " -> " + d.name(), read, count, quarantined);
      }
    }
    LOG.info(
        "{}: {} rows, {} quarantined; Delta version {}",
        d.name(),
        count,
        quarantined,
        commit.version());
    return new RunRecord.TableCounts(
        d.name(),
        d.table(),
        null,
        read,
        count,
        0,
        quarantined,
        0,
        0,
        commit.version(),
        true,
        0,
        "computed",
        decision.reason(),
        decision.fingerprint().hash());
  }

  /** The rows of {@code result} that {@code kept} keeps, as the declared table holds them. */
  private Dataset<Row> table(DatasetDef d, Dataset<Row> result, Column kept) {
    Dataset<Row> rows = result.filter(kept);
    if (d.schema().column("bronze_version").isPresent()
        && !List.of(result.columns()).contains("bronze_version")) {
      String bronzeInput =
          d.inputs().stream()
              .filter(i -> graph.get(i).layer() == Layer.BRONZE)
              .findFirst()
              .orElseThrow(
                  () ->
                      Errors.invalidDataset(
                          d.name(), "declares bronze_version but reads no bronze dataset"));
      rows = rows.withColumn("bronze_version", lit(stored(graph.get(bronzeInput)).version()));
    }
    return Frames.project(rows, d.schema());
  }

  /** Replaces the dataset's table with {@code table}, stamped with the decision's fingerprint. */
  private DeltaTables.Commit write(DatasetDef d, Dataset<Row> table, Decision decision) {
    return DeltaTables.overwrite(
        ctx.spark(), d.path(ctx.paths()), d.schema(), table, stamp(decision).toJson());
  }

  /** An observation's row, or null when no task saw a row (then no rule failed). */
  private static Row observed(Observation counted) {
    Row row = counted.getRow();
    return row.length() == 0 ? null : row;
  }

  /**
   * One count per rule of the rows failing it: a quarantine rule over all rows, a fail rule over
   * the rows kept (a row a quarantine rule moves aside is not also a failure).
   */
  private static Column[] failureCounts(DatasetDef d, Column kept) {
    List<Column> counts = new ArrayList<>();
    for (Rule r : d.rules()) {
      Column failed = not(expr(r.passesSql()));
      counts.add(count(when(r.level() == Level.FAIL ? kept.and(failed) : failed, 1)).as(r.name()));
    }
    if (counts.isEmpty()) {
      counts.add(count(lit(1)).as("rows")); // an observation needs one metric
    }
    return counts.toArray(Column[]::new);
  }

  /**
   * The failures of each rule, from a row of {@link #failureCounts} (null when no row was seen:
   * none failed).
   */
  private static Map<Rule, Long> failures(DatasetDef d, Row counts) {
    Map<Rule, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < d.rules().size(); i++) {
      out.put(d.rules().get(i), counts == null ? 0L : counts.getLong(i));
    }
    return out;
  }

  /**
   * The rows an input holds at the version this run reads: known when this run overwrote it, else
   * counted.
   */
  private long rowsOf(String name) {
    Long known = stored(graph.get(name)).rows();
    return known != null ? known : frame(name).count();
  }

  private void failOnFirst(DatasetDef d, Dataset<Row> rows, Rule r) {
    List<String> key = d.schema().key();
    Column keyText =
        key.isEmpty()
            ? lit("?")
            : concat_ws(
                ", ",
                key.stream()
                    .map(k -> concat(lit(k + "="), col(k).cast("string")))
                    .toArray(Column[]::new));
    Column[] byKey = key.stream().map(k -> col(k)).toArray(Column[]::new);
    List<Row> bad =
        rows.filter(not(expr(r.passesSql())))
            .orderBy(byKey)
            .select(keyText, expr(r.reason()))
            .limit(1)
            .collectAsList();
    if (!bad.isEmpty()) {
      throw Errors.failedRule(
          d.name(), bad.get(0).getString(0), r.column(), bad.get(0).getString(1), r.name());
    }
  }

  /**
   * Records the rows of {@code result} that fail a quarantine rule, one row per rule failed, each
   * with the raw row of the input it came from (found by its source line); returns how many input
   * rows were quarantined.
   */
  private long quarantine(DatasetDef d, Dataset<Row> result) {
    List<Rule> rules = d.rules().stream().filter(r -> r.level() == Level.QUARANTINE).toList();
    DatasetDef from = graph.get(d.rowsFrom());
    long fromVersion = stored(from).version();
    Dataset<Row> failed = null;
    for (Rule r : rules) {
      Dataset<Row> f =
          result
              .filter(not(expr(r.passesSql())))
              .select(
                  col("_source_line").as("_line"),
                  col("_row_hash").as("_hash"),
                  lit(r.name()).as("_check"),
                  lit(r.column()).as("_column"),
                  expr(r.reason()).as("_reason"));
      failed = failed == null ? f : failed.unionByName(f);
    }
    Column raw =
        to_json(
            struct(from.schema().columnNames().stream().map(n -> col(n)).toArray(Column[]::new)));
    // A bronze row is found by its line and its content hash: after a MERGE, an unchanged row keeps
    // the line it was last written from, which a new row may share.
    Dataset<Row> source =
        frame(from.name())
            .select(
                col("_source_line").as("_line"),
                col("_row_hash").as("_hash"),
                col("_source_file"),
                raw.as("_raw"));
    Dataset<Row> rows =
        Quarantine.rows(
                failed.join(source, Frames.seq("_line", "_hash")),
                d.table(),
                d.layer().job,
                col("_source_file"),
                col("_line"),
                col("_raw"),
                col("_column"),
                col("_check"),
                concat(col("_reason"), lit(" (" + from.name() + " version " + fromVersion + ")")),
                ctx.runId())
            .persist();
    try {
      long lines = rows.select("line", "raw_line").distinct().count();
      if (lines > 0) {
        for (Row r : rows.select("reason").limit(5).collectAsList()) {
          LOG.warn("{}: quarantined: {}", d.name(), r.getString(0));
        }
        Quarantine.record(ctx, rows);
      }
      return lines;
    } finally {
      rows.unpersist();
    }
  }

  private RunRecord.TableCounts buildGold(DatasetDef d, Decision decision, LayerLog log) {
    logInputs(d, log);
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String i : d.inputs()) {
      DatasetDef input = graph.get(i);
      versions.put(input.layer().label() + "/" + input.table(), stored(input).version());
    }
    Dataset<Row> rows =
        Frames.project(
            DataflowGraph.result(d, inputs(d)).withColumn("run_id", lit(ctx.runId())), d.schema());
    ParquetOutput.Manifest m =
        ParquetOutput.write(
            rows,
            d.path(ctx.paths()),
            ctx.runId(),
            versions,
            d.schema().description(),
            decision.fingerprint().hash(),
            decision.fingerprint().parts());
    written(d, null, m.rows(), decision);
    LOG.info("{}: {} rows -> {}", d.name(), m.rows(), d.path(ctx.paths()));
    return new RunRecord.TableCounts(
        d.name(),
        d.table(),
        null,
        m.rows(),
        m.rows(),
        0,
        0,
        0,
        0,
        null,
        true,
        0,
        "computed",
        decision.reason(),
        decision.fingerprint().hash());
  }

  /** The tables a dataset reads, with the versions read, for the run log. */
  private void logInputs(DatasetDef d, LayerLog log) {
    for (String i : d.inputs()) {
      DatasetDef input = graph.get(i);
      RunRecord.Input read =
          new RunRecord.Input(input.path(ctx.paths()), null, null, stored(input).version());
      synchronized (log) {
        log.inputs.add(read);
      }
    }
  }

  private RunRecord.TableCounts skipped(DatasetDef d, Decision decision) {
    Stored s = stored(d);
    return new RunRecord.TableCounts(
        d.name(),
        d.storedName(),
        null,
        0,
        0,
        0,
        0,
        0,
        0,
        s.version(),
        false,
        0,
        "skipped",
        decision.reason(),
        decision.fingerprint().hash());
  }

  // ---- the run log ----------------------------------------------------------------------------

  /** What one layer of the run did, gathered as it goes. */
  private static final class LayerLog {
    final Layer layer;
    final String started = Instant.now().toString();
    final List<RunRecord.Input> inputs = new ArrayList<>();
    final List<RunRecord.TableCounts> tables = new ArrayList<>();
    final List<RunRecord.CheckCount> checks = new ArrayList<>();
    final Map<String, Double> seconds = new HashMap<>();
    String ended;
    String outcome = "failed";
    String error;

    LayerLog(Layer layer) {
      this.layer = layer;
    }
  }

  private int place(String name) {
    return order.getOrDefault(name, Integer.MAX_VALUE);
  }

  private List<RunRecord> records(Map<Layer, LayerLog> logs) {
    List<RunRecord> out = new ArrayList<>();
    for (LayerLog l : logs.values()) {
      if (l.ended == null) {
        l.ended = Instant.now().toString();
      }
      // Datasets run at once finish in any order: the record lists them (and their checks) in run
      // order, and the files and tables read by path.
      List<RunRecord.Input> distinct =
          l.inputs.stream().distinct().sorted(Comparator.comparing(RunRecord.Input::path)).toList();
      List<RunRecord.TableCounts> tables =
          l.tables.stream().sorted(Comparator.comparing(t -> place(t.dataset()))).toList();
      List<RunRecord.CheckCount> checks =
          l.checks.stream().sorted(Comparator.comparing(c -> place(c.tableName()))).toList();
      out.add(
          new RunRecord(
              ctx.runId(),
              l.layer.job,
              l.started,
              l.ended,
              l.outcome,
              l.error,
              distinct,
              tables,
              checks));
    }
    return out;
  }
}
