package org.aigap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aigap.core.PipelineException;
import org.aigap.core.RunRecord;

/** Two runs started at the same instant on two threads of the shared session. */
public final class Concurrently {
  private Concurrently() {}

  /**
   * Runs {@code run} twice at once and returns how many succeeded, asserting that a run that failed
   * did so with a clear conflict message that says to re-run.
   */
  public static int runTwice(Callable<RunRecord> run) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<RunRecord>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          pool.submit(
              () -> {
                start.await();
                return run.call();
              }));
    }
    start.countDown();
    int succeeded = 0;
    for (Future<RunRecord> r : runs) {
      try {
        r.get();
        succeeded++;
      } catch (ExecutionException e) {
        assertTrue(
            e.getCause() instanceof PipelineException, "a clear failure, not " + e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(
            message.startsWith("Another run wrote to the same Delta table at the same time")
                || message.startsWith("Cannot create the Delta table at "),
            message);
        assertTrue(message.contains("re-run"), message);
      }
    }
    pool.shutdown();
    return succeeded;
  }
}
