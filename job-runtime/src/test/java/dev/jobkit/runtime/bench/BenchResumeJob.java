package dev.jobkit.runtime.bench;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.concurrent.atomic.AtomicLong;

/** A resumable job for the recovery benchmark; records when the first resumed run started. */
@Job(name = "bench.resume", queue = "bench", resumable = true)
public class BenchResumeJob implements JobHandler<Void> {
  static final AtomicLong FIRST_RESUMED_NANOS = new AtomicLong();

  public int n;

  public BenchResumeJob() {}

  BenchResumeJob(int n) {
    this.n = n;
  }

  @Override
  public Void run(JobContext ctx) {
    if (ctx.isResumed()) {
      FIRST_RESUMED_NANOS.compareAndSet(0, System.nanoTime());
    }
    return null;
  }
}
