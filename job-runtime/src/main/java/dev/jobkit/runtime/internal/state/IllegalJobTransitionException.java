package dev.jobkit.runtime.internal.state;

import dev.jobkit.JobException;

/** Thrown when a status change is not in {@link JobTransitions}' table. */
public final class IllegalJobTransitionException extends JobException {
  private static final long serialVersionUID = 1L;

  private final JobStatus from;
  private final JobStatus to;
  private final String jobId;

  /** A rejected change from {@code from} to {@code to}, for no job in particular. */
  public IllegalJobTransitionException(JobStatus from, JobStatus to) {
    this(null, from, to);
  }

  /** A rejected change of job {@code jobId} (may be null) from {@code from} to {@code to}. */
  public IllegalJobTransitionException(String jobId, JobStatus from, JobStatus to) {
    super(
        (jobId == null ? "A job" : "Job " + jobId)
            + " cannot go from "
            + from
            + " to "
            + to
            + "; allowed from "
            + from
            + ": "
            + JobTransitions.allowedFrom(from));
    this.jobId = jobId;
    this.from = from;
    this.to = to;
  }

  /** The status the job was in. */
  public JobStatus from() {
    return from;
  }

  /** The status that was refused. */
  public JobStatus to() {
    return to;
  }

  /** The job concerned, or null when not known. */
  public String jobId() {
    return jobId;
  }
}
