package dev.jobkit.runtime.bench;

import dev.jobkit.Priority;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.sql.SqliteOptions;
import dev.jobkit.runtime.internal.store.sql.Stores;
import dev.jobkit.runtime.internal.worker.OwnerId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runtime benchmark on SQLite (a main, not a test) of what {@code jobkit bench} does not measure:
 * checkpoint latency, recovery after a crash, and heap use with many queued jobs. Dispatch, drain
 * and dispatch-to-start latency are measured by {@code jobkit bench} (job-cli). Every measurement
 * is repeated {@code bench.reps} times and the median is reported.
 *
 * <pre>
 * mvn -B -o -q -pl job-runtime test-compile exec:java \
 *   -Dexec.mainClass=dev.jobkit.runtime.bench.RuntimeBenchmark -Dexec.classpathScope=test \
 *   [-Dbench.reps=3 -Dbench.checkpoint=1000 -Dbench.recoveryQueued=100000
 *    -Dbench.recoveryInterrupted=1000 -Dbench.heapQueued=1000000 -Dbench.only=checkpoint,recovery,heap]
 * </pre>
 */
public final class RuntimeBenchmark {
  private static final int REPS = Integer.getInteger("bench.reps", 3);
  private static final int CHECKPOINT = Integer.getInteger("bench.checkpoint", 1_000);
  private static final int RECOVERY_QUEUED = Integer.getInteger("bench.recoveryQueued", 100_000);
  private static final int RECOVERY_INTERRUPTED =
      Integer.getInteger("bench.recoveryInterrupted", 1_000);
  private static final int HEAP_QUEUED = Integer.getInteger("bench.heapQueued", 1_000_000);
  private static final String ONLY = System.getProperty("bench.only", "checkpoint,recovery,heap");

  private final BenchResults results = new BenchResults(36);
  private final Path root;
  private int dbCounter;

  private RuntimeBenchmark(Path root) {
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
    Path root = Files.createTempDirectory("jobkit-bench");
    System.out.printf(
        "jobkit runtime benchmark %s, java %s, %d cpus, reps=%d, checkpoint=%d%n",
        Instant.now(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        REPS,
        CHECKPOINT);
    System.out.println("load average at start: " + BenchResults.loadAverage());
    RuntimeBenchmark b = new RuntimeBenchmark(root);
    try {
      b.run();
    } finally {
      BenchResults.deleteTree(root);
    }
    System.out.println("load average at end: " + BenchResults.loadAverage());
    System.exit(0);
  }

  private boolean on(String what) {
    return List.of(ONLY.split(",")).contains(what);
  }

  private void run() throws Exception {
    for (int rep = 1; rep <= REPS; rep++) {
      System.out.printf("--- rep %d (load %s)%n", rep, BenchResults.loadAverage());
      if (on("checkpoint")) {
        double[] c = checkpoint(CHECKPOINT);
        results.record("(d) checkpoint 1KB p50 ms", c[0]);
        results.record("(d) checkpoint 1KB p99 ms", c[1]);
      }
      if (on("recovery")) {
        results.record(
            "(e) open() to first resumed job ms", recovery(RECOVERY_QUEUED, RECOVERY_INTERRUPTED));
      }
    }
    if (on("heap")) {
      // Once, not per rep: queueing a million jobs takes a while.
      results.record("(f) heap MiB, 100k queued", heapWhileDraining(100_000));
      results.record(
          "(f) heap MiB, " + HEAP_QUEUED / 1000 + "k queued", heapWhileDraining(HEAP_QUEUED));
    }
    System.out.println();
    System.out.println(
        "=== medians of " + REPS + " reps (load " + BenchResults.loadAverage() + ")");
    for (String k : results.keys()) {
      results.printSummaryLine(k, "");
    }
  }

  private Path newDb() {
    return root.resolve("db" + (dbCounter++)).resolve("jobs.db");
  }

  // ---------------------------------------------------------------- jobkit

  /** A manager whose only workers serve a queue nobody dispatches to. */
  private JobManager idleManager(Path db) {
    return JobManager.builder().database(db).workers("unused", 1).open();
  }

  private Path freshDbPath() throws IOException {
    Path db = newDb();
    Files.createDirectories(db.getParent());
    return db;
  }

  /** Checkpoint latency of a ~1 KB state, n checkpoints in one job: {p50, p99}. */
  private double[] checkpoint(int n) throws Exception {
    String state = "x".repeat(1000);
    try (JobManager m = JobManager.builder().database(freshDbPath()).workers("bench", 1).open()) {
      m.dispatch(new BenchCheckpointJob(200, state)).result().get(); // warm-up
      m.dispatch(new BenchCheckpointJob(n, state)).result().get();
      long[] ns = BenchCheckpointJob.nanos;
      return new double[] {BenchResults.pct(ns, 50), BenchResults.pct(ns, 99)};
    }
  }

  /** Queues n no-op jobs in batches through a manager with no worker on their queue. */
  private void queueNoops(Path db, int n) {
    try (JobManager m = idleManager(db)) {
      for (int i = 0; i < n; i += 1000) {
        List<BenchStampJob> batch = new ArrayList<>(1000);
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          batch.add(new BenchStampJob(j));
        }
        m.dispatchAll(batch, DispatchOptions.defaults());
      }
    }
  }

  /**
   * (e) A database with {@code queued} jobs waiting and {@code interrupted} jobs left RUNNING by a
   * process on this host that died (its lease still two minutes from expiry): milliseconds from the
   * start of {@code open()} to the first resumed job running.
   */
  private double recovery(int queued, int interrupted) throws Exception {
    Path db = freshDbPath();
    queueNoops(db, queued);
    try (JobManager m = idleManager(db)) {
      for (int i = 0; i < interrupted; i += 1000) {
        List<BenchResumeJob> batch = new ArrayList<>();
        for (int j = i; j < Math.min(interrupted, i + 1000); j++) {
          batch.add(new BenchResumeJob(j));
        }
        m.dispatchAll(batch, DispatchOptions.builder().priority(Priority.HIGH).build());
      }
    }
    // The dead process: an owner id of this host with a pid that cannot exist.
    String deadOwner = OwnerId.host() + ":2147483647:1:00000000";
    Clock clock = Clock.systemUTC();
    try (JobStore store = Stores.sqlite(db, SqliteOptions.defaults(), clock)) {
      long now = clock.millis();
      int claimed =
          store
              .claim(new ClaimRequest(deadOwner, List.of("bench"), interrupted, now, now + 120_000))
              .size();
      if (claimed != interrupted) {
        throw new IllegalStateException("claimed " + claimed + " of " + interrupted);
      }
    }
    BenchResumeJob.FIRST_RESUMED_NANOS.set(0);
    long t0 = System.nanoTime();
    try (JobManager m = JobManager.builder().database(db).workers("bench", 2).open()) {
      double openMs = (System.nanoTime() - t0) / 1e6;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (BenchResumeJob.FIRST_RESUMED_NANOS.get() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      double ms = (BenchResumeJob.FIRST_RESUMED_NANOS.get() - t0) / 1e6;
      System.out.printf(
          "    recovery: %d queued + %d interrupted; open() returned after %.1f ms,"
              + " first resumed job ran after %.1f ms; %d running%n",
          queued, interrupted, openMs, ms, m.health().runningJobs());
      return ms;
    }
  }

  /**
   * (f) Heap used (after GC) by a process whose manager drains a queue of {@code queued} jobs,
   * measured after two seconds of draining: it must not grow with the queue.
   */
  private double heapWhileDraining(int queued) throws Exception {
    Path db = freshDbPath();
    long tq = System.nanoTime();
    queueNoops(db, queued);
    System.out.printf(
        "    heap: queued %d jobs in %.1f s; file %.0f MiB%n",
        queued, BenchResults.seconds(tq), Files.size(db) / 1048576.0);
    try (JobManager m = JobManager.builder().database(db).workers("bench", 8).open()) {
      Thread.sleep(2_000);
      long used = usedHeapAfterGc();
      System.out.printf(
          "    heap: %d queued, %d ran in 2 s, used heap after GC %.1f MiB%n",
          queued, m.stats().count(JobState.COMPLETED), used / 1048576.0);
      return used / 1048576.0;
    } finally {
      BenchStampJob.RUNS.set(0);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
