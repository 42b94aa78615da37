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

  @Test
  void aLockLeftIncompleteByARunKilledAsItTookItIsTakenOverOnceItIsAMinuteOld(@TempDir Path dir)
      throws Exception {
    Path lock = dir.resolve(OutputLock.FILE);
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, ""); // created, its line never written
    PipelineException fresh =
        assertThrows(
            PipelineException.class, () -> OutputLock.acquire(hadoop(), outputs(dir), "run-b"));
    assertTrue(
        fresh.getMessage().contains(", being written by a run taking it); wait for it"),
        fresh.getMessage());
    Files.setLastModifiedTime(
        lock,
        java.nio.file.attribute.FileTime.fromMillis(
            System.currentTimeMillis() - OutputLock.INCOMPLETE_AFTER_MS - 1_000));
    try (OutputLock taken = OutputLock.acquire(hadoop(), outputs(dir), "run-c")) {
      assertTrue(Files.readString(lock).startsWith("run-c "));
    }
  }
}
