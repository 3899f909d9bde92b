package dev.jobkit.cli;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.MaintenanceInfo;
import dev.jobkit.runtime.RetentionPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * {@code jobkit bench --retention N} (SQLite): does automatic retention hold up the workers? A file
 * is filled with {@code N} jobs that completed 8 days ago (each with 2 events and a log line, as a
 * finished job has), more than the default policy keeps, and copied. On the first copy a manager
 * with the default policy and {@code workers} workers drains a steady backlog of no-op jobs
 * (dispatched in batches of 500 as the backlog falls under 5,000) until its retention pass has
 * deleted the old jobs and given their space back; on the second copy a manager without retention
 * drains the same backlog for as long (both after a 5 s warm-up drain). Reported: both drain rates,
 * how long retention took, and the file size before and after.
 */
final class RetentionBench {
  private static final int BATCH = 500;
  private static final int BACKLOG = 5_000;
  private static final int TALLY = 1 << 20;
  private static final Duration TIMEOUT = Duration.ofHours(2);

  /**
   * What was measured.
   *
   * @param oldJobs finished jobs planted before the drains
   * @param fillSeconds how long planting them took
   * @param sizeBefore the file's size with them
   * @param retentionSeconds from the manager's open to the end of its retention pass
   * @param deleted jobs the pass deleted
   * @param freedBytes bytes the pass gave back to the file system (after the load reused what it
   *     could)
   * @param withPerSecond jobs drained per second while retention ran
   * @param withoutPerSecond jobs drained per second without retention, for as long
   * @param sizeAfter the file's size after the pass (with retention)
   * @param sizeWithout the other file's size after its drain (without retention)
   */
  record Result(
      long oldJobs,
      double fillSeconds,
      long sizeBefore,
      double retentionSeconds,
      long deleted,
      long freedBytes,
      double withPerSecond,
      double withoutPerSecond,
      long sizeAfter,
      long sizeWithout) {}

  private final BenchScratch.OnSqlite scratch;
  private final int oldJobs;
  private final int workers;
  private final BiConsumer<Double, String> progress;

  RetentionBench(
      BenchScratch.OnSqlite scratch,
      int oldJobs,
      int workers,
      BiConsumer<Double, String> progress) {
    this.scratch = scratch;
    this.oldJobs = oldJobs;
    this.workers = workers;
    this.progress = progress;
  }

  Result run() throws SQLException, InterruptedException {
    Path with = scratch.file("retention-with");
    Path without = scratch.file("retention-without");
    try (JobManager m = scratch.builderOn(with).noWorkers().open()) {
      m.storageInfo(); // creates the schema
    }
    long t0 = System.nanoTime();
    fill(with);
    double fillSeconds = (System.nanoTime() - t0) / 1e9;
    copy(with, without);
    long sizeBefore = size(with);

    // Warm-up, so that neither measured drain pays for the JIT: 5 s on a file of its own.
    progress.accept(0.45, "warm-up");
    long[] ran = new long[1];
    long tw = System.nanoTime();
    try (JobManager jobs =
        scratch
            .builderOn(scratch.file("warm-up"))
            .workers(BenchNoopJob.QUEUE, workers)
            .retention(RetentionPolicy.none())
            .open()) {
      drain(jobs, ran, () -> System.nanoTime() - tw >= 5_000_000_000L ? Boolean.TRUE : null, -1);
    }

    progress.accept(0.5, "drain with retention");
    t0 = System.nanoTime();
    MaintenanceInfo m;
    try (JobManager jobs =
        scratch
            .builderOn(with)
            .workers(BenchNoopJob.QUEUE, workers)
            .retention(RetentionPolicy.defaults())
            .open()) {
      m =
          drain(
              jobs,
              ran,
              () -> {
                MaintenanceInfo i = jobs.maintenance();
                return i.lastFinished().isPresent() ? i : null;
              },
              t0 + TIMEOUT.toNanos());
    }
    long windowNanos = System.nanoTime() - t0;
    double retentionSeconds = windowNanos / 1e9;
    double withRate = ran[0] / retentionSeconds;
    long sizeAfter = size(with);

    progress.accept(0.75, "drain without retention");
    long t1 = System.nanoTime();
    try (JobManager jobs =
        scratch
            .builderOn(without)
            .workers(BenchNoopJob.QUEUE, workers)
            .retention(RetentionPolicy.none())
            .open()) {
      drain(jobs, ran, () -> System.nanoTime() - t1 >= windowNanos ? Boolean.TRUE : null, -1);
    }
    double withoutRate = ran[0] / ((System.nanoTime() - t1) / 1e9);
    progress.accept(1.0, "done");
    return new Result(
        oldJobs,
        fillSeconds,
        sizeBefore,
        retentionSeconds,
        m.lastDeleted(),
        m.lastFreedBytes(),
        withRate,
        withoutRate,
        sizeAfter,
        size(without));
  }

  /** A condition checked every 10 ms: non-null ends the drain with that value. */
  private interface Until<T> {
    T done();
  }

  /**
   * Keeps a backlog of no-op jobs before {@code jobs}' workers until {@code until} says so; counts
   * the jobs that ran into {@code ran[0]}.
   */
  private <T> T drain(JobManager jobs, long[] ran, Until<T> until, long deadline)
      throws InterruptedException {
    BenchNoopJob.Tally tally = new BenchNoopJob.Tally(TALLY);
    BenchNoopJob.tally = tally;
    AtomicBoolean stop = new AtomicBoolean();
    Thread dispatcher =
        new Thread(
            () -> {
              int next = 0;
              while (!stop.get()) {
                if (next - tally.total().get() < BACKLOG) {
                  List<BenchNoopJob> batch = new ArrayList<>(BATCH);
                  for (int i = 0; i < BATCH; i++) {
                    batch.add(new BenchNoopJob(next++ & (TALLY - 1)));
                  }
                  jobs.dispatchAll(batch, DispatchOptions.defaults());
                } else {
                  Thread.onSpinWait();
                }
              }
            },
            "jobkit-bench-dispatch");
    dispatcher.setDaemon(true);
    int base = tally.total().get();
    dispatcher.start();
    try {
      while (true) {
        T v = until.done();
        if (v != null) {
          ran[0] = tally.total().get() - base;
          return v;
        }
        if (deadline > 0 && System.nanoTime() > deadline) {
          throw new CliException(
              ExitCodes.STORAGE, "bench: retention did not finish within " + TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
    } finally {
      stop.set(true);
      dispatcher.join();
      BenchNoopJob.tally = null;
    }
  }

  /** Plants the old jobs with raw SQL, 10,000 per transaction. */
  private void fill(Path file) throws SQLException {
    long finished = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
      }
      c.setAutoCommit(false);
      try (PreparedStatement job =
              c.prepareStatement(
                  "INSERT INTO jobkit_jobs (id, name, params, status, priority, queue,"
                      + " max_attempts, run_at, attempts, output, created_at, started_at,"
                      + " finished_at, updated_at) VALUES (?, 'jobkit.bench.old', ?, 'COMPLETED',"
                      + " 0, 'old', 3, ?, 1, 'null', ?, ?, ?, ?)");
          PreparedStatement event =
              c.prepareStatement(
                  "INSERT INTO jobkit_job_events (job_id, at, type, from_status, to_status)"
                      + " VALUES (?, ?, 'STATUS_CHANGED', ?, ?)");
          PreparedStatement log =
              c.prepareStatement(
                  "INSERT INTO jobkit_job_logs (job_id, at, level, message, attempt)"
                      + " VALUES (?, ?, 20, 'copied 120 files to /srv/backup/2026-11-28', 1)")) {
        byte[] params = new byte[64];
        for (int i = 0; i < oldJobs; i++) {
          String id = String.format("00OLD%021d", i);
          long at = finished + i / 100;
          job.setString(1, id);
          job.setBytes(2, params);
          for (int k = 3; k <= 7; k++) {
            job.setLong(k, at);
          }
          job.addBatch();
          event.setString(1, id);
          event.setLong(2, at);
          event.setString(3, "QUEUED");
          event.setString(4, "RUNNING");
          event.addBatch();
          event.setString(3, "RUNNING");
          event.setString(4, "COMPLETED");
          event.addBatch();
          log.setString(1, id);
          log.setLong(2, at);
          log.addBatch();
          if ((i + 1) % 10_000 == 0 || i == oldJobs - 1) {
            job.executeBatch();
            event.executeBatch();
            log.executeBatch();
            c.commit();
            progress.accept(0.5 * (i + 1) / oldJobs, "filling");
          }
        }
      }
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
