package org.aigap.bench;

import java.util.List;
import org.aigap.core.SparkSessions;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The engine's fixed cost: a session with Delta, one tiny Delta table and one tiny Parquet file.
 */
public final class BareJob {
  private BareJob() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    String dir = args[0];
    SparkSession spark = SparkSessions.getOrCreate("bare", dir);
    var one = spark.createDataset(List.of("one row"), Encoders.STRING()).toDF("value");
    one.write().format("delta").mode("overwrite").save(dir + "/delta");
    one.write().mode("overwrite").parquet(dir + "/parquet");
    System.out.printf("BENCH work_seconds=%.2f%n", (System.nanoTime() - started) / 1e9);
    spark.stop();
  }
}
