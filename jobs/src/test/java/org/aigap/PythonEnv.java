package org.aigap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Python virtual environment the build creates for the notebooks and the cluster test. The
 * build installs it beside the unit tests and marks it {@code .ready} when done; the first use
 * waits for that.
 */
public final class PythonEnv {
  private static final long WAIT_SECONDS = 600;

  private PythonEnv() {}

  public static synchronized Path python() throws IOException, InterruptedException {
    String venv = System.getProperty("aigap.venv");
    if (venv == null) {
      throw new IllegalStateException(
          "aigap.venv is not set: run the integration tests through mvn verify");
    }
    Path ready = Path.of(venv, ".ready");
    for (long waited = 0; !Files.exists(ready); waited++) {
      if (waited >= WAIT_SECONDS) {
        Path log = Path.of(venv).resolveSibling("venv-install.log");
        throw new IllegalStateException(
            "The Python environment "
                + venv
                + " was not ready after "
                + WAIT_SECONDS
                + " s; "
                + log
                + " says:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
      }
      Thread.sleep(1000);
    }
    return Path.of(venv, "bin", "python");
  }

  /**
   * The Spark distribution inside the pyspark package (bin/spark-submit, bin/spark-class, jars/).
   */
  public static Path sparkHome() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                python().toString(),
                "-c",
                "import os, pyspark; print(os.path.dirname(pyspark.__file__))")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || !Files.exists(Path.of(out, "bin", "spark-submit"))) {
      throw new IllegalStateException(
          "No Spark distribution from pyspark in " + python() + ": " + out);
    }
    return Path.of(out);
  }
}
