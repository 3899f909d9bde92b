package dev.jobkit.runtime;

import dev.jobkit.JobException;

/**
 * Thrown when a control call ({@code cancel}, {@code pause}, {@code resume}, {@code retry}) does
 * not apply to a job in its current state, for example cancelling a completed job.
 */
public final class JobStateException extends JobException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final String action;
  private final JobState state;

  /** Job {@code jobId} is in {@code state}, which does not allow {@code action} ("cancel", ...). */
  public JobStateException(String jobId, String action, JobState state) {
    super("job " + jobId + ": cannot " + action + ": it is " + state);
    this.jobId = jobId;
    this.action = action;
    this.state = state;
  }

  /** The job's id. */
  public String jobId() {
    return jobId;
  }

  /** The refused action: "cancel", "pause", "resume" or "retry". */
  public String action() {
    return action;
  }

  /** The state the job was in. */
  public JobState state() {
    return state;
  }
}
