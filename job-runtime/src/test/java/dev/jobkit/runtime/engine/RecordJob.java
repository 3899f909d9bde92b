package dev.jobkit.runtime.engine;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;

/** Appends its label to a list, to observe run order. */
@Job(name = "test.record")
public class RecordJob implements JobHandler<Void> {
  public String list;
  public String label;

  public RecordJob() {}

  RecordJob(String list, String label) {
    this.list = list;
    this.label = label;
  }

  @Override
  public Void run(JobContext ctx) {
    Gates.list(list).add(label);
    return null;
  }
}
