package dev.jobkit.runtime.bench;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.concurrent.atomic.AtomicLong;

/** A no-op job for the runtime benchmark; counts its runs and records when the last one started. */
@Job(name = "bench.noop", queue = "bench")
public class BenchNoopJob implements JobHandler<Void> {
  static final AtomicLong RUNS = new AtomicLong();
  static volatile long lastStartNanos;

  public int n;

  public BenchNoopJob() {}

  BenchNoopJob(int n) {
    this.n = n;
  }

  @Override
  public Void run(JobContext ctx) {
    lastStartNanos = System.nanoTime();
    RUNS.incrementAndGet();
    return null;
  }
}
