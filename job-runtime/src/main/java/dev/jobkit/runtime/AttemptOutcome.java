package dev.jobkit.runtime;

/**
 * How one attempt of a job ended, as {@link JobInterceptor#around} is told once the outcome is
 * recorded. The lower-case names ({@link #tag()}) are the {@code outcome} tag of jobkit's metrics.
 */
public enum AttemptOutcome {
  /** The job returned; its completion is handed to the batched completer. */
  COMPLETED,
  /** The job threw and has attempts left: a retry is scheduled. */
  RETRY_SCHEDULED,
  /** The job threw on its last attempt, or a {@code NonRetryableException}: it failed for good. */
  FAILED,
  /** It was cancelled while running. */
  CANCELLED,
  /** It ran longer than its timeout. */
  TIMED_OUT,
  /** It was paused while running. */
  PAUSED,
  /** The manager closed while it ran: it is queued again (resuming from its checkpoint). */
  SHUTDOWN,
  /** Another node took the job over (this worker's lease was lost): nothing was recorded here. */
  LEASE_LOST,
  /**
   * The outcome could not be recorded (storage failed); the job is recovered when its lease
   * expires.
   */
  UNRECORDED;

  /** The name in lower case, as metrics tag it: {@code completed}, {@code retry_scheduled}, ... */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
