package dev.jobkit.cli;

import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.LimitSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jobkit bench --limits N}: what do limits cost when they do not bind? On a fresh database
 * each, with {@code workers} workers, the drain of {@code N} no-op jobs dispatched in one
 * transaction, from dispatch to the last completion: (a) without limits; (b) with a concurrency
 * limit and a rate limit on the job type that never bind (a million running, a million starts per
 * second), so every job takes the claim's limited phase. Each is run {@code rounds} times,
 * alternately, after a warm-up of both; the medians are reported. On a noisy machine single drains
 * vary by more than the cost measured: more rounds narrow the medians.
 */
final class LimitsBench {
  /** Measured runs of each shape when {@code --reps} is not given. */
  static final int DEFAULT_ROUNDS = 3;

  /**
   * What was measured.
   *
   * @param jobs jobs in each drain
   * @param plainSeconds the median drain without limits
   * @param limitedSeconds the median drain with limits that do not bind
   */
  record Result(int jobs, double plainSeconds, double limitedSeconds) {
    /** Limited throughput over plain throughput (1.0 = no cost). */
    double ratio() {
      return plainSeconds / limitedSeconds;
    }
  }

  private final BenchScratch scratch;
  private final int jobs;
  private final int workers;
  private final int rounds;

  LimitsBench(BenchScratch scratch, int jobs, int workers, int rounds) {
    this.scratch = scratch;
    this.jobs = jobs;
    this.workers = workers;
    this.rounds = rounds;
  }

  Result run() throws Exception {
    drain(Math.min(jobs, 2_000), false);
    drain(Math.min(jobs, 2_000), true);
    double[] plain = new double[rounds];
    double[] limited = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      plain[i] = drain(jobs, false);
      limited[i] = drain(jobs, true);
    }
    return new Result(jobs, Benchmark.median(plain), Benchmark.median(limited));
  }

  /** Seconds from dispatch to the last completion. */
  private double drain(int n, boolean limits) throws Exception {
    JobManager.Builder b = scratch.freshDatabase().get().workers(BenchNoopJob.QUEUE, workers);
    if (limits) {
      b.limit(LimitSpec.concurrency("jobkit.bench.tick", 1_000_000))
          .limit(
              LimitSpec.rate("jobkit.bench.tick", 1_000_000, Duration.ofSeconds(1))
                  .burst(1_000_000));
    }
    try (JobManager m = b.open()) {
      List<BenchTickJob> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(new BenchTickJob());
      }
      scratch.settle();
      long t0 = System.nanoTime();
      List<JobHandle<?>> handles = m.dispatchAll(batch);
      for (JobHandle<?> h : handles) {
        h.result().get(10, TimeUnit.MINUTES);
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }
}
