package dev.jobkit.examples.spring;

import dev.jobkit.JobContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * How far {@link StepsJob}s may go: an application would wait for real work here (a file, an
 * answer); the tests hold a job between two steps with it, to stop the application under it.
 */
@Component
public class StepGate {
  private final AtomicInteger allowed = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger waitingAt = new AtomicInteger(-1);
  private final Object lock = new Object();

  /** Lets steps below {@code steps} run; later ones wait. */
  public void allow(int steps) {
    allowed.set(steps);
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** The step a job waits to run, or -1. */
  public int waitingAt() {
    return waitingAt.get();
  }

  /**
   * Returns once {@code step} may run, checking for a stop request of the job while it waits.
   *
   * @throws dev.jobkit.JobInterruptedException when the job is asked to stop (the application
   *     stops, or the job is paused or cancelled)
   */
  void await(JobContext ctx, int step) throws InterruptedException {
    while (step >= allowed.get()) {
      waitingAt.set(step);
      ctx.checkInterrupt();
      synchronized (lock) {
        lock.wait(20);
      }
    }
    waitingAt.set(-1);
  }
}
