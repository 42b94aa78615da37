package org.aigap.graph;

import java.util.ArrayList;
import java.util.List;
import org.aigap.core.ColumnSpec;
import org.aigap.core.Expectation;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;

/**
 * The data dictionary, generated from {@code schemas/} and the registry: every dataset in run order
 * with what it is built from, where it is written, its key, every column (type, nullability,
 * meaning, allowed values, pattern, bounds, unit) and its row rules, then the system tables. {@code
 * aigap dictionary} prints it; {@code schemas/DICTIONARY.md} holds it, kept equal by a test.
 */
public final class DataDictionary {
  private DataDictionary() {}

  public static String of(DataflowGraph graph, SchemaCatalog schemas) {
    StringBuilder b = new StringBuilder("# Data dictionary\n\n");
    b.append(
            "Generated from `schemas/` by `jobs/bin/aigap dictionary`; `RegistryTest` fails when"
                + " this file and the\n")
        .append(
            "schemas differ. Datasets in run order; `RAW`, `WAREHOUSE` and `OUTPUTS` are the run's"
                + " folders.\n");
    TableSchema lineage = schemas.get(SchemaCatalog.BRONZE, "lineage");
    for (DatasetDef d : graph.inRunOrder()) {
      TableSchema s = d.schema();
      b.append("\n## ").append(d.name()).append("\n\n").append(s.description()).append("\n\n");
      b.append("- built from: ")
          .append(String.join(", ", d.reads().stream().map(r -> "`" + r + "`").toList()))
          .append(
              switch (d.layer()) {
                case BRONZE -> ", checked by `schemas/raw/" + d.table() + ".json`";
                case SILVER -> ", by its transform (`Registry`)";
                case GOLD -> ", by `sql/gold/" + d.table() + ".sql`";
              })
          .append("\n- written to: ")
          .append(DataflowGraph.writes(d))
          .append('\n');
      if (!s.key().isEmpty()) {
        b.append("- key: ")
            .append(String.join(", ", s.key().stream().map(k -> "`" + k + "`").toList()))
            .append('\n');
      }
      List<ColumnSpec> columns = new ArrayList<>(s.columns());
      if (d.layer() == Layer.BRONZE) {
        columns.addAll(lineage.columns());
      }
      b.append('\n').append(columnTable(columns));
      List<String> rules = new ArrayList<>();
      s.expectations().forEach(e -> rules.add(rule(e)));
      d.rules()
          .forEach(
              r ->
                  rules.add(
                      "`"
                          + r.name()
                          + "` ("
                          + r.level().label()
                          + ", `"
                          + r.column()
                          + "`): passes when `"
                          + r.passes().replace("|", "&#124;")
                          + "`"));
      if (!rules.isEmpty()) {
        b.append("\nRules:\n\n");
        rules.forEach(r -> b.append("- ").append(r).append('\n'));
      }
    }
    b.append("\n## System tables\n");
    for (TableSchema s :
        List.of(
            schemas.get(SchemaCatalog.BRONZE, "quarantine"),
            schemas.get(SchemaCatalog.AUDIT, "run_log"))) {
      b.append("\n### ")
          .append(s.layer())
          .append('.')
          .append(s.name())
          .append("\n\n")
          .append(s.description())
          .append("\n\n");
      b.append(columnTable(s.columns()));
    }
    return b.toString();
  }

  private static String columnTable(List<ColumnSpec> columns) {
    StringBuilder b = new StringBuilder("| column | type | null | meaning |\n|---|---|---|---|\n");
    for (ColumnSpec c : columns) {
      StringBuilder meaning = new StringBuilder(c.description() == null ? "" : c.description());
      if (!c.allowed().isEmpty()) {
        meaning
            .append(" Allowed: ")
            .append(String.join(", ", c.allowed().stream().map(a -> "`" + a + "`").toList()))
            .append('.');
      }
      if (c.pattern() != null) {
        meaning.append(" Pattern: `").append(c.pattern()).append("`.");
      }
      if (c.min() != null) {
        meaning.append(" Minimum ").append(c.min()).append('.');
      }
      if (c.max() != null) {
        meaning.append(" Maximum ").append(c.max()).append('.');
      }
      if (c.unit() != null) {
        meaning.append(" Unit: ").append(c.unit()).append('.');
      }
      b.append("| `")
          .append(c.name())
          .append("` | ")
          .append(c.type())
          .append(" | ")
          .append(c.isNullable() ? "yes" : "no")
          .append(" | ")
          .append(meaning.toString().replace("|", "&#124;"))
          .append(" |\n");
    }
    return b.toString();
  }

  private static String rule(Expectation e) {
    return "`"
        + e.name()
        + "` ("
        + e.level().label()
        + ", "
        + String.join("+", e.columns())
        + "): "
        + e.message()
        + " — `"
        + e.check().replace("|", "&#124;")
        + "`";
  }
}
