package dev.jobkit.cli;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;

/**
 * Processes items 0..total-1, sleeping {@code delayMs} each, reporting progress in "items" and
 * checkpointing after each; returns how far it got and whether it resumed.
 */
@Job(name = "cli.steps", description = "Counts through items slowly")
public class StepsJob implements JobHandler<String> {
  public int total;
  public long delayMs;
  int next;
  int startedAt = -1;

  public StepsJob() {}

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    int first = next;
    while (next < total) {
      ctx.checkInterrupt();
      Thread.sleep(delayMs);
      next++;
      ctx.progress(Progress.count(next, total, "items"));
      ctx.log("item " + next);
      ctx.checkpoint();
    }
    return "done " + next + " from " + first + " resumed=" + ctx.isResumed();
  }
}
