package dev.jobkit.runtime;

import dev.jobkit.Progress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A dispatched job, seen from the {@link JobManager} that dispatched or looked it up.
 *
 * <p>{@link #result()} is completed by the local worker the moment the job ends in this process;
 * when the job runs in another process sharing the database, it is completed by polling the
 * database at the manager's heartbeat interval (at most the poll interval). Progress listeners see
 * only progress reported by jobs running in this process.
 *
 * @param <O> the job's output type
 */
public final class JobHandle<O> {
  private final JobManager manager;
  private final String id;
  private final boolean created;

  JobHandle(JobManager manager, String id, boolean created) {
    this.manager = manager;
    this.id = id;
    this.created = created;
  }

  /** The job's id. */
  public String id() {
    return id;
  }

  /**
   * Whether the call that returned this handle stored a new job. True for a dispatch (or clone)
   * that inserted the job; false when a dispatch found a stored job with the same idempotency key
   * and returned that one instead, and for a handle looked up with {@link JobManager#handle}. The
   * store decides it in the insert itself, so of several concurrent dispatches with one key, on any
   * node, exactly one sees {@code true} (as long as the first job is not deleted meanwhile).
   */
  public boolean created() {
    return created;
  }

  /** The job's current state, read from the database. */
  public JobState status() {
    return manager
        .job(id)
        .map(JobInfo::state)
        .orElseThrow(
            () -> new IllegalStateException("job " + id + " no longer exists (cleaned up?)"));
  }

  /**
   * The latest progress reported by the job while running in this process, once this handle (or
   * another for the same job) is watching; {@link JobInfo#progressJson()} has the stored value.
   */
  public Optional<Progress> progress() {
    return manager.engine().lastProgress(id);
  }

  /**
   * The job's output once it completes. Completes exceptionally with {@link JobFailedException}
   * when the job fails, is cancelled, times out or is quarantined, and with {@link
   * IllegalStateException} when the manager closes first. A paused job's future stays pending.
   *
   * @throws IllegalStateException if the manager is closed
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<O> result() {
    return (CompletableFuture<O>) (CompletableFuture<?>) manager.engine().result(id);
  }

  /** Calls {@code listener} with each progress report of the job while it runs in this process. */
  public JobHandle<O> onProgress(Consumer<Progress> listener) {
    manager.engine().onProgress(id, listener);
    return this;
  }

  /** Cancels the job; see {@link JobManager#cancel}. */
  public boolean cancel() {
    return manager.cancel(id);
  }

  /** Pauses the job; see {@link JobManager#pause}. */
  public boolean pause() {
    return manager.pause(id);
  }

  /** Resumes the paused job; see {@link JobManager#resume}. */
  public boolean resume() {
    return manager.resume(id);
  }

  /**
   * Queues the job again after it failed, timed out, was cancelled or quarantined; see {@link
   * JobManager#retry}.
   */
  public boolean retry() {
    return manager.retry(id);
  }

  /**
   * Whether {@code o} is a handle on the same job from the same manager ({@link #created()} does
   * not matter).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof JobHandle<?> h && h.manager == manager && h.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "JobHandle[" + id + "]";
  }
}
