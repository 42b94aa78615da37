package org.aigap;

import java.util.List;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.TableSchema;
import org.aigap.graph.DataflowGraph;
import org.aigap.graph.DatasetDef;
import org.aigap.graph.Runner;

/** Runs of the pipeline's graph, or of part of it, in the shared session: what the tests drive. */
public final class Runs {
  private Runs() {}

  /** Runs what the selectors name (dbt syntax, as on the command line) of the registry's graph. */
  public static List<RunRecord> select(RunContext ctx, String... selectors) {
    DataflowGraph graph = Registry.graph(ctx.schemas());
    return new Runner(ctx, graph).run(graph.select(List.of(selectors)), false);
  }

  /** Ingests one raw extract, declared by {@code schema}, as a graph of its own. */
  public static RunRecord ingest(RunContext ctx, TableSchema schema) {
    DataflowGraph graph = DataflowGraph.of(List.of(DatasetDef.bronze(schema)));
    return new Runner(ctx, graph).run(graph.inRunOrder(), false).get(0);
  }
}
