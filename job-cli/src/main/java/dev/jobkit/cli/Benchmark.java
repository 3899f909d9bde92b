package dev.jobkit.cli;

import dev.jobkit.JobHandler;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The measurements of {@code jobkit bench}, each on a fresh scratch database ({@link BenchScratch})
 * and repeated {@link Settings#reps()} times: raw single-row and batched inserts (the database's
 * own rates), jobkit's one-by-one and batched dispatch of as many jobs, the drain of that many
 * queued no-op jobs by one manager's workers, and dispatch-to-start latency on an idle worker. Only
 * the public {@link JobManager} API and plain JDBC are used.
 */
final class Benchmark {
  /** Jobs per {@code dispatchAll} call and rows per raw batch. */
  static final int BATCH = 1_000;

  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** The figures, by the names of their JSON fields, in output order. */
  static final String RAW_SINGLE = "raw_single_per_s";

  static final String RAW_BATCH = "raw_batch_per_s";
  static final String TABLE_SINGLE = "raw_jobs_table_single_per_s";
  static final String TABLE_BATCH = "raw_jobs_table_batch_per_s";
  static final String DISPATCH_SINGLE = "dispatch_single_per_s";
  static final String DISPATCH_BATCH = "dispatch_batch_per_s";
  static final String DISPATCH_CONCURRENT = "dispatch_concurrent_per_s";
  static final String DRAIN = "drain_per_s";
  static final String P50 = "start_latency_p50_ms";
  static final String P99 = "start_latency_p99_ms";
  static final String LIST_STATE = "list_by_state_p95_ms";
  static final String LIST_RARE_STATE = "list_by_rare_state_p95_ms";
  static final String LIST_NAME = "list_by_name_p95_ms";

  /**
   * What to measure.
   *
   * @param jobs jobs (and raw rows) of each throughput measurement
   * @param workers worker threads of the drain
   * @param threads threads that dispatch one by one at once
   * @param reps repetitions; medians are reported
   * @param latencySamples dispatch-to-start samples per repetition
   * @param listJobs jobs stored before listing is timed, or 0 to skip the listing measurement
   */
  record Settings(int jobs, int workers, int threads, int reps, int latencySamples, int listJobs) {}

  /**
   * The outcome.
   *
   * @param runs every repetition's value of each figure, by JSON field name, in output order
   * @param ranTwice jobs of the drain and latency phases that ran more than once (must be 0)
   */
  record Result(Map<String, List<Double>> runs, int ranTwice) {
    /** The median of a figure's repetitions. */
    double median(String figure) {
      return Benchmark.median(runs.get(figure).stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** The median of {@code values}: the middle one, or the mean of the middle two. */
  static double median(double[] values) {
    double[] a = values.clone();
    Arrays.sort(a);
    int k = a.length;
    return k % 2 == 1 ? a[k / 2] : (a[k / 2 - 1] + a[k / 2]) / 2;
  }

  /** Told how far the benchmark is, for a progress bar. */
  interface Progress {
    /**
     * Reports progress.
     *
     * @param fraction of the whole benchmark done, 0 to 1
     * @param phase what runs now, such as {@code "rep 1/3: drain"}
     */
    void update(double fraction, String phase);
  }

  /**
   * Measurements per repetition: raw inserts, dispatch, concurrent dispatch, dispatchAll, drain,
   * latency.
   */
  private static final int PHASES = 6;

  private final BenchScratch scratch;
  private final Settings settings;
  private final Progress progress;
  private final Map<String, List<Double>> runs = new LinkedHashMap<>();
  private int ranTwice;
  private int phaseSlot;
  private String phaseName = "";

  Benchmark(BenchScratch scratch, Settings settings, Progress progress) {
    this.scratch = scratch;
    this.settings = settings;
    this.progress = progress;
    for (String f :
        List.of(
            DISPATCH_SINGLE,
            DISPATCH_CONCURRENT,
            DISPATCH_BATCH,
            DRAIN,
            RAW_SINGLE,
            RAW_BATCH,
            TABLE_SINGLE,
            TABLE_BATCH,
            P50,
            P99)) {
      runs.put(f, new ArrayList<>());
    }
  }

  /** Runs every measurement {@code reps} times (after one unrecorded warm-up) and returns them. */
  Result run() throws SQLException, InterruptedException {
    int n = settings.jobs();
    // JIT warm-up of the insert and dispatch paths, not recorded.
    int warm = Math.max(10, Math.min(1_000, n / 10));
    phase(0, "warm-up");
    rawInserts(warm);
    dispatchSingle(warm);
    dispatchBatched(warm);
    for (int rep = 1; rep <= settings.reps(); rep++) {
      String label = settings.reps() == 1 ? "" : "rep " + rep + "/" + settings.reps() + ": ";
      int slot = 1 + (rep - 1) * PHASES;
      phase(slot, label + "raw inserts");
      double[] raw = rawInserts(n);
      runs.get(RAW_SINGLE).add(raw[0]);
      runs.get(RAW_BATCH).add(raw[1]);
      runs.get(TABLE_SINGLE).add(raw[2]);
      runs.get(TABLE_BATCH).add(raw[3]);
      phase(slot + 1, label + "dispatch one by one");
      runs.get(DISPATCH_SINGLE).add(dispatchSingle(n));
      phase(slot + 2, label + "dispatch from " + settings.threads() + " threads");
      runs.get(DISPATCH_CONCURRENT).add(dispatchConcurrent(n, settings.threads()));
      phase(slot + 3, label + "dispatchAll");
      runs.get(DISPATCH_BATCH).add(dispatchBatched(n));
      phase(slot + 4, label + "drain");
      runs.get(DRAIN).add(drain(n, settings.workers()));
      phase(slot + 5, label + "latency");
      double[] latency = latency(settings.latencySamples());
      runs.get(P50).add(latency[0]);
      runs.get(P99).add(latency[1]);
    }
    if (settings.listJobs() > 0) {
      phase(settings.reps() * PHASES, "listing of " + settings.listJobs() + " stored jobs");
      listing(settings.listJobs());
    }
    progress.update(1, "done");
    return new Result(runs, ranTwice);
  }

  /**
   * Starts slot {@code slot} of the progress bar: 0 is the warm-up, then each phase of each rep.
   */
  private void phase(int slot, String name) {
    phaseSlot = slot;
    phaseName = name;
    within(0);
  }

  /** Reports {@code fraction} of the current phase done. */
  private void within(double fraction) {
    double slots = settings.reps() * PHASES + 1.0 + (settings.listJobs() > 0 ? 1 : 0);
    progress.update(Math.min(1, (phaseSlot + fraction) / slots), phaseName);
  }

  // ---------------------------------------------------------------- the database's own rates

  /**
   * {single-row commits per second, batched rows per second} on a fresh raw table, then the same
   * two into a fresh jobkit table (see {@link RawInserts#jobsTable}).
   */
  private double[] rawInserts(int n) throws SQLException {
    double[] r = new double[4];
    try (Connection c = scratch.rawConnection()) {
      r[0] = RawInserts.singleRowCommits(c, BenchScratch.RAW_TABLE, n);
    }
    try (Connection c = scratch.rawConnection()) {
      r[1] = RawInserts.batchedCommits(c, BenchScratch.RAW_TABLE, n);
    }
    try (Connection c = scratch.jobsTableConnection()) {
      r[2] = RawInserts.jobsTable(c, BenchScratch.JOBS_TABLE, n, false);
    }
    try (Connection c = scratch.jobsTableConnection()) {
      r[3] = RawInserts.jobsTable(c, BenchScratch.JOBS_TABLE, n, true);
    }
    return r;
  }

  // ---------------------------------------------------------------- jobkit

  /** {@code dispatch} of {@code n} jobs, one call each, by a client manager; jobs per second. */
  private double dispatchSingle(int n) {
    try (JobManager m = scratch.freshDatabase().get().noWorkers().open()) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        m.dispatch(new BenchNoopJob(i));
        if ((i + 1) % 1_000 == 0) {
          within((double) i / n);
        }
      }
      return n / seconds(t0);
    }
  }

  /**
   * {@code dispatch} of {@code n} jobs, one call each, from {@code threads} threads at once through
   * one client manager (as the request threads of a server would); jobs per second.
   */
  private double dispatchConcurrent(int n, int threads) throws InterruptedException {
    try (JobManager m = scratch.freshDatabase().get().noWorkers().open()) {
      AtomicInteger next = new AtomicInteger();
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      List<Thread> dispatchers = new ArrayList<>(threads);
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                      m.dispatch(new BenchNoopJob(i));
                      if ((i + 1) % 1_000 == 0) {
                        within((double) i / n);
                      }
                    }
                  } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "jobkit-bench-dispatch-" + t);
        dispatchers.add(thread);
        thread.start();
      }
      for (Thread thread : dispatchers) {
        thread.join();
      }
      double s = seconds(t0);
      if (failure.get() != null) {
        throw failure.get();
      }
      return n / s;
    }
  }

  /** {@code dispatchAll} of {@code n} jobs, {@value #BATCH} per call; jobs per second. */
  private double dispatchBatched(int n) {
    try (JobManager m = scratch.freshDatabase().get().noWorkers().open()) {
      long t0 = System.nanoTime();
      queue(m, n);
      return n / seconds(t0);
    }
  }

  private static void queue(JobManager m, int n) {
    for (int i = 0; i < n; i += BATCH) {
      List<BenchNoopJob> batch = new ArrayList<>(BATCH);
      for (int j = i; j < Math.min(n, i + BATCH); j++) {
        batch.add(new BenchNoopJob(j));
      }
      m.dispatchAll(batch, DispatchOptions.defaults());
    }
  }

  /**
   * Queues {@code n} jobs with no worker running, then times a manager with {@code workers} workers
   * from its {@code open()} until every job is stored as completed; jobs per second.
   */
  private double drain(int n, int workers) throws InterruptedException {
    Supplier<JobManager.Builder> db = scratch.freshDatabase();
    try (JobManager m = db.get().noWorkers().open()) {
      queue(m, n);
    }
    BenchNoopJob.Tally tally = new BenchNoopJob.Tally(n);
    BenchNoopJob.tally = tally;
    try {
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      long t0 = System.nanoTime();
      try (JobManager m = db.get().workers(BenchNoopJob.QUEUE, workers).open()) {
        // No completion signal reaches this thread for jobs it did not dispatch. The jobs' own
        // count is watched (every ms, in memory) until all ran, then the stored count (a query,
        // so only every 2 ms and only for the last commits) until all are stored as completed.
        while (tally.total().get() < n) {
          within(0.95 * tally.total().get() / n);
          checkDeadline(deadline, n, tally.total().get() + " ran");
          TimeUnit.MILLISECONDS.sleep(1);
        }
        for (long done; (done = m.stats().count(JobState.COMPLETED)) < n; ) {
          checkDeadline(deadline, n, done + " completed");
          TimeUnit.MILLISECONDS.sleep(2);
        }
        double s = seconds(t0);
        check(tally, "the drain");
        return n / s;
      }
    } finally {
      BenchNoopJob.tally = null;
    }
  }

  /** Queries timed per listing figure, after as many unrecorded ones. */
  private static final int LIST_QUERIES = 200;

  /**
   * Stores {@code n} jobs without running them (a tenth of them named {@code jobkit.bench.other},
   * one in a hundred cancelled), then times pages of 50 newest jobs: by a common state (QUEUED), by
   * a rare one (CANCELLED) and by name; the 95th percentile of each, in milliseconds.
   */
  private void listing(int n) {
    try (JobManager m = scratch.freshDatabase().get().noWorkers().open()) {
      List<String> cancel = new ArrayList<>();
      for (int i = 0; i < n; i += BATCH) {
        List<JobHandler<?>> batch = new ArrayList<>(BATCH);
        for (int j = i; j < Math.min(n, i + BATCH); j++) {
          batch.add(j % 10 == 0 ? new BenchOtherJob() : new BenchNoopJob(j));
        }
        List<JobHandle<?>> handles = m.dispatchAll(batch, DispatchOptions.defaults());
        for (int j = 0; j < handles.size(); j += 100) {
          cancel.add(handles.get(j).id());
        }
        within(0.8 * i / n);
      }
      cancel.forEach(m::cancel);
      runs.computeIfAbsent(LIST_STATE, k -> new ArrayList<>())
          .add(p95(m, JobQuery.builder().states(JobState.QUEUED).limit(50).build()));
      within(0.87);
      runs.computeIfAbsent(LIST_RARE_STATE, k -> new ArrayList<>())
          .add(p95(m, JobQuery.builder().states(JobState.CANCELLED).limit(50).build()));
      within(0.93);
      runs.computeIfAbsent(LIST_NAME, k -> new ArrayList<>())
          .add(p95(m, JobQuery.builder().name("jobkit.bench.other").limit(50).build()));
    }
  }

  private static double p95(JobManager m, JobQuery query) {
    long[] nanos = new long[LIST_QUERIES];
    for (int i = -LIST_QUERIES; i < LIST_QUERIES; i++) {
      long t0 = System.nanoTime();
      if (m.list(query).jobs().size() != query.limit()) {
        throw new IllegalStateException("bench: a page of " + query + " was not full");
      }
      if (i >= 0) {
        nanos[i] = System.nanoTime() - t0;
      }
    }
    return percentileMs(nanos, 95);
  }

  private static void checkDeadline(long deadline, int n, String done) {
    if (System.nanoTime() > deadline) {
      throw new CliException(
          ExitCodes.JOB_NOT_COMPLETED,
          "bench: the drain of "
              + n
              + " jobs did not finish within "
              + DRAIN_TIMEOUT.toMinutes()
              + " minutes ("
              + done
              + ")");
    }
  }

  /**
   * Dispatch-to-start latency on an idle manager with one worker, one job at a time (after 10 %
   * unrecorded warm-up jobs): {p50, p99} in milliseconds.
   */
  private double[] latency(int samples) throws InterruptedException {
    int warm = Math.max(10, samples / 10);
    BenchNoopJob.Tally tally = new BenchNoopJob.Tally(warm + samples);
    BenchNoopJob.tally = tally;
    long[] nanos = new long[samples];
    try (JobManager m = scratch.freshDatabase().get().workers(BenchNoopJob.QUEUE, 1).open()) {
      for (int i = 0; i < warm + samples; i++) {
        // The worker finishes its bookkeeping after the result is stored: a short pause lets it
        // go idle, so that each sample measures the wake-up of an idle worker.
        TimeUnit.MILLISECONDS.sleep(1);
        long t0 = System.nanoTime();
        JobHandle<Void> h = m.dispatch(new BenchNoopJob(i));
        await(h);
        if (i >= warm) {
          nanos[i - warm] = tally.startNanos().get(i) - t0;
        }
        if (i % 50 == 0) {
          within((double) i / (warm + samples));
        }
      }
      check(tally, "the latency measurement");
    } finally {
      BenchNoopJob.tally = null;
    }
    return new double[] {percentileMs(nanos, 50), percentileMs(nanos, 99)};
  }

  private static void await(JobHandle<Void> h) throws InterruptedException {
    try {
      h.result().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CliException(
          ExitCodes.JOB_NOT_COMPLETED,
          "bench: job "
              + h.id()
              + " did not complete within "
              + START_TIMEOUT.toSeconds()
              + " s of its dispatch",
          e);
    } catch (ExecutionException e) {
      throw new CliException(
          ExitCodes.JOB_NOT_COMPLETED, "bench: job " + h.id() + " failed: " + e.getCause(), e);
    }
  }

  /** Every job ran; those that ran more than once are counted (reported, not hidden). */
  private void check(BenchNoopJob.Tally tally, String phase) {
    int never = tally.neverRan();
    if (never > 0) {
      throw new CliException(
          ExitCodes.JOB_NOT_COMPLETED,
          "bench: "
              + never
              + " of "
              + tally.runs().length()
              + " jobs of "
              + phase
              + " are stored as completed but never ran");
    }
    ranTwice += tally.ranTwice();
  }

  // ---------------------------------------------------------------- helpers

  /** The {@code p}-th percentile (nearest rank) of {@code nanos}, in milliseconds. */
  static double percentileMs(long[] nanos, int p) {
    long[] a = nanos.clone();
    Arrays.sort(a);
    int i = (int) Math.ceil(p / 100.0 * a.length) - 1;
    return a[Math.max(0, Math.min(a.length - 1, i))] / 1e6;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
