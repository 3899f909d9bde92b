package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;

/**
 * Sums items 0..total-1, checkpointing after each. Before item {@code blockAt} it signals "{@code
 * gate}.reached" and waits for gate {@code gate} (at safe points). Records each item it processes
 * in list {@code gate}.items.
 */
@Job(name = "test.count")
public class CountingJob implements JobHandler<String> {
  public int total;
  public int blockAt = -1;
  public String gate;
  int next;
  long sum;

  public CountingJob() {}

  CountingJob(int total, int blockAt, String gate) {
    this.total = total;
    this.blockAt = blockAt;
    this.gate = gate;
  }

  @Override
  public String run(JobContext ctx) throws InterruptedException {
    int startedAt = next;
    while (next < total) {
      if (next == blockAt) {
        Gates.open(gate + ".reached");
        while (!Gates.awaitBriefly(gate)) {
          ctx.checkInterrupt();
        }
      }
      ctx.checkInterrupt();
      Gates.list(gate + ".items").add(Integer.toString(next));
      sum += next;
      next++;
      ctx.progress(Progress.count(next, total));
      ctx.checkpoint();
    }
    return "sum=" + sum + " start=" + startedAt + " resumed=" + ctx.isResumed();
  }
}
