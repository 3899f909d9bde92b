package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.BatchRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.worker.States;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The batches stored in the database (#12 batches): read them, with their counts, progress and ETA,
 * and their members. Get it from {@link JobManager#batches()}; dispatch a batch with {@link
 * JobManager#batch()}. See {@code docs/batches.md}.
 */
public final class Batches {
  /** The most a list returns. */
  public static final int MAX_LIMIT = 1000;

  private final JobStore store;
  private final Clock clock;
  private final Runnable checkOpen;

  Batches(JobStore store, Clock clock, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
    this.checkOpen = checkOpen;
  }

  /** The batch with this id, or empty. */
  public Optional<BatchInfo> get(String id) {
    checkOpen.run();
    Objects.requireNonNull(id, "id");
    return store.batch(id).map(r -> toInfo(r, clock.millis()));
  }

  /**
   * Up to {@code limit} batches, newest first.
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and {@link #MAX_LIMIT}
   */
  public List<BatchInfo> list(int limit) {
    checkOpen.run();
    checkLimit(limit);
    long now = clock.millis();
    return store.batches(null, limit).stream().map(r -> toInfo(r, now)).toList();
  }

  /**
   * Up to {@code limit} batches of one tenant (#14 tenants), newest first.
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and {@link #MAX_LIMIT}, or
   *     the tenant's name is not valid
   */
  public List<BatchInfo> list(String tenant, int limit) {
    checkOpen.run();
    Tenants.checkName(tenant);
    checkLimit(limit);
    long now = clock.millis();
    return store.batches(tenant, limit).stream().map(r -> toInfo(r, now)).toList();
  }

  /**
   * Up to {@code limit} members of a batch, in the order they were dispatched; empty for an unknown
   * batch.
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and {@link #MAX_LIMIT}
   */
  public List<JobInfo> members(String batchId, int limit) {
    checkOpen.run();
    checkLimit(limit);
    return store.batchMembers(batchId, limit).stream().map(States::toInfo).toList();
  }

  /** The id of the batch that a job is a member or a callback of, or empty. */
  public Optional<String> batchOf(String jobId) {
    checkOpen.run();
    return store.batchOf(jobId);
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
  }

  /** A stored row as public info: progress from the counts, ETA from the rate since dispatch. */
  static BatchInfo toInfo(BatchRow r, long now) {
    BatchState state = BatchState.valueOf(r.state());
    int ended = r.completed() + r.failed() + r.cancelled();
    double progress;
    if (state.isFinal() || r.total() == 0) {
      progress = 1.0;
    } else {
      progress = Math.min(1.0, (ended + r.runningDone()) / r.total());
    }
    Optional<Instant> eta = Optional.empty();
    long elapsed = now - r.createdAt();
    if (!state.isFinal() && progress > 0 && elapsed > 0) {
      eta =
          Optional.of(Instant.ofEpochMilli(now + Math.round(elapsed * (1 - progress) / progress)));
    }
    return new BatchInfo(
        r.id(),
        Optional.ofNullable(r.name()),
        Optional.ofNullable(r.description()),
        state,
        r.total(),
        r.completed(),
        r.failed(),
        r.cancelled(),
        r.running(),
        progress,
        eta,
        Instant.ofEpochMilli(r.createdAt()),
        r.finishedAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.finishedAt())),
        Optional.ofNullable(r.createdBy()),
        Optional.ofNullable(r.onSuccess()),
        Optional.ofNullable(r.onFailure()),
        Optional.ofNullable(r.onComplete()),
        r.tenant());
  }
}
