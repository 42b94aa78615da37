package org.aigap.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.aigap.core.Errors;
import org.apache.spark.sql.SparkSession;

/**
 * SQL kept as resources of the application (gold outputs, shared SQL functions), not as strings in
 * Java.
 */
public final class SqlFiles {
  /** The SQL functions every gold dataset may use (what a stated figure bounds, verdicts). */
  public static final String FUNCTIONS = "sql/functions.sql";

  private SqlFiles() {}

  public static String read(String resource) {
    try (InputStream in = SqlFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw Errors.cannotRead(
            "the SQL resource", resource, new IOException("not in the application"));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.cannotRead("the SQL resource", resource, e);
    }
  }

  /** Sessions the shared functions have been created in. */
  private static final Set<SparkSession> READY =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * Creates the shared SQL functions in the session, once (they are temporary: the session's own).
   * A session counts as ready only once every function is created, and a second run in the same
   * session waits until then rather than use a function not created yet.
   */
  public static void createFunctions(SparkSession spark) {
    synchronized (READY) {
      if (!READY.contains(spark)) {
        for (String statement : statements(read(FUNCTIONS))) {
          spark.sql(statement);
        }
        READY.add(spark);
      }
    }
  }

  /** The statements of a file: split at semicolons that end a line, comment lines dropped. */
  static List<String> statements(String text) {
    String code = String.join("\n", text.lines().filter(l -> !l.strip().startsWith("--")).toList());
    return Arrays.stream(code.split(";\\s*(\\n|$)"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
