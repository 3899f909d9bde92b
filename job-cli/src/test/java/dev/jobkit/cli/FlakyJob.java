package dev.jobkit.cli;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.NonRetryableException;

/**
 * Fails its first {@code failTimes} attempts (or every one, if non-retryable), then returns the
 * attempt number.
 */
@Job(name = "cli.flaky")
public class FlakyJob implements JobHandler<Integer> {
  public int failTimes;
  public boolean nonRetryable;

  public FlakyJob() {}

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
