package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.NonRetryableException;

/** Fails its first {@code failTimes} attempts, then returns the attempt number. */
@Job(name = "test.flaky")
public class FlakyJob implements JobHandler<Integer> {
  public int failTimes;
  public boolean nonRetryable;

  public FlakyJob() {}

  FlakyJob(int failTimes, boolean nonRetryable) {
    this.failTimes = failTimes;
    this.nonRetryable = nonRetryable;
  }

  @Override
  public Integer run(JobContext ctx) {
    if (nonRetryable) {
      throw new NonRetryableException("bad input, attempt " + ctx.attempt());
    }
    if (ctx.attempt() <= failTimes) {
      throw new IllegalStateException("boom " + ctx.attempt());
    }
    return ctx.attempt();
  }
}
