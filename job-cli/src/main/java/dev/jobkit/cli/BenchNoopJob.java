package dev.jobkit.cli;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The no-op job of {@code jobkit bench}: it records that job {@link #n} ran, how often, and when
 * its latest run started, in the {@link Tally} the benchmark installed before starting workers.
 */
@Job(
    name = "jobkit.bench.noop",
    queue = BenchNoopJob.QUEUE,
    description = "No-op job of 'jobkit bench': counts its runs")
class BenchNoopJob implements JobHandler<Void> {
  /** The queue of the benchmark's jobs. */
  static final String QUEUE = "jobkit-bench";

  /**
   * Runs and start times by job number, for one phase of the benchmark.
   *
   * @param runs how many times each job number ran
   * @param startNanos {@link System#nanoTime()} at the start of each job number's latest run
   * @param total runs of all job numbers together
   */
  record Tally(AtomicIntegerArray runs, AtomicLongArray startNanos, AtomicInteger total) {
    Tally(int jobs) {
      this(new AtomicIntegerArray(jobs), new AtomicLongArray(jobs), new AtomicInteger());
    }

    /** Job numbers that ran more than once. */
    int ranTwice() {
      int n = 0;
      for (int i = 0; i < runs.length(); i++) {
        n += runs.get(i) > 1 ? 1 : 0;
      }
      return n;
    }

    /** Job numbers that never ran. */
    int neverRan() {
      int n = 0;
      for (int i = 0; i < runs.length(); i++) {
        n += runs.get(i) == 0 ? 1 : 0;
      }
      return n;
    }
  }

  /**
   * Where runs are counted; set by the benchmark while its workers run (static: the runtime creates
   * the jobs).
   */
  static volatile Tally tally;

  /** The job's number, an index into the {@link Tally}. */
  int n;

  BenchNoopJob() {}

  BenchNoopJob(int n) {
    this.n = n;
  }

  @Override
  public Void run(JobContext ctx) {
    long now = System.nanoTime();
    Tally t = tally;
    if (t == null || n < 0 || n >= t.runs().length()) {
      throw new IllegalStateException(
          "jobkit.bench.noop job " + n + " ran outside of 'jobkit bench'" + " (no tally for it)");
    }
    t.startNanos().set(n, now);
    t.runs().incrementAndGet(n);
    t.total().incrementAndGet();
    return null;
  }
}
