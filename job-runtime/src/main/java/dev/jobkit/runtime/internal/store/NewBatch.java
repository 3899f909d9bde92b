package dev.jobkit.runtime.internal.store;

import java.util.List;
import java.util.Objects;

/**
 * A batch to insert (#12 batches): its members, their dependency edges, and up to three callback
 * jobs, all stored in one transaction.
 *
 * @param id a new id from {@link JobIds}
 * @param name a name for people, or null
 * @param description a description, or null
 * @param createdBy who dispatched it, or null
 * @param members the member jobs, at least one
 * @param edges dependency edges of members (on stored jobs or on earlier members)
 * @param onSuccess the job to run when every member completed, or null
 * @param onFailure the job to run when every member is final and one did not complete, or null
 * @param onComplete the job to run when every member is final, whatever the outcome, or null
 */
public record NewBatch(
    String id,
    String name,
    String description,
    String createdBy,
    List<NewJob> members,
    List<DependencyEdge> edges,
    NewJob onSuccess,
    NewJob onFailure,
    NewJob onComplete) {

  /** Validates and copies. */
  public NewBatch {
    Objects.requireNonNull(id, "id");
    members = List.copyOf(members);
    edges = List.copyOf(edges);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("batch " + id + " has no members; add at least one job");
    }
  }
}
