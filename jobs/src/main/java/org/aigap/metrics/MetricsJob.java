package org.aigap.metrics;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigap.core.DeltaTables;
import org.aigap.core.Errors;
import org.aigap.core.Frames;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunLog;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics (gold): reads the silver Delta tables at one version each, computes every metric and
 * writes each as a Parquet output with a manifest naming the run and the Delta versions read, so a
 * notebook can reproduce it with time travel.
 */
public final class MetricsJob {
  public static final String JOB = "metrics";
  static final List<String> SILVER_INPUTS =
      List.of("facts", "claims", "fx_rates", "entities", "funding_rounds", "downloads_daily");
  private static final Logger LOG = LoggerFactory.getLogger(MetricsJob.class);

  private final RunContext ctx;
  private final List<Metric> metrics;

  public MetricsJob(RunContext ctx) {
    this(
        ctx,
        List.of(
            new ValuationGapMetric(),
            new FundingComparisonMetric(),
            new CompanyEconomicsMetric(),
            new DownloadsMetric(),
            new PeValuationMetric(),
            new ClaimChecksMetric(),
            new FundingTotalsMetric(),
            new DownloadSharesMetric(),
            new FeedReconciliationMetric()));
  }

  public MetricsJob(RunContext ctx, List<Metric> metrics) {
    this.ctx = ctx;
    this.metrics = List.copyOf(metrics);
  }

  public RunRecord run() {
    String started = Instant.now().toString();
    List<RunRecord.Input> inputs = new ArrayList<>();
    List<RunRecord.TableCounts> outputs = new ArrayList<>();
    Path outputsDir = new Path(ctx.paths().outputs());
    try (OutputLock lock = OutputLock.acquire(outputsFs(outputsDir), outputsDir, ctx.runId())) {
      Map<String, Long> versions = registerSilverViews(inputs);
      long lap = System.nanoTime();
      for (Metric metric : metrics) {
        ctx.describe("metrics: " + metric.name());
        TableSchema schema = ctx.schemas().get(SchemaCatalog.GOLD, metric.name());
        Dataset<Row> rows = Frames.project(metric.compute(ctx.spark()).withColumn("run_id", lit(ctx.runId())), schema);
        ParquetOutput.Manifest m =
            ParquetOutput.write(rows, ctx.paths().output(metric.name()), ctx.runId(), versions, schema.description());
        LOG.info("metrics {}: {} rows -> {}", metric.name(), m.rows(), ctx.paths().output(metric.name()));
        double seconds = (System.nanoTime() - lap) / 1e9;
        lap = System.nanoTime();
        outputs.add(new RunRecord.TableCounts(metric.name(), null, m.rows(), m.rows(), 0, 0, 0, 0, null, true, seconds));
      }
      RunRecord record = new RunRecord(ctx.runId(), JOB, started, Instant.now().toString(), "succeeded", null, inputs, outputs, List.of());
      RunLog.append(ctx, record);
      return record;
    } catch (RuntimeException failure) {
      RuntimeException e = Errors.concurrentRun(JOB, failure);
      RunLog.append(ctx, new RunRecord(ctx.runId(), JOB, started, Instant.now().toString(), "failed", e.getMessage(), inputs, outputs, List.of()));
      throw e;
    }
  }

  private FileSystem outputsFs(Path outputs) {
    try {
      return outputs.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new PipelineException("Cannot open " + outputs + ": " + e.getMessage(), e);
    }
  }

  /** Pins each silver table at its current version and registers it as silver_NAME. */
  private Map<String, Long> registerSilverViews(List<RunRecord.Input> inputs) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String table : SILVER_INPUTS) {
      String path = ctx.paths().table(SchemaCatalog.SILVER, table);
      DeltaTables.read(ctx.spark(), table, path); // fails clearly when conform has not run
      long version = DeltaTables.version(ctx.spark(), path);
      ctx.spark().read().format("delta").option("versionAsOf", version).load(path).createOrReplaceTempView("silver_" + table);
      versions.put("silver/" + table, version);
      inputs.add(new RunRecord.Input(path, null, null, version));
    }
    return versions;
  }
}
