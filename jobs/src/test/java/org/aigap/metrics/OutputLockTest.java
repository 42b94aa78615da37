package org.aigap.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aigap.core.PipelineException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One metrics run at a time per outputs folder; a lock left by a killed run does not block for
 * ever.
 */
class OutputLockTest {
  private static String outputs(Path dir) {
    return dir.toUri().toString();
  }

  private static Configuration hadoop() {
    return org.aigap.TestLakehouse.hadoop();
  }

  @Test
  void aSecondRunIsRefusedWithTheHoldersRunIdWhileTheFirstHoldsTheLock(@TempDir Path dir)
      throws Exception {
    try (OutputLock first = OutputLock.acquire(hadoop(), outputs(dir), "run-a")) {
      PipelineException e =
          assertThrows(
              PipelineException.class, () -> OutputLock.acquire(hadoop(), outputs(dir), "run-b"));
      assertTrue(
          e.getMessage().startsWith("Another metrics run is writing the outputs in "),
          e.getMessage());
      assertTrue(e.getMessage().contains("held by run run-a"), e.getMessage());
    }
    OutputLock.acquire(hadoop(), outputs(dir), "run-c").close(); // released: free again
  }

  @Test
  void aLockLeftByAKilledRunOnThisHostIsTakenOver(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path lock = dir.resolve(OutputLock.FILE);
    Files.createDirectories(lock.getParent());
    Files.writeString(
        lock, "run-killed " + InetAddress.getLocalHost().getHostName() + " " + gone.pid());
    try (OutputLock taken = OutputLock.acquire(hadoop(), outputs(dir), "run-next")) {
      assertTrue(Files.readString(lock).startsWith("run-next "));
    }
    assertFalse(Files.exists(lock));
  }
}
