package dev.jobkit.cli;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code jobkit bench --schedules N}: how long after its slot does a scheduled job start? {@code N}
 * schedules fire every second for {@link #SECONDS} seconds (after {@link #WARM_UP} seconds not
 * counted) on a fresh database, with {@code workers} workers and the default poll interval (500
 * ms), so what is measured is the schedule loop's wake-up, its fire transaction and the local
 * wake-up of a worker, not polling. For each fired slot: the job's start (its {@code startedAt},
 * stamped by the claim) minus the slot.
 */
final class ScheduleBench {
  static final int SECONDS = 30;

  /** Seconds of firing before the measured ones. */
  static final int WARM_UP = 5;

  /**
   * What was measured.
   *
   * @param schedules schedules firing every second
   * @param samples fired slots whose job started
   * @param p50Ms median of slot to start, in milliseconds
   * @param p99Ms 99th percentile
   * @param maxMs the largest
   * @param skipped slots recorded as skipped (should be 0)
   */
  record Result(
      int schedules, int samples, double p50Ms, double p99Ms, double maxMs, int skipped) {}

  private final BenchScratch scratch;
  private final int schedules;
  private final int workers;
  private final BiConsumer<Double, String> progress;

  ScheduleBench(
      BenchScratch scratch, int schedules, int workers, BiConsumer<Double, String> progress) {
    this.scratch = scratch;
    this.schedules = schedules;
    this.workers = workers;
    this.progress = progress;
  }

  Result run() throws InterruptedException {
    try (JobManager jobs =
        scratch.freshDatabase().get().workers(BenchNoopJob.QUEUE, workers).open()) {
      for (int i = 0; i < schedules; i++) {
        jobs.schedules()
            .put(
                ScheduleSpec.every("bench-" + i, Duration.ofSeconds(1))
                    .job(new BenchTickJob())
                    .build(),
                "bench");
      }
      // The first WARM_UP seconds warm the JIT up (class loading, first claims): not counted.
      Instant measureFrom = Instant.now().plusSeconds(WARM_UP);
      long total = (WARM_UP + SECONDS) * 1000L;
      long end = System.nanoTime() + total * 1_000_000L;
      while (System.nanoTime() < end) {
        long left = (end - System.nanoTime()) / 1_000_000;
        progress.accept(1.0 - left / (double) total, "schedules firing");
        Thread.sleep(Math.max(1, Math.min(1_000, left)));
      }
      for (int i = 0; i < schedules; i++) {
        jobs.schedules().pause("bench-" + i, "bench over", "bench");
      }
      List<Long> latencies = new ArrayList<>();
      int skipped = 0;
      long deadline = System.nanoTime() + 30_000_000_000L;
      for (int i = 0; i < schedules; i++) {
        for (ScheduleFire f : jobs.schedules().history("bench-" + i, 1000).orElseThrow()) {
          if (f.outcome() == ScheduleFire.Outcome.SKIPPED) {
            skipped++;
          }
          if (f.outcome() != ScheduleFire.Outcome.FIRED || f.slot().isBefore(measureFrom)) {
            continue;
          }
          Instant started = startOf(jobs, f.jobId().orElseThrow(), deadline);
          latencies.add(Duration.between(f.slot(), started).toMillis());
        }
      }
      Collections.sort(latencies);
      return new Result(
          schedules,
          latencies.size(),
          percentile(latencies, 0.50),
          percentile(latencies, 0.99),
          latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
          skipped);
    }
  }

  /** The start of a fired job; the last ones may still be starting. */
  private static Instant startOf(JobManager jobs, String id, long deadline)
      throws InterruptedException {
    while (true) {
      JobInfo info =
          jobs.job(id).orElseThrow(() -> new IllegalStateException("fired job " + id + " is gone"));
      if (info.startedAt().isPresent()) {
        return info.startedAt().get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("fired job " + id + " did not start within 30 s");
      }
      Thread.sleep(10);
    }
  }

  private static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
