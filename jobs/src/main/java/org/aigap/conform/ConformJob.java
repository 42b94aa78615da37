package org.aigap.conform;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;

import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aigap.core.DeltaTables;
import org.aigap.core.Errors;
import org.aigap.core.FaultPoints;
import org.aigap.core.Frames;
import org.aigap.core.Quarantine;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conform (silver): resolves entities through their names and aliases, derives USD and CNY cross
 * rates from the ECB's euro reference rates, and puts every fact on one footing (scale applied,
 * amounts in USD and CNY at the dated rate that fits the fact, periods in months, run-rates), with
 * its lineage. A fact naming an unknown entity, or a claim naming an unknown fact, is quarantined,
 * never guessed; a missing FX rate fails the job naming the currency and date. The granular feeds
 * are conformed too: each deal converted at its day's rate (quarantined when there is none), and
 * model downloads summed per day and origin country.
 */
public final class ConformJob {
  public static final String JOB = "conform";
  /** A spot rate older than this many days before the as-of date is not used. */
  public static final int MAX_SPOT_AGE_DAYS = 7;

  private static final Logger LOG = LoggerFactory.getLogger(ConformJob.class);
  private final RunContext ctx;

  public ConformJob(RunContext ctx) {
    this.ctx = ctx;
  }

  /** A bronze table as read, with the Delta version read (for lineage and time travel). */
  record Input(String path, Dataset<Row> rows, long version) {}

  public RunRecord run() {
    String started = Instant.now().toString();
    lap = System.nanoTime();
    List<RunRecord.Input> inputs = new ArrayList<>();
    List<RunRecord.TableCounts> tables = new ArrayList<>();
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      SparkSession spark = ctx.spark();
      spark.udf().register("nfkc", (UDF1<String, String>) ConformJob::aliasKey, DataTypes.StringType);
      Input facts = read(raw("facts"), inputs);
      Input entities = read(raw("entities"), inputs);
      Input claims = read(raw("claims"), inputs);
      Input fx = read(raw("fx_rates_ecb"), inputs);
      Input deals = read(raw("funding_rounds"), inputs);
      Input downloads = read(raw("model_downloads"), inputs);

      ctx.describe("conform: entities");
      Dataset<Row> silverEntities = Entities.conform(entities.rows(), entities.version());
      Dataset<Row> aliases = Entities.aliases(silverEntities);
      tables.add(write("entities", silverEntities, entities.rows().count(), 0));
      tables.add(write("entity_aliases", aliases, DERIVED, 0));

      ctx.describe("conform: fx rates");
      Dataset<Row> rates = FxRates.conform(fx.rows(), raw("fx_rates_ecb"), fx.version()).persist();
      cached.add(rates);
      tables.add(write("fx_rates", rates, DERIVED, 0));

      ctx.describe("conform: facts");
      Dataset<Row> resolved = Facts.resolve(facts.rows(), aliases, silverEntities);
      Dataset<Row> unknown = resolved.filter(col("entity_id").isNull());
      long unknownCount =
          quarantine(
              "facts", facts, unknown, "entity_name", "entity_known",
              concat(lit("entity '"), col("entity_name"), lit("' is not a name or alias in entities.csv")));
      Dataset<Row> silverFacts =
          Facts.conform(resolved.filter(col("entity_id").isNotNull()), rates, facts.version()).persist();
      cached.add(silverFacts);
      tables.add(write("facts", silverFacts, facts.rows().count(), unknownCount));

      ctx.describe("conform: claims");
      Dataset<Row> silverClaims = Claims.conform(claims.rows(), claims.version());
      Dataset<Row> dangling = Claims.danglingReferences(silverClaims, silverFacts);
      long danglingCount =
          quarantine(
              "claims", claims, dangling, "left_fact_ids+right_fact_ids", "facts_known",
              concat(lit("claim refers to fact '"), col("missing_fact_id"), lit("', which is not in silver facts")));
      Dataset<Row> keptClaims = silverClaims.join(dangling.select("claim_id").distinct(), Frames.seq("claim_id"), "left_anti");
      tables.add(write("claims", keptClaims, claims.rows().count(), danglingCount));

      ctx.describe("conform: funding rounds");
      // Not cached: joining a small rate table again is cheaper than caching a million wide rows.
      Dataset<Row> dealsWithRates = FundingRounds.withRates(deals.rows(), FundingRounds.ratesByDay(rates).localCheckpoint());
      long noRate =
          quarantine(
              "funding_rounds", deals, dealsWithRates.filter(col("usd_per_unit").isNull()), "currency+announced_date",
              "fx_rate_known", FundingRounds.missingRateReason());
      Dataset<Row> silverDeals = FundingRounds.conform(dealsWithRates.filter(col("usd_per_unit").isNotNull()), deals.version());
      tables.add(write("funding_rounds", silverDeals, deals.rows().count(), noRate));

      ctx.describe("conform: downloads");
      tables.add(write("downloads_daily", Downloads.daily(downloads.rows(), downloads.version()), DERIVED, 0));

      RunRecord record = new RunRecord(ctx.runId(), JOB, started, Instant.now().toString(), "succeeded", null, inputs, tables, List.of());
      RunLog.append(ctx, record);
      return record;
    } catch (RuntimeException failure) {
      RuntimeException e = Errors.concurrentRun(JOB, failure);
      RunLog.append(ctx, new RunRecord(ctx.runId(), JOB, started, Instant.now().toString(), "failed", e.getMessage(), inputs, tables, List.of()));
      throw e;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** The alias key: NFKC-folded (full-width letters become ASCII), trimmed, lower case. */
  static String aliasKey(String name) {
    return name == null ? null : Normalizer.normalize(name, Normalizer.Form.NFKC).trim().toLowerCase(java.util.Locale.ROOT);
  }

  private TableSchema raw(String name) {
    return ctx.schemas().get(SchemaCatalog.RAW, name);
  }

  private Input read(TableSchema extract, List<RunRecord.Input> inputs) {
    String path = ctx.paths().table(SchemaCatalog.BRONZE, extract.bronzeTable());
    DeltaTables.read(ctx.spark(), extract.bronzeTable(), path); // fails clearly when ingest has not run
    long version = DeltaTables.version(ctx.spark(), path);
    // Pinned, so that every action of the job sees one snapshot even if an ingest commits meanwhile.
    Dataset<Row> rows = ctx.spark().read().format("delta").option("versionAsOf", version).load(path);
    inputs.add(new RunRecord.Input(path, null, null, version));
    return new Input(path, rows, version);
  }

  /** A table derived from another (one row per alias, per day and currency): read = written. */
  private static final long DERIVED = -1;

  /** When the previous table was written (or the job started): each table's seconds count from there. */
  private long lap;

  private RunRecord.TableCounts write(String table, Dataset<Row> rows, long read, long quarantined) {
    TableSchema schema = ctx.schemas().get(SchemaCatalog.SILVER, table);
    DeltaTables.Written w =
        DeltaTables.replaceIfChanged(ctx.spark(), ctx.paths().table(SchemaCatalog.SILVER, table), schema, rows, ctx.runId());
    LOG.info("conform {}: {} rows, {} quarantined; Delta version {}{}", table, w.rows(), quarantined, w.version(), w.changed() ? "" : " (unchanged)");
    long rowsRead = read == DERIVED ? w.rows() : read;
    if (rowsRead != w.rows() + quarantined) {
      throw Errors.rowsLost("silver " + table, rowsRead, w.rows(), quarantined);
    }
    FaultPoints.reach("conform:written:" + table);
    double seconds = (System.nanoTime() - lap) / 1e9;
    lap = System.nanoTime();
    return new RunRecord.TableCounts(table, null, rowsRead, w.rows(), 0, quarantined, 0, 0, w.version(), w.changed(), seconds);
  }

  /** Sends bronze rows to the quarantine table with the column, check and reason; returns their count. */
  private long quarantine(String table, Input from, Dataset<Row> rows, String column, String check, Column reason) {
    TableSchema bronze = raw(table);
    Column rawLine = to_json(struct(bronze.columnNames().stream().map(n -> col(n)).toArray(Column[]::new)));
    Dataset<Row> q =
        rows.select(
            lit(table).as("table_name"),
            lit(JOB).as("job"),
            lit(from.path()).as("source_file"),
            col("_source_line").as("line"),
            rawLine.as("raw_line"),
            lit(column).as("column"),
            lit(check).as("check"),
            concat(reason, lit(" (bronze version " + from.version() + ")")).as("reason"),
            lit(ctx.runId()).as("run_id"),
            current_timestamp().as("quarantined_at"))
            .persist();
    long count = q.select("raw_line").distinct().count();
    if (count > 0) {
      for (Row r : q.select("reason").limit(5).collectAsList()) {
        LOG.warn("conform {}: quarantined: {}", table, r.getString(0));
      }
      Quarantine.record(ctx, q);
    }
    q.unpersist();
    return count;
  }

  /** Used by the helpers of this package for list columns such as "a|b|c". */
  static Column pipeList(Column text) {
    return array_distinct(filter(split(coalesce(text, lit("")), "\\|"), x -> trim(x).notEqual("")));
  }

  static Column keyOf(Column name) {
    return call_udf("nfkc", name);
  }
}
