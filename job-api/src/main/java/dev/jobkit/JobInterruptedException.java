package dev.jobkit;

/**
 * Thrown by {@link JobContext#checkInterrupt()} and {@link JobContext#checkpoint()} when a job must
 * stop. Let it propagate out of {@link JobHandler#run}; the runtime records the outcome given by
 * {@link #reason()}.
 */
public final class JobInterruptedException extends JobException {
  private static final long serialVersionUID = 1L;

  /** Why a job was asked to stop. */
  public enum Reason {
    /** Someone cancelled the job. */
    CANCELLED,
    /** Someone paused the job; it resumes from its last checkpoint. */
    PAUSED,
    /** The attempt ran past its timeout. */
    TIMED_OUT,
    /** The runtime is shutting down; the job resumes on the next start. */
    SHUTDOWN,
    /** Another worker took over the job; this worker must not write anything more for it. */
    LEASE_LOST
  }

  private final Reason reason;

  /** An exception for the given job and reason. */
  public JobInterruptedException(String jobId, Reason reason) {
    super("job " + jobId + " was interrupted: " + reason.name().toLowerCase(java.util.Locale.ROOT));
    this.reason = reason;
  }

  /** Why the job must stop. */
  public Reason reason() {
    return reason;
  }
}
