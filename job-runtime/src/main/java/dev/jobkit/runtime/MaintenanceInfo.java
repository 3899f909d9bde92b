package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Automatic retention and compaction of a job database, as recorded in the database by the workers
 * that run them, from {@link JobManager#maintenance()}; so any process (the CLI) sees it.
 *
 * @param policy the retention policy of the worker that ran the last pass, in one line (see {@link
 *     RetentionPolicy#toString()}); empty when no pass ever ran
 * @param lastRunBy the lease owner id of the worker that ran the last pass
 * @param lastStarted when the last pass started
 * @param lastFinished when the last pass ended
 * @param lastDeletedCompleted completed jobs the last pass deleted
 * @param lastDeletedFailed failed, cancelled and timed-out jobs the last pass deleted
 * @param lastFreedBytes bytes the last pass gave back to the file system (SQLite)
 * @param lastError why the last pass stopped early, if it did
 * @param totalDeleted jobs deleted by every pass since jobkit schema version 6
 * @param runningOn the lease owner id of the worker running a pass now, if any
 * @param vacuum how freed space goes back to the file system: {@code incremental} (SQLite, given
 *     back after each retention pass), {@code none} (a SQLite file created before this version:
 *     {@code jobkit storage --compact} switches it), {@code full} (SQLite, at every commit) or
 *     {@code server} (PostgreSQL's autovacuum)
 */
public record MaintenanceInfo(
    Optional<String> policy,
    Optional<String> lastRunBy,
    Optional<Instant> lastStarted,
    Optional<Instant> lastFinished,
    long lastDeletedCompleted,
    long lastDeletedFailed,
    long lastFreedBytes,
    Optional<String> lastError,
    long totalDeleted,
    Optional<String> runningOn,
    String vacuum) {

  /** Validates. */
  public MaintenanceInfo {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(lastRunBy, "lastRunBy");
    Objects.requireNonNull(lastStarted, "lastStarted");
    Objects.requireNonNull(lastFinished, "lastFinished");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(runningOn, "runningOn");
    Objects.requireNonNull(vacuum, "vacuum");
  }

  /** Jobs the last pass deleted. */
  public long lastDeleted() {
    return lastDeletedCompleted + lastDeletedFailed;
  }
}
