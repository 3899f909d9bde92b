package dev.jobkit.micrometer;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.NonRetryableException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fails its first {@code failTimes} attempts, or every attempt for good when {@code fatal}; waits
 * for {@link #gate} first when {@code block}.
 */
@Job(name = "metrics.step")
public class StepJob implements JobHandler<Integer> {
  /** Opened by a test to let blocking jobs finish. */
  static volatile CountDownLatch gate = new CountDownLatch(0);

  public int failTimes;
  public boolean fatal;
  public boolean block;

  public StepJob() {}

  StepJob(int failTimes, boolean fatal, boolean block) {
    this.failTimes = failTimes;
    this.fatal = fatal;
    this.block = block;
  }

  @Override
  public Integer run(JobContext ctx) throws Exception {
    if (block && !gate.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never opened the gate");
    }
    if (fatal) {
      throw new NonRetryableException("fatal, attempt " + ctx.attempt());
    }
    if (ctx.attempt() <= failTimes) {
      throw new IllegalStateException("boom " + ctx.attempt());
    }
    return ctx.attempt();
  }
}
