package dev.jobkit.runtime;

import dev.jobkit.JobException;

/**
 * Completes a {@link JobHandle#result()} future exceptionally when the job ended without an output:
 * it failed, was cancelled, timed out or was quarantined.
 */
public final class JobFailedException extends JobException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final JobState state;

  /** An exception for a job that ended in {@code state} with an optional error message. */
  public JobFailedException(String jobId, JobState state, String error) {
    super(
        "job "
            + jobId
            + " ended "
            + state
            + (error == null || error.isEmpty() ? "" : ": " + error));
    this.jobId = jobId;
    this.state = state;
  }

  /** The job's id. */
  public String jobId() {
    return jobId;
  }

  /** The state the job ended in. */
  public JobState state() {
    return state;
  }
}
