package dev.jobkit.runtime.internal.state;

/**
 * Where a job is in its lifecycle. Stored by {@link #name()}, so constants may be added but never
 * renamed.
 */
public enum JobStatus {
  /** Ready to run as soon as a worker of its queue is free. */
  QUEUED,
  /** Waiting for its run-at time. */
  SCHEDULED,
  /** Claimed by a worker holding a lease. */
  RUNNING,
  /** Stopped by a user; {@code resume} queues it again from its last checkpoint. */
  PAUSED,
  /** Finished successfully. */
  COMPLETED,
  /** Failed with no attempts left, or with a non-retryable error; {@code retry} queues it again. */
  FAILED,
  /** Cancelled by a user. */
  CANCELLED,
  /** Ran longer than its timeout. */
  TIMED_OUT,
  /** Failed an attempt and waits for its backoff delay before running again. */
  WAITING_RETRY,
  /**
   * Set aside because its stored state cannot be decoded or its job name is no longer registered.
   * The raw bytes are kept; once a fix is deployed {@code retry} decodes them again. Not terminal,
   * so cleanup never deletes it.
   */
  QUARANTINED,
  // #12 dependencies
  /**
   * Waits for parent jobs: becomes QUEUED (or SCHEDULED) in the transaction that completes its last
   * unfinished parent. Not claimable, not terminal.
   */
  WAITING;

  /** Whether the job has finished for good: no worker will run it unless a user retries it. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
  }

  /** Whether a worker may claim the job once its run-at time has come. */
  public boolean isClaimable() {
    return this == QUEUED || this == SCHEDULED || this == WAITING_RETRY;
  }
}
