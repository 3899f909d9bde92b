package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * Counts to five, calling only {@code checkInterrupt()} (never {@code checkpoint()}), and fails its
 * first attempt at three; returns where its last attempt started, which shows whether an automatic
 * checkpoint was taken.
 */
@Job(name = "test.auto_checkpoint")
public class AutoCheckpointJob implements JobHandler<Integer> {
  public int next;

  @Override
  public Integer run(JobContext ctx) {
    int start = next;
    while (next < 5) {
      next++;
      awaitNextMillisecond();
      ctx.checkInterrupt();
      if (ctx.attempt() == 1 && next == 3) {
        throw new IllegalStateException("first attempt fails at 3");
      }
    }
    return start;
  }

  /** Lets the wall clock move on, so that a 1 ms checkpoint interval is always due. */
  private static void awaitNextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() == now) {
      Thread.onSpinWait();
    }
  }
}
