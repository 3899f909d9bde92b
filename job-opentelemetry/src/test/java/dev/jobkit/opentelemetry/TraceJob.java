package dev.jobkit.opentelemetry;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** Logs "attempt N", then fails its first {@code failTimes} attempts. */
@Job(name = "otel.step")
public class TraceJob implements JobHandler<Integer> {
  public int failTimes;

  public TraceJob() {}

  TraceJob(int failTimes) {
    this.failTimes = failTimes;
  }

  @Override
  public Integer run(JobContext ctx) {
    ctx.log("attempt " + ctx.attempt());
    if (ctx.attempt() <= failTimes) {
      throw new IllegalStateException("boom " + ctx.attempt());
    }
    return ctx.attempt();
  }
}
