package dev.jobkit.runtime;

/**
 * Where a job is in its lifecycle, as seen by users of {@link JobManager}.
 *
 * <p>Mirrors the runtime's internal state machine one to one; constants may be added but are never
 * renamed.
 */
public enum JobState {
  /** Ready to run as soon as a worker of its queue is free. */
  QUEUED,
  /** Waiting for its run-at time. */
  SCHEDULED,
  /** Claimed by a worker. */
  RUNNING,
  /** Stopped by a user; {@link JobManager#resume} queues it again from its last checkpoint. */
  PAUSED,
  /** Finished successfully. */
  COMPLETED,
  /**
   * Failed with no attempts left or with a non-retryable error; {@link JobManager#retry} queues it
   * again.
   */
  FAILED,
  /** Cancelled by a user. */
  CANCELLED,
  /** Ran longer than its timeout. */
  TIMED_OUT,
  /** Failed an attempt and waits for its backoff delay before running again. */
  WAITING_RETRY,
  /**
   * Set aside because its stored state cannot be decoded; {@link JobManager#retry} decodes it
   * again.
   */
  QUARANTINED,
  /**
   * Waits for its parent jobs ({@link DispatchOptions.Builder#dependsOn}): it is queued in the
   * transaction that completes the last of them, or cancelled or failed when one of them fails, as
   * the edge's {@link OnParentFailure} says.
   */
  WAITING;

  /** Whether the job has finished for good (completed, failed, cancelled or timed out). */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
  }
}
