package org.aigap.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.aigap.core.Errors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Entities and the alias table that resolves the names documents use. */
final class Entities {
  private Entities() {}

  static Dataset<Row> conform(Dataset<Row> bronze, long version) {
    return bronze
        .withColumn(
            "aliases",
            array_union(
                filter(array(col("name_en"), col("name_zh")), x -> x.isNotNull()),
                ConformJob.pipeList(col("aliases"))))
        .withColumn("bronze_version", lit(version));
  }

  /** One row per alias key; fails when a key would resolve to two entities. */
  static Dataset<Row> aliases(Dataset<Row> entities) {
    Dataset<Row> all =
        entities
            .select(col("entity_id"), explode(col("aliases")).as("alias"))
            .withColumn("alias_key", ConformJob.keyOf(col("alias")))
            .dropDuplicates("alias_key", "entity_id");
    List<Row> clashes =
        all.groupBy("alias_key")
            .agg(count_distinct(col("entity_id")).as("n"), concat_ws(", ", collect_set("entity_id")).as("ids"))
            .filter(col("n").gt(1))
            .collectAsList();
    if (!clashes.isEmpty()) {
      throw Errors.ambiguousAlias(clashes.get(0).getString(0), clashes.get(0).getString(2));
    }
    return all;
  }
}
