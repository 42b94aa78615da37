package org.aigap.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aigap.core.Errors;
import org.aigap.core.LakehousePaths;
import org.aigap.core.Level;
import org.aigap.core.PipelineException;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One declared dataset of the graph: its name ({@code layer.table}), its inputs by dataset name,
 * its schema from {@code schemas/}, and how it is computed. A bronze dataset ingests the raw file
 * its schema names, checked by the schema's rules; a silver dataset is a {@link Transform} with row
 * {@link Rule}s; a gold dataset is a SQL file whose inputs are visible as views named {@code
 * layer_table} (e.g. {@code silver_facts}).
 *
 * @param rowsFrom the input every row of which must end up in this dataset or in quarantine (null
 *     for an aggregate or a derived table, where rows are not carried one for one)
 * @param sql the SQL text of a gold dataset, part of its fingerprint (null otherwise)
 */
public record DatasetDef(
    String name,
    Layer layer,
    TableSchema schema,
    List<String> inputs,
    Transform transform,
    List<Rule> rules,
    String rowsFrom,
    String sql) {

  public DatasetDef {
    inputs = List.copyOf(inputs);
    rules = List.copyOf(rules);
    if (rowsFrom != null && !inputs.contains(rowsFrom)) {
      throw Errors.invalidDataset(
          name, "rows_from " + rowsFrom + " is not one of its inputs " + inputs);
    }
    if (rowsFrom == null && rules.stream().anyMatch(r -> r.level() == Level.QUARANTINE)) {
      throw Errors.invalidDataset(
          name, "a quarantine rule needs the input its rows come from (rows_from)");
    }
  }

  /** The bronze table of a raw extract declared in {@code schemas/raw/}. */
  public static DatasetDef bronze(TableSchema raw) {
    return new DatasetDef(
        "bronze." + raw.name(), Layer.BRONZE, raw, List.of(), null, List.of(), null, null);
  }

  public static DatasetDef silver(
      TableSchema schema,
      List<String> inputs,
      String rowsFrom,
      List<Rule> rules,
      Transform transform) {
    return new DatasetDef(
        "silver." + schema.name(), Layer.SILVER, schema, inputs, transform, rules, rowsFrom, null);
  }

  /** A gold output computed by {@code sql} over its inputs' views. */
  public static DatasetDef gold(TableSchema schema, List<String> inputs, String sql) {
    String name = "gold." + schema.name();
    return new DatasetDef(
        name, Layer.GOLD, schema, inputs, in -> runSql(name, sql, in), List.of(), null, sql);
  }

  /** The name of the view a dataset is visible as in a gold dataset's SQL. */
  public static String viewName(String dataset) {
    return dataset.replace('.', '_');
  }

  /** The table name without its layer, as in schemas/ and in the warehouse's folders. */
  public String table() {
    return name.substring(name.indexOf('.') + 1);
  }

  /** The name it is stored under: a bronze table keeps its extract's {@code bronze_table} name. */
  public String storedName() {
    return layer == Layer.BRONZE ? schema.bronzeTable() : table();
  }

  /** Where the dataset is stored: a Delta table (bronze, silver) or a Parquet folder (gold). */
  public String path(LakehousePaths paths) {
    return layer == Layer.GOLD ? paths.output(table()) : paths.table(layer.label(), storedName());
  }

  /** What the dataset reads, for the plan and the README: its raw file, or its inputs. */
  public List<String> reads() {
    if (layer == Layer.BRONZE) {
      return List.of("RAW/" + schema.file());
    }
    return inputs;
  }

  /**
   * Runs {@code sql} with exactly the declared inputs visible as views, so that SQL reading an
   * undeclared dataset does not analyse. Analysis happens here, eagerly: the analysed plan holds
   * what the views stood for, and they are dropped again. Temporary views are shared by the whole
   * session, so runs in one JVM analyse their SQL one at a time.
   */
  private static Dataset<Row> runSql(String dataset, String sql, Inputs in) {
    SparkSession spark = in.frames().values().iterator().next().sparkSession();
    synchronized (DatasetDef.class) {
      List<String> views = new ArrayList<>();
      try {
        for (Map.Entry<String, Dataset<Row>> e : in.frames().entrySet()) {
          String view = viewName(e.getKey());
          e.getValue().createOrReplaceTempView(view);
          views.add(view);
        }
        SqlFiles.createFunctions(spark);
        return spark.sql(sql);
      } catch (PipelineException e) {
        throw e;
      } catch (Exception e) { // AnalysisException is checked in Java's eyes
        throw Errors.sqlDoesNotAnalyse(dataset, e);
      } finally {
        views.forEach(v -> spark.catalog().dropTempView(v));
      }
    }
  }
}
