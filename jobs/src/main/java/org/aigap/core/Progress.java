package org.aigap.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows that a long step is alive: once a step (the Spark job description the runner sets per
 * dataset) has run for the interval, one line every interval with its seconds so far and the rows
 * its finished tasks read and wrote. Only the command line starts it, so tests stay quiet; {@value
 * #SECONDS} sets the interval (0: off).
 */
public final class Progress extends SparkListener implements AutoCloseable {
  public static final String SECONDS = "spark.aigap.progressSeconds";
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final SparkSession spark;
  private final LongSupplier clock;
  private final long intervalNanos;
  private final ScheduledExecutorService timer;
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  private volatile String step;
  private volatile long stepStarted;

  Progress(SparkSession spark, Duration interval, LongSupplier clock, boolean scheduled) {
    this.spark = spark;
    this.clock = clock;
    this.intervalNanos = interval.toNanos();
    spark.sparkContext().addSparkListener(this);
    if (scheduled) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "aigap-progress");
                t.setDaemon(true);
                return t;
              });
      long ms = interval.toMillis();
      timer.scheduleAtFixedRate(() -> line().ifPresent(LOG::info), ms, ms, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** Progress lines at the interval {@value #SECONDS} gives (default 10 s); null when it is 0. */
  public static Progress start(SparkSession spark) {
    long seconds = Settings.number(spark, SECONDS, 10, "seconds");
    return seconds <= 0
        ? null
        : new Progress(spark, Duration.ofSeconds(seconds), System::nanoTime, true);
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String description =
        jobStart.properties() == null
            ? null
            : jobStart.properties().getProperty("spark.job.description");
    if (description != null && !description.equals(step)) {
      step = description;
      stepStarted = clock.getAsLong();
      rowsRead.set(0);
      rowsWritten.set(0);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskMetrics m = taskEnd.taskMetrics();
    if (m != null) {
      rowsRead.addAndGet(m.inputMetrics().recordsRead());
      rowsWritten.addAndGet(m.outputMetrics().recordsWritten());
    }
  }

  /** The line to show now: only for a step that has run at least one interval. */
  Optional<String> line() {
    String current = step;
    long running = clock.getAsLong() - stepStarted;
    if (current == null || running < intervalNanos) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "%s: running for %d s; finished tasks read %,d rows and wrote %,d so far",
            current, TimeUnit.NANOSECONDS.toSeconds(running), rowsRead.get(), rowsWritten.get()));
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    spark.sparkContext().removeSparkListener(this);
  }
}
