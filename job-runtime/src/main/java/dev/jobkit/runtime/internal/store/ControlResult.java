package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.state.JobStatus;

/**
 * The outcome of a cancel, pause, resume or retry from any process.
 *
 * @param outcome what happened
 * @param status the job's status afterwards, or null when not found
 */
public record ControlResult(Outcome outcome, JobStatus status) {

  /** What a control request did. */
  public enum Outcome {
    /** The status changed now. */
    APPLIED,
    /** The job is running: a flag was set that its worker acts on at its next safe point. */
    REQUESTED,
    /** The job was already in the requested status; nothing changed. */
    UNCHANGED,
    /** No job has that id. */
    NOT_FOUND
  }
}
