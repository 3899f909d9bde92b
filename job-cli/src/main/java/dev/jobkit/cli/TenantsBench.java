package dev.jobkit.cli;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code jobkit bench --tenants N}: fair claiming across tenants (#14). On a fresh database each
 * time: tenant A's {@code N} no-op jobs are queued (by a manager without workers); a manager with
 * {@code workers} workers starts on them; once it has started {@link #WARM_UP} of them, tenant B
 * dispatches {@link #FEW} jobs. Measured: from B's dispatch to the start of B's first and last job,
 * and how many of A's jobs started meanwhile. Repeated {@code reps} times; medians reported.
 */
final class TenantsBench {
  /** B's jobs. */
  static final int FEW = 10;

  /** A's jobs started before B dispatches: the claim loop is claiming ahead by then. */
  static final int WARM_UP = 2_000;

  /**
   * What was measured, medians over the runs.
   *
   * @param backlog A's queued jobs
   * @param firstMs from B's dispatch to the start of B's first job
   * @param lastMs from B's dispatch to the start of B's last job
   * @param aMeanwhile A's jobs that started between B's dispatch and B's last start
   * @param lastRunsMs every run's {@code lastMs}, in run order
   */
  record Result(int backlog, double firstMs, double lastMs, int aMeanwhile, double[] lastRunsMs) {}

  private final BenchScratch scratch;
  private final int backlog;
  private final int workers;
  private final int reps;

  TenantsBench(BenchScratch scratch, int backlog, int workers, int reps) {
    this.scratch = scratch;
    this.backlog = backlog;
    this.workers = workers;
    this.reps = reps;
  }

  Result run() throws Exception {
    double[] first = new double[reps];
    double[] last = new double[reps];
    double[] meanwhile = new double[reps];
    for (int i = 0; i < reps; i++) {
      double[] r = once();
      first[i] = r[0];
      last[i] = r[1];
      meanwhile[i] = r[2];
    }
    return new Result(backlog, median(first), median(last), (int) median(meanwhile), last);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** One run: first and last start of B's jobs in ms after their dispatch, A's starts meanwhile. */
  private double[] once() throws Exception {
    Supplier<JobManager.Builder> db = scratch.freshDatabase();
    BenchNoopJob.Tally tally = new BenchNoopJob.Tally(backlog + FEW);
    BenchNoopJob.tally = tally;
    try {
      DispatchOptions a = DispatchOptions.builder().tenant("tenant-a").build();
      try (JobManager queue = db.get().open()) {
        for (int from = 0; from < backlog; from += 1_000) {
          List<BenchNoopJob> chunk = new ArrayList<>(1_000);
          for (int n = from; n < Math.min(backlog, from + 1_000); n++) {
            chunk.add(new BenchNoopJob(n));
          }
          queue.dispatchAll(chunk, a);
        }
      }
      try (JobManager m = db.get().workers(BenchNoopJob.QUEUE, workers).open()) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (tally.total().get() < Math.min(WARM_UP, backlog / 2)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "tenant A's jobs did not start within 10 minutes; is the database reachable?");
          }
          Thread.onSpinWait();
        }
        List<BenchNoopJob> few = new ArrayList<>(FEW);
        for (int n = backlog; n < backlog + FEW; n++) {
          few.add(new BenchNoopJob(n));
        }
        long t0 = System.nanoTime();
        List<JobHandle<?>> handles =
            m.dispatchAll(few, DispatchOptions.builder().tenant("tenant-b").build());
        for (JobHandle<?> h : handles) {
          h.result().get(10, TimeUnit.MINUTES);
        }
        long firstB = Long.MAX_VALUE;
        long lastB = Long.MIN_VALUE;
        for (int n = backlog; n < backlog + FEW; n++) {
          long at = tally.startNanos().get(n);
          firstB = Math.min(firstB, at);
          lastB = Math.max(lastB, at);
        }
        int meanwhile = 0;
        for (int n = 0; n < backlog; n++) {
          long at = tally.startNanos().get(n);
          if (at >= t0 && at <= lastB) {
            meanwhile++;
          }
        }
        return new double[] {(firstB - t0) / 1e6, (lastB - t0) / 1e6, meanwhile};
      }
    } finally {
      BenchNoopJob.tally = null;
    }
  }
}
