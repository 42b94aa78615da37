package org.aigap.core;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Named crash points for the fault-injection tests. With {@code -Daigap.fault.pause=NAME} a run
 * that reaches NAME prints {@code PAUSED AT NAME} and waits there, so that a test can kill the JVM
 * (SIGKILL) at exactly that moment; without the property a point does nothing.
 */
public final class FaultPoints {
  public static final String PROPERTY = "aigap.fault.pause";

  /**
   * A file path: with it, the point pauses only the first JVM that reaches it (the one that creates
   * the file), so a task retried on a new executor after the kill goes on.
   */
  public static final String ONCE = "aigap.fault.once";

  private FaultPoints() {}

  public static void reach(String name) {
    if (name.equals(System.getProperty(PROPERTY)) && firstToReach()) {
      System.out.println("PAUSED AT " + name);
      System.out.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean firstToReach() {
    String marker = System.getProperty(ONCE);
    if (marker == null) {
      return true;
    }
    try {
      java.nio.file.Files.createFile(java.nio.file.Path.of(marker));
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The rows, unchanged; at point NAME the first partition stops after its last row, inside the
   * Spark task that writes it, while the other tasks have written their files: a kill then leaves
   * data files that no Delta commit names.
   */
  public static Dataset<Row> stallWhileWriting(Dataset<Row> rows, String name) {
    if (!name.equals(System.getProperty(PROPERTY))) {
      return rows;
    }
    return rows.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            it ->
                new Iterator<>() {
                  private final boolean first = org.apache.spark.TaskContext.getPartitionId() == 0;

                  @Override
                  public boolean hasNext() {
                    boolean more = it.hasNext();
                    if (!more && first) {
                      reach(name);
                    }
                    return more;
                  }

                  @Override
                  public Row next() {
                    return it.next();
                  }
                },
        Encoders.row(rows.schema()));
  }
}
