package org.aigap.graph;

import java.util.Map;
import org.aigap.core.Errors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A transform's inputs by dataset name; asking for one it did not declare is an error. */
public record Inputs(String dataset, Map<String, Dataset<Row>> frames) {
  public Inputs {
    frames = Map.copyOf(frames);
  }

  public Dataset<Row> get(String name) {
    Dataset<Row> frame = frames.get(name);
    if (frame == null) {
      throw Errors.undeclaredInput(dataset, name, frames.keySet());
    }
    return frame;
  }
}
