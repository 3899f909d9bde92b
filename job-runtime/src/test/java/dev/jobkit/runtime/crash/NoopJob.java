package dev.jobkit.runtime.crash;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** Does nothing; carries a sequence number so every dispatch in a storm is distinct. */
@Job(name = "crash.noop")
public class NoopJob implements JobHandler<Integer> {
  public int seq;

  public NoopJob() {}

  NoopJob(int seq) {
    this.seq = seq;
  }

  @Override
  public Integer run(JobContext ctx) {
    return seq;
  }
}
