package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.MaintenanceRow;
import dev.jobkit.runtime.internal.store.RetentionDeleted;
import dev.jobkit.runtime.internal.store.RetentionRule;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageInfo;
import dev.jobkit.runtime.internal.store.VacuumMode;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention pass over the whole database, run by one process at a time: takes the {@code
 * retention} lease in {@code jobkit_maintenance} (so on a shared PostgreSQL database one node does
 * it, and the others skip), deletes the finished jobs the rules no longer keep in batches of {@link
 * Settings#batchSize()} rows, one short transaction each, pausing between batches at least as long
 * as the batch took so that claims and completions always get the write lock in between, then gives
 * freed SQLite pages back to the file system in steps of {@link Settings#vacuumPages()}, and
 * records what it did in the lease row for {@code jobkit storage}.
 */
public final class RetentionTask implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);

  /** The task's row in {@code jobkit_maintenance}. */
  public static final String TASK = "retention";

  /** Waits between batches; returns early (true) when the task should stop. */
  @FunctionalInterface
  public interface Pauser {
    /** Waits up to {@code millis}; true when the engine is closing and the pass should end. */
    boolean pause(long millis) throws InterruptedException;
  }

  /**
   * How the task runs.
   *
   * @param rules what to delete (see {@link RetentionRule})
   * @param description the policy in one line, recorded for {@code jobkit storage}
   * @param batchSize rows deleted per transaction
   * @param minPauseMs least pause between two batches; the pause is at least the batch's time too
   * @param vacuumPages pages given back per incremental-vacuum step
   * @param leaseMs how long the lease lasts without renewal (renewed every batch)
   * @param convertMaxBytes a SQLite file without incremental vacuum up to this size is switched to
   *     it (one VACUUM) by a pass; bigger files wait for {@code jobkit storage --compact}
   * @param intervalMs time between passes
   */
  public record Settings(
      List<RetentionRule> rules,
      String description,
      int batchSize,
      long minPauseMs,
      int vacuumPages,
      long leaseMs,
      long convertMaxBytes,
      long intervalMs) {
    /** Copies and validates. */
    public Settings {
      rules = List.copyOf(rules);
      Objects.requireNonNull(description, "description");
      if (batchSize < 1 || vacuumPages < 1 || leaseMs < 1 || intervalMs < 1) {
        throw new IllegalArgumentException("retention settings must be positive");
      }
    }

    /**
     * The defaults for {@code rules}: 500 rows per batch, a pause of at least 50 ms, 1024 pages (4
     * MiB) per vacuum step, a 2-minute lease, files up to 32 MiB switched to incremental vacuum, a
     * pass every minute.
     */
    public static Settings of(List<RetentionRule> rules, String description) {
      return new Settings(rules, description, 500, 50, 1024, 120_000, 32L << 20, 60_000);
    }
  }

  private final JobStore store;
  private final Clock clock;
  private final String owner;
  private final Settings settings;
  private final Pauser pauser;
  private final BooleanSupplier closing;

  /** A task of {@code owner} on {@code store}; {@code closing} ends a pass early. */
  public RetentionTask(
      JobStore store,
      Clock clock,
      String owner,
      Settings settings,
      Pauser pauser,
      BooleanSupplier closing) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.settings = settings;
    this.pauser = pauser;
    this.closing = closing;
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /**
   * One pass; failures are logged (WARN, they heal by themselves) and the next pass tries again.
   */
  @Override
  public void run() {
    try {
      runOnce();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StorageException e) {
      // A storage outage is reported once, by the claim loops and the heartbeat (StorageOutage),
      // which run all the time; the next pass tries again, and the error is in jobkit storage.
      log.debug(
          "Retention pass failed on storage; trying again in {} ms", settings.intervalMs(), e);
    } catch (RuntimeException e) {
      log.warn(
          "Retention pass failed, trying again in {} ms: {}",
          settings.intervalMs(),
          States.oneLine(e));
      log.debug("Retention pass failure", e);
    }
  }

  /**
   * One pass: what it did as recorded, or null when another process holds the lease (it is running
   * the pass).
   */
  public MaintenanceRow runOnce() throws InterruptedException {
    long started = clock.millis();
    if (!store.leaseMaintenance(TASK, owner, started, started + settings.leaseMs())) {
      log.debug("Retention skipped: another process holds its lease");
      return null;
    }
    RetentionDeleted deleted = RetentionDeleted.NONE;
    long freed = 0;
    String error = null;
    try {
      boolean more = true;
      while (more && !closing.getAsBoolean()) {
        long t0 = System.nanoTime();
        RetentionDeleted d = store.deleteExpired(settings.rules(), started, settings.batchSize());
        deleted = deleted.plus(d);
        more = d.total() >= settings.batchSize();
        // The batch filled the WAL with the pages it changed; copying them back here keeps that
        // work off the next worker commit that crosses the automatic checkpoint's threshold.
        store.checkpointLog();
        if (more) {
          if (pause(t0)) {
            break;
          }
          long now = clock.millis();
          if (!store.leaseMaintenance(TASK, owner, now, now + settings.leaseMs())) {
            error = "its lease lapsed and another process took it over";
            break;
          }
        }
      }
      if (error == null && !closing.getAsBoolean()) {
        deleteBatches(started);
        deleteLimits(started);
        deleteAudit(started);
        freed = compact();
      }
    } catch (RuntimeException e) {
      error = States.oneLine(e);
      throw e;
    } finally {
      MaintenanceRow run =
          new MaintenanceRow(
              TASK,
              null,
              0,
              settings.description(),
              owner,
              started,
              clock.millis(),
              deleted,
              freed,
              0,
              error);
      try {
        store.recordMaintenance(TASK, owner, run);
      } catch (RuntimeException e) {
        // The pass's own failure (if any) is the one that matters; the lease lapses by itself.
        log.debug("Could not record the retention pass", e);
      }
      if (deleted.total() > 0 || freed > 0) {
        log.info(
            "Retention deleted {} finished job(s) ({} completed, {} failed, {} cancelled, {} timed"
                + " out) and gave back {} bytes in {} ms",
            deleted.total(),
            deleted.completed(),
            deleted.failed(),
            deleted.cancelled(),
            deleted.timedOut(),
            freed,
            clock.millis() - started);
      }
    }
    return store.maintenance(TASK).orElse(null);
  }

  /**
   * #12 batches: deletes the batches that became final longer ago than the longest age the rules
   * keep any finished job and of which no member or callback is stored any more (so nothing points
   * at a missing batch); none when no rule deletes anything.
   */
  private void deleteBatches(long now) {
    long keep = longestFiniteAge(settings.rules());
    if (keep < 0) {
      return;
    }
    long total = 0;
    long n;
    do {
      n = store.deleteFinishedBatches(now - keep, settings.batchSize());
      total += n;
    } while (n >= settings.batchSize() && !closing.getAsBoolean());
    if (total > 0) {
      log.info("Retention deleted {} finished batch(es) without jobs left", total);
    }
  }

  /** Time between two sweeps of {@code jobkit_limits} (each reads the limit keys of all jobs). */
  static final long LIMITS_SWEEP_MS = 10 * 60_000L;

  private long limitsSweptAt = Long.MIN_VALUE;

  /**
   * #12 limits: deletes the {@code jobkit_limits} rows that no stored job carries and whose state
   * is that of a fresh row (see {@code JobStore.deleteIdleLimits}), at most every {@link
   * #LIMITS_SWEEP_MS}.
   */
  private void deleteLimits(long now) {
    if (limitsSweptAt != Long.MIN_VALUE && now - limitsSweptAt < LIMITS_SWEEP_MS) {
      return;
    }
    limitsSweptAt = now;
    long n = store.deleteIdleLimits(now, settings.batchSize());
    if (n > 0) {
      log.info("Retention deleted {} idle limit key row(s)", n);
    }
  }

  /**
   * The longest age of the rules that delete something, in millis (a rule that keeps some jobs
   * forever keeps their batches by keeping the jobs), or -1 when no rule deletes anything.
   */
  static long longestFiniteAge(List<RetentionRule> rules) {
    long longest = -1;
    for (RetentionRule r : rules) {
      longest = Math.max(longest, Math.max(r.keepCompletedMs(), r.keepFailedMs()));
    }
    return longest;
  }

  /**
   * #14 tenants: deletes audit rows older than the longest age the rules keep any finished job (an
   * audit row outlives the jobs it names); none when a rule keeps jobs forever.
   */
  private void deleteAudit(long now) {
    long keep = auditAge(settings.rules());
    if (keep < 0) {
      return;
    }
    long total = 0;
    long n;
    do {
      n = store.deleteAuditBefore(now - keep, settings.batchSize());
      total += n;
    } while (n >= settings.batchSize() && !closing.getAsBoolean());
    if (total > 0) {
      log.info("Retention deleted {} audit row(s) older than {} ms", total, keep);
    }
  }

  /** The longest age of the rules, in millis, or -1 when one keeps jobs forever. */
  static long auditAge(List<RetentionRule> rules) {
    long longest = 0;
    for (RetentionRule r : rules) {
      if (r.keepCompletedMs() < 0 || r.keepFailedMs() < 0) {
        return -1;
      }
      longest = Math.max(longest, Math.max(r.keepCompletedMs(), r.keepFailedMs()));
    }
    return longest;
  }

  /**
   * Gives free pages back to the file system: a small SQLite file without incremental vacuum is
   * switched to it first; then steps of {@link Settings#vacuumPages()} with pauses. Returns the
   * bytes given back. Nothing on PostgreSQL, whose autovacuum does this on the server.
   */
  private long compact() throws InterruptedException {
    VacuumMode mode = store.vacuumMode();
    StorageInfo before = store.storageInfo();
    if (mode == VacuumMode.NONE && before.sizeBytes() <= settings.convertMaxBytes()) {
      store.enableIncrementalVacuum();
      return Math.max(0, before.sizeBytes() - store.storageInfo().sizeBytes());
    }
    if (mode != VacuumMode.INCREMENTAL || before.freePages() == 0) {
      return 0;
    }
    long pages = 0;
    while (!closing.getAsBoolean()) {
      long t0 = System.nanoTime();
      long n = store.incrementalVacuum(settings.vacuumPages());
      pages += n;
      if (n < settings.vacuumPages() || pause(t0)) {
        break;
      }
    }
    return pages * before.pageSize();
  }

  /** Pauses at least {@code minPauseMs} and as long as the step since {@code t0} took. */
  private boolean pause(long t0) throws InterruptedException {
    long took = (System.nanoTime() - t0) / 1_000_000;
    return pauser.pause(Math.max(settings.minPauseMs(), took));
  }
}
