package dev.jobkit.runtime.multinode;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * A short job: journals its start ("S"), works {@code workMs} (a sleep), journals its end ("E") and
 * returns which node and attempt ran it, so the test can tell whose completion won.
 */
@Job(name = "multinode.short")
public class ShortJob implements JobHandler<String> {
  public int seq;
  public String journal;
  public long workMs;

  public ShortJob() {}

  ShortJob(int seq, String journal, long workMs) {
    this.seq = seq;
    this.journal = journal;
    this.workMs = workMs;
  }

  @Override
  public String run(JobContext ctx) throws Exception {
    RunJournal.append(journal, 'S', seq, ctx.attempt(), 0, ctx.isResumed(), null);
    try {
      if (workMs > 0) {
        Thread.sleep(workMs);
      }
    } catch (Throwable t) {
      RunJournal.append(journal, 'X', seq, ctx.attempt(), 0, ctx.isResumed(), t.toString());
      throw t;
    }
    RunJournal.append(journal, 'E', seq, ctx.attempt(), 0, ctx.isResumed(), null);
    return "seq=" + seq + " node=" + RunJournal.node() + " attempt=" + ctx.attempt();
  }
}
