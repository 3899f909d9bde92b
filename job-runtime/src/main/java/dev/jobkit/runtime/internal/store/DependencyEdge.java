package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * An edge of a job inserted with parents (#12 dependencies): {@code childId} waits until {@code
 * parentId} has completed.
 *
 * @param childId a job inserted by the same call
 * @param parentId a job inserted earlier in the same call, or a stored job
 * @param onFailure what happens to the child when the parent ends FAILED, CANCELLED or TIMED_OUT
 */
public record DependencyEdge(String childId, String parentId, OnFailure onFailure) {

  /** What a parent's failure does to its child; stored by {@link #name()}. */
  public enum OnFailure {
    /** The child is cancelled, and with it (by their own edges' defaults) its descendants. */
    CANCEL,
    /** The child fails without running. */
    FAIL,
    /** The edge counts as satisfied: the child runs once its other parents are done. */
    RUN_ANYWAY
  }

  /** The state of an edge; stored by {@link #name()}. */
  public enum State {
    /** The parent has not ended yet. */
    WAITING,
    /** The parent completed. */
    DONE,
    /** The parent failed, and the edge's policy lets the child run anyway. */
    PARENT_FAILED,
    /** The parent's failure ended the child (CANCEL or FAIL); a retry of the parent re-arms it. */
    ENDED_CHILD;

    /** Whether the child may run as far as this edge is concerned. */
    public boolean satisfied() {
      return this == DONE || this == PARENT_FAILED;
    }
  }

  /** Checks for nulls and self-edges. */
  public DependencyEdge {
    Objects.requireNonNull(childId, "childId");
    Objects.requireNonNull(parentId, "parentId");
    Objects.requireNonNull(onFailure, "onFailure");
    if (childId.equals(parentId)) {
      throw new IllegalArgumentException("job " + childId + " cannot depend on itself");
    }
  }
}
