package org.aigap.graph;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A dataset's computation: a pure function of its declared inputs. It runs no Spark action and
 * writes nothing; reading, checking, projecting and writing are the runner's.
 */
@FunctionalInterface
public interface Transform {
  Dataset<Row> apply(Inputs inputs);
}
