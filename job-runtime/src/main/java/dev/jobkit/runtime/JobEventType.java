package dev.jobkit.runtime;

/** Kinds of in-process lifecycle events delivered to a {@link JobEventListener}. */
public enum JobEventType {
  /** A job was dispatched by this manager (not for an idempotent repeat of an existing job). */
  DISPATCHED,
  /** A worker of this manager started an attempt; detail says "attempt N" and "resumed". */
  STARTED,
  /**
   * A job running here reported progress; detail is the progress as JSON. Not written to the trail.
   */
  PROGRESS,
  /** A job running here completed. */
  COMPLETED,
  /** A job running here failed for good; detail is the error. */
  FAILED,
  /** An attempt running here failed and the job waits to retry; detail is the error. */
  RETRY_SCHEDULED,
  /** A job was cancelled: by this manager's {@code cancel}, or while running here. */
  CANCELLED,
  /** A job was paused: by this manager's {@code pause}, or while running here. */
  PAUSED,
  /** A paused job was queued again by this manager's {@code resume}. */
  RESUMED,
  /** A finished job was queued again by this manager's {@code retry}. */
  RETRIED,
  /** A job running here passed its timeout. */
  TIMED_OUT,
  /** A job claimed here could not be decoded and was set aside; detail is the reason. */
  QUARANTINED
}
