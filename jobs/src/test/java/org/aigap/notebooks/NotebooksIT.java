package org.aigap.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aigap.PythonEnv;
import org.aigap.ShippedRun;
import org.aigap.TestLakehouse;
import org.junit.jupiter.api.Test;

/**
 * Every notebook executes headless against a whole run on the shipped data, failing on any cell
 * error.
 */
class NotebooksIT {
  @Test
  void everyNotebookRunsWithoutAnError() throws Exception {
    ShippedRun run = ShippedRun.get();
    Path notebooks = TestLakehouse.PROJECT.resolve("notebooks");
    ProcessBuilder pb =
        new ProcessBuilder(
                PythonEnv.python().toString(), notebooks.resolve("run_notebooks.py").toString())
            .redirectErrorStream(true);
    pb.environment()
        .put("AIGAP_OUTPUTS", Path.of(java.net.URI.create(run.ctx.paths().outputs())).toString());
    pb.environment()
        .put(
            "AIGAP_WAREHOUSE",
            Path.of(java.net.URI.create(run.ctx.paths().warehouse())).toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "notebooks finished");
    System.out.println(output);
    assertEquals(0, p.exitValue(), output);
    List<String> names;
    try (var files = Files.list(notebooks)) {
      names =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".ipynb"))
              .sorted()
              .toList();
    }
    assertTrue(names.size() >= 6, "the notebooks are there: " + names);
    for (String name : names) {
      assertTrue(output.contains(name), name + " was executed");
    }
  }
}
