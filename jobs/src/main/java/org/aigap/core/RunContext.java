package org.aigap.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * What every job of one pipeline run shares: the session, the schemas, the paths and the run id.
 */
public record RunContext(
    SparkSession spark, SchemaCatalog schemas, LakehousePaths paths, String runId) {

  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static RunContext create(SparkSession spark, SchemaCatalog schemas, LakehousePaths paths) {
    String runId =
        RUN_ID_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new RunContext(
        spark, schemas, paths.qualified(spark.sparkContext().hadoopConfiguration()), runId);
  }

  /** When run {@code runId} started, from its id (e.g. 20261130T130939Z-977325ec); null if none. */
  public static Instant startOf(String runId) {
    int dash = runId.indexOf('-');
    try {
      return Instant.from(RUN_ID_TIME.parse(dash < 0 ? runId : runId.substring(0, dash)));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Labels the Spark jobs that follow, so the Spark UI shows which step is running. */
  public void describe(String step) {
    spark.sparkContext().setJobDescription(runId + " " + step);
  }
}
