package dev.jobkit.http;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;

/**
 * Counts through {@code total} items, {@code delayMs} each, with progress, a log line and a
 * checkpoint per item.
 */
@Job(name = "http.steps", description = "Counts through items slowly")
public class StepsJob implements JobHandler<String> {
  public int total;
  public long delayMs;
  int next;

  public StepsJob() {}

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    while (next < total) {
      ctx.checkInterrupt();
      Thread.sleep(delayMs);
      next++;
      ctx.progress(Progress.count(next, total, "items"));
      ctx.log("item " + next);
      ctx.checkpoint();
    }
    return "done " + next;
  }
}
