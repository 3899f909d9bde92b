package dev.jobkit.http.browser;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.LogLevel;
import dev.jobkit.NonRetryableException;

/**
 * Fails at once, or succeeds when {@code succeed} is set: the dashboard's tests retry failed jobs
 * in bulk.
 */
@Job(name = "alerts.deliver", description = "Delivers an alert; always fails with the given reason")
public class FailingJob implements JobHandler<String> {
  /** The error message. */
  public String reason = "the upstream service answered 503";

  /** For the registry. */
  public FailingJob() {}

  @Override
  public String run(JobContext ctx) {
    ctx.log(LogLevel.ERROR, "giving up: " + reason);
    throw new NonRetryableException(reason);
  }
}
