package org.aigap.conform;

import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import org.aigap.core.Frames;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Claims with their fact references as lists, and the references that lead nowhere. */
final class Claims {
  private Claims() {}

  static Dataset<Row> conform(Dataset<Row> bronze, long version) {
    return bronze
        .withColumn("left_fact_ids", ConformJob.pipeList(col("left_fact_ids")))
        .withColumn("right_fact_ids", ConformJob.pipeList(col("right_fact_ids")))
        .withColumn("bronze_version", lit(version));
  }

  /** One row per (claim, missing fact id), carrying the claim's bronze columns for quarantine. */
  static Dataset<Row> danglingReferences(Dataset<Row> claims, Dataset<Row> facts) {
    Dataset<Row> ids = facts.select(col("fact_id").as("missing_fact_id"));
    return claims
        .withColumn("missing_fact_id", explode(array_union(col("left_fact_ids"), col("right_fact_ids"))))
        .join(ids, Frames.seq("missing_fact_id"), "left_anti")
        .withColumn("left_fact_ids", org.apache.spark.sql.functions.concat_ws("|", col("left_fact_ids")))
        .withColumn("right_fact_ids", org.apache.spark.sql.functions.concat_ws("|", col("right_fact_ids")));
  }
}
