package dev.jobkit.runtime.multinode;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/**
 * At most two running per {@code host} on all nodes together (#12 limits): journals its start and
 * end with its key, so {@link PostgresLimitsMultiNodeTest} can count how many ran at once.
 */
@Job(name = "multinode.limited", concurrency = 2, concurrencyKey = "host")
public class LimitedJob implements JobHandler<String> {
  public int seq;
  public String journal;
  public String host;
  public long workMs;

  public LimitedJob() {}

  LimitedJob(int seq, String journal, String host, long workMs) {
    this.seq = seq;
    this.journal = journal;
    this.host = host;
    this.workMs = workMs;
  }

  @Override
  public String run(JobContext ctx) throws Exception {
    RunJournal.append(journal, 'S', seq, ctx.attempt(), 0, false, "host=" + host);
    try {
      Thread.sleep(workMs);
    } finally {
      RunJournal.append(journal, 'E', seq, ctx.attempt(), 0, false, "host=" + host);
    }
    return host;
  }
}
