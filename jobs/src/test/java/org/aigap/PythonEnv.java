package org.aigap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Python virtual environment the build creates for the notebooks and the cluster test. */
public final class PythonEnv {
  private PythonEnv() {}

  public static Path python() {
    String venv = System.getProperty("aigap.venv");
    if (venv == null) {
      throw new IllegalStateException("aigap.venv is not set: run the integration tests through mvn verify");
    }
    return Path.of(venv, "bin", "python");
  }

  /** The Spark distribution inside the pyspark package (bin/spark-submit, bin/spark-class, jars/). */
  public static Path sparkHome() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(python().toString(), "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || !Files.exists(Path.of(out, "bin", "spark-submit"))) {
      throw new IllegalStateException("No Spark distribution from pyspark in " + python() + ": " + out);
    }
    return Path.of(out);
  }
}
