package org.aigap.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Entities, and the alias table that resolves the names documents use. */
public final class Entities {
  private Entities() {}

  /** Each entity with every name it goes by: English, Chinese and the listed aliases. */
  public static Dataset<Row> conform(Dataset<Row> bronze) {
    return bronze.withColumn(
        "aliases",
        array_union(
            filter(array(col("name_en"), col("name_zh")), x -> x.isNotNull()),
            Conventions.pipeList(col("aliases"))));
  }

  /**
   * One row per alias key and entity, with every entity the key names ({@code entity_ids_for_key}):
   * a key naming two entities is refused by the dataset's rule, never resolved by chance.
   */
  public static Dataset<Row> aliases(Dataset<Row> entities) {
    return entities
        .select(col("entity_id"), explode(col("aliases")).as("alias"))
        .withColumn("alias_key", Conventions.aliasKey(col("alias")))
        .dropDuplicates("alias_key", "entity_id")
        .withColumn(
            "entity_ids_for_key",
            array_sort(collect_set("entity_id").over(Window.partitionBy("alias_key"))));
  }
}
