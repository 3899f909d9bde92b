package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.store.DependencyEdge.OnFailure;
import dev.jobkit.runtime.internal.store.DependencyEdge.State;
import java.util.Objects;

/**
 * One row of {@code jobkit_job_deps} seen from its child (#12 dependencies), as export, import and
 * migration carry it with the child job.
 *
 * @param parentId the parent's id (the parent may be absent: deleted, or not exported)
 * @param position the parent's place in the child's list of parents
 * @param onFailure the edge's policy when the parent fails
 * @param state where the edge stands
 */
public record StoredEdge(String parentId, int position, OnFailure onFailure, State state) {
  /** Checks for nulls. */
  public StoredEdge {
    Objects.requireNonNull(parentId, "parentId");
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(state, "state");
  }
}
