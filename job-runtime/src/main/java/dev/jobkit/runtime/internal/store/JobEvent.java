package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.state.JobStatus;

/**
 * One row of a job's audit trail. Ids increase and are never reused, so they serve as a cursor for
 * event streams.
 *
 * @param from the status before, or null for {@link Type#CREATED} and flag events
 * @param to the status after, or null for flag events
 * @param detail free text (an error, an owner), or null
 * @param actor who asked for the change (such as {@code key:ci} or {@code cli}), or null when the
 *     runtime made it
 */
public record JobEvent(
    long id,
    String jobId,
    long at,
    Type type,
    JobStatus from,
    JobStatus to,
    String detail,
    String actor) {

  /** Kinds of events. Stored by name. */
  public enum Type {
    /** The job was inserted. */
    CREATED,
    /** The status changed. */
    STATUS_CHANGED,
    /** A worker's lease expired or its owner died, and the job was queued again. */
    RECOVERED,
    /** Cancel was requested for a running job. */
    CANCEL_REQUESTED,
    /** Pause was requested for a running job. */
    PAUSE_REQUESTED
  }
}
