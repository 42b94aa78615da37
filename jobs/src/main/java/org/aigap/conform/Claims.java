package org.aigap.conform;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.not;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Claims with their fact references as lists, and the references that lead nowhere. */
public final class Claims {
  private Claims() {}

  /** Adds {@code missing_fact_ids}: the facts a claim compares that silver facts does not hold. */
  public static Dataset<Row> conform(Dataset<Row> bronze, Dataset<Row> facts) {
    Dataset<Row> known = facts.agg(collect_set("fact_id").as("_known_fact_ids"));
    return bronze
        .withColumn("left_fact_ids", Conventions.pipeList(col("left_fact_ids")))
        .withColumn("right_fact_ids", Conventions.pipeList(col("right_fact_ids")))
        .crossJoin(known)
        .withColumn(
            "missing_fact_ids",
            filter(
                array_union(col("left_fact_ids"), col("right_fact_ids")),
                id -> not(array_contains(col("_known_fact_ids"), id))))
        .drop("_known_fact_ids");
  }
}
