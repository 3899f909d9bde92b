package dev.jobkit.runtime.schedule;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** A scheduled job that does nothing but complete: its slot is in its idempotency key. */
@Job(name = "test.tick")
public class TickJob implements JobHandler<Void> {
  public String label;

  public TickJob() {}

  TickJob(String label) {
    this.label = label;
  }

  @Override
  public Void run(JobContext ctx) {
    return null;
  }
}
