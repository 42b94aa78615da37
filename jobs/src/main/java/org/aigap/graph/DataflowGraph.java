package org.aigap.graph;

import static org.apache.spark.sql.functions.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aigap.core.ColumnSpec;
import org.aigap.core.Errors;
import org.aigap.core.Level;
import org.aigap.core.PipelineException;
import org.aigap.core.SchemaCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The datasets of the registry as a graph: ordered for running from their declared inputs (a
 * dataset after everything it reads, otherwise in declaration order), refusing a duplicate name, an
 * unknown input or a cycle as it is built. {@link #validate} then analyses every transform on empty
 * inputs, before anything is read or written.
 */
public final class DataflowGraph {
  /** Columns the runner adds to a result, so a transform need not produce them. */
  public static final List<String> RUNNER_COLUMNS = List.of("bronze_version", "run_id");

  private final Map<String, DatasetDef> inRunOrder;

  private DataflowGraph(Map<String, DatasetDef> inRunOrder) {
    this.inRunOrder = inRunOrder;
  }

  public static DataflowGraph of(List<DatasetDef> datasets) {
    Map<String, DatasetDef> byName = new LinkedHashMap<>();
    for (DatasetDef d : datasets) {
      if (byName.put(d.name(), d) != null) {
        throw Errors.invalidDataset(d.name(), "declared twice");
      }
      if (d.layer() == Layer.GOLD && d.inputs().isEmpty()) {
        throw Errors.invalidDataset(d.name(), "a gold dataset needs at least one input");
      }
    }
    for (DatasetDef d : datasets) {
      for (String input : d.inputs()) {
        if (!byName.containsKey(input)) {
          throw Errors.unknownInput(d.name(), input, byName.keySet());
        }
        if (byName.get(input).layer() == Layer.GOLD) {
          throw Errors.invalidDataset(
              d.name(),
              "its input " + input + " is a gold output; datasets read bronze and silver tables");
        }
      }
    }
    Map<String, DatasetDef> ordered = new LinkedHashMap<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (DatasetDef d : datasets) {
      visit(d, byName, ordered, visiting);
    }
    return new DataflowGraph(ordered);
  }

  /**
   * Depth-first: every input placed before the dataset; meeting a dataset being visited is a cycle.
   */
  private static void visit(
      DatasetDef d,
      Map<String, DatasetDef> byName,
      Map<String, DatasetDef> ordered,
      Set<String> visiting) {
    if (ordered.containsKey(d.name())) {
      return;
    }
    if (!visiting.add(d.name())) {
      List<String> path = new ArrayList<>(visiting);
      path = new ArrayList<>(path.subList(path.indexOf(d.name()), path.size()));
      path.add(d.name());
      throw Errors.cycle(path);
    }
    for (String input : d.inputs()) {
      visit(byName.get(input), byName, ordered, visiting);
    }
    visiting.remove(d.name());
    ordered.put(d.name(), d);
  }

  public List<DatasetDef> inRunOrder() {
    return List.copyOf(inRunOrder.values());
  }

  public DatasetDef get(String name) {
    DatasetDef d = inRunOrder.get(name);
    if (d == null) {
      throw Errors.unknownSelector(name, inRunOrder.keySet());
    }
    return d;
  }

  public List<DatasetDef> layer(Layer layer) {
    return inRunOrder.values().stream().filter(d -> d.layer() == layer).toList();
  }

  /** Every dataset that reads {@code name}, directly or not. */
  public Set<String> downstream(String name) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      for (DatasetDef d : inRunOrder.values()) {
        if (d.inputs().contains(n) && out.add(d.name())) {
          todo.push(d.name());
        }
      }
    }
    return out;
  }

  /** Every dataset {@code name} reads, directly or not. */
  public Set<String> upstream(String name) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      for (String input : get(todo.pop()).inputs()) {
        if (out.add(input)) {
          todo.push(input);
        }
      }
    }
    return out;
  }

  /**
   * The datasets the selectors name, in run order, in dbt's syntax: {@code NAME} the dataset,
   * {@code NAME+} it and everything downstream, {@code +NAME} it and everything upstream; several
   * selectors (given apart, or in one string separated by spaces) select the union. A name is
   * {@code layer.table} or a table name no other layer uses; a layer name selects the layer.
   */
  public List<DatasetDef> select(Collection<String> selectors) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String raw : selectors) {
      for (String selector : raw.strip().split("\\s+")) {
        boolean down = selector.endsWith("+");
        boolean up = selector.startsWith("+");
        String name = selector.replaceAll("^\\+|\\+$", "");
        for (String n : resolve(name, selector)) {
          chosen.add(n);
          if (down) {
            chosen.addAll(downstream(n));
          }
          if (up) {
            chosen.addAll(upstream(n));
          }
        }
      }
    }
    return inRunOrder.values().stream().filter(d -> chosen.contains(d.name())).toList();
  }

  private List<String> resolve(String name, String selector) {
    if (inRunOrder.containsKey(name)) {
      return List.of(name);
    }
    for (Layer l : Layer.values()) {
      if (l.label().equals(name)) {
        return layer(l).stream().map(DatasetDef::name).toList();
      }
    }
    List<String> matches =
        inRunOrder.keySet().stream().filter(n -> n.endsWith("." + name)).toList();
    if (matches.isEmpty()) {
      throw Errors.unknownSelector(selector, inRunOrder.keySet());
    }
    if (matches.size() > 1) {
      throw Errors.ambiguousSelector(selector, matches);
    }
    return matches;
  }

  /**
   * Analyses every dataset on empty inputs shaped like the declared schemas of what it reads: a
   * transform that fails, SQL that does not analyse, a rule that does not analyse, or a result
   * lacking a declared column (or giving it a type that cannot stand for the declared one) is an
   * error naming the dataset. Checks {@code datasets}, each on inputs shaped like the declared
   * schemas of what it reads. Runs no Spark job.
   */
  public void validate(SparkSession spark, SchemaCatalog schemas, List<DatasetDef> datasets) {
    Map<String, Dataset<Row>> empty = new HashMap<>();
    for (DatasetDef d : datasets) {
      if (d.layer() != Layer.BRONZE) {
        Map<String, Dataset<Row>> inputs = new HashMap<>();
        d.inputs()
            .forEach(
                i ->
                    inputs.put(
                        i,
                        empty.computeIfAbsent(
                            i,
                            n -> spark.createDataFrame(List.of(), storedSchema(get(n), schemas)))));
        checkResult(d, result(d, new Inputs(d.name(), inputs)));
      }
    }
  }

  /** Runs the transform, turning any failure into an error naming the dataset. */
  static Dataset<Row> result(DatasetDef d, Inputs inputs) {
    try {
      return d.transform().apply(inputs);
    } catch (PipelineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.invalidDataset(d.name(), "its transform fails: " + Errors.firstLine(e));
    }
  }

  private static void checkResult(DatasetDef d, Dataset<Row> result) {
    String file = "schemas/" + d.layer().label() + "/" + d.table() + ".json";
    Map<String, DataType> have = new HashMap<>();
    for (StructField f : result.schema().fields()) {
      have.put(f.name(), f.dataType());
    }
    List<String> problems = new ArrayList<>();
    for (ColumnSpec c : d.schema().columns()) {
      DataType found = have.get(c.name());
      if (found == null) {
        if (!RUNNER_COLUMNS.contains(c.name())) {
          problems.add("no column " + c.name());
        }
      } else if (!compatible(found, c.sparkType())) {
        problems.add(
            "column " + c.name() + " is " + found.catalogString() + ", declared " + c.type());
      }
    }
    if (d.rules().stream().anyMatch(r -> r.level() == Level.QUARANTINE)) {
      for (String lineage : List.of("_source_line", "_row_hash")) {
        if (!have.containsKey(lineage)) {
          problems.add(
              "no column "
                  + lineage
                  + " (a quarantined row is found in "
                  + d.rowsFrom()
                  + " by its line and content hash)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw Errors.schemaMismatch(d.name(), file, String.join("; ", problems));
    }
    for (Rule r : d.rules()) {
      try {
        result.filter(expr(r.passesSql())).select(expr(r.reason()));
      } catch (Exception e) {
        throw Errors.invalidDataset(
            d.name(), "its rule " + r.name() + " does not analyse: " + Errors.firstLine(e));
      }
    }
  }

  /**
   * Same type, or both numbers (the projection casts a number to its declared precision), or null.
   */
  private static boolean compatible(DataType found, DataType declared) {
    return found instanceof NullType
        || (found instanceof NumericType && declared instanceof NumericType)
        || found.catalogString().equals(declared.catalogString());
  }

  /** The columns a dataset is stored with: a bronze table also has the lineage columns. */
  public static StructType storedSchema(DatasetDef d, SchemaCatalog schemas) {
    StructType declared = d.schema().sparkSchema();
    if (d.layer() == Layer.BRONZE) {
      for (StructField f : schemas.get(SchemaCatalog.BRONZE, "lineage").sparkSchema().fields()) {
        declared = declared.add(f);
      }
    }
    return declared;
  }

  /** The graph as a Mermaid flowchart, in run order: what the README shows. */
  public String mermaid() {
    StringBuilder b = new StringBuilder("flowchart LR\n");
    for (Layer l : Layer.values()) {
      b.append("  subgraph ").append(l.label()).append('\n');
      for (DatasetDef d : layer(l)) {
        b.append("    ").append(id(d.name())).append("[\"").append(d.name()).append("\"]\n");
      }
      b.append("  end\n");
    }
    for (DatasetDef d : inRunOrder.values()) {
      if (d.layer() == Layer.BRONZE) {
        b.append("  ")
            .append(id("raw." + d.schema().file()))
            .append("[/\"")
            .append(d.schema().file())
            .append("\"/] --> ")
            .append(id(d.name()))
            .append('\n');
      }
      for (String input : d.inputs()) {
        b.append("  ").append(id(input)).append(" --> ").append(id(d.name())).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * Every dataset in run order with what it reads, where it is written and its row rules: the
   * README's table.
   */
  public String table() {
    StringBuilder b =
        new StringBuilder(
            "| dataset | reads | writes | computed by, and its row rules |\n|---|---|---|---|\n");
    for (DatasetDef d : inRunOrder.values()) {
      String rules =
          switch (d.layer()) {
            case BRONZE -> "ingest, checked by the rules of `schemas/raw/" + d.table() + ".json`";
            case SILVER ->
                "its transform"
                    + d.rules().stream()
                        .map(r -> "`" + r.name() + "` (" + r.level().label() + ")")
                        .reduce((x, y) -> x + ", " + y)
                        .map(r -> "; " + r)
                        .orElse("");
            case GOLD -> "`sql/gold/" + d.table() + ".sql`";
          };
      String reads = String.join(", ", d.reads().stream().map(r -> "`" + r + "`").toList());
      b.append("| `")
          .append(d.name())
          .append("` | ")
          .append(reads)
          .append(" | ")
          .append(writes(d))
          .append(" | ")
          .append(rules)
          .append(" |\n");
    }
    return b.toString();
  }

  /** Where a dataset is written, as the README and the data dictionary say it. */
  static String writes(DatasetDef d) {
    return switch (d.layer()) {
      case BRONZE -> "`WAREHOUSE/bronze/" + d.storedName() + "` (Delta), quarantine";
      case SILVER ->
          "`WAREHOUSE/silver/"
              + d.table()
              + "` (Delta)"
              + (d.rules().stream().anyMatch(r -> r.level() == Level.QUARANTINE)
                  ? ", quarantine"
                  : "");
      case GOLD -> "`OUTPUTS/" + d.table() + "/` (Parquet + `_manifest.json`)";
    };
  }

  private static String id(String name) {
    return String.join("_", Arrays.asList(name.split("[^A-Za-z0-9]+")));
  }
}
