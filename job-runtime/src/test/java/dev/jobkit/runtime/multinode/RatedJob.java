package dev.jobkit.runtime.multinode;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * At most 20 starts per second with a burst of 5, on all nodes together (#12 limits); journals its
 * start for {@link PostgresLimitsMultiNodeTest}.
 */
@Job(name = "multinode.rated", rateLimit = "20/1s burst 5")
public class RatedJob implements JobHandler<Void> {
  public int seq;
  public String journal;

  public RatedJob() {}

  RatedJob(int seq, String journal) {
    this.seq = seq;
    this.journal = journal;
  }

  @Override
  public Void run(JobContext ctx) {
    RunJournal.append(journal, 'S', seq, ctx.attempt(), 0, false, "rated");
    return null;
  }
}
