package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * A row of {@code jobkit_batches} exactly as stored (#12 batches), as export, import and migration
 * move it between databases.
 *
 * @param id the batch's id
 * @param name a name given at dispatch, or null
 * @param description a description given at dispatch, or null
 * @param state RUNNING, SUCCEEDED or FAILED
 * @param total the number of members
 * @param completed members that were COMPLETED
 * @param failed members that were FAILED or TIMED_OUT
 * @param cancelled members that were CANCELLED
 * @param onSuccess the id of the success callback job, or null
 * @param onFailure the id of the failure callback job, or null
 * @param onComplete the id of the completion callback job, or null
 * @param createdAt when it was dispatched, epoch millis
 * @param createdBy who dispatched it, or null
 * @param finishedAt when it became final, epoch millis, or 0 while RUNNING
 * @param tenant the tenant of the batch (#14 tenants)
 */
public record StoredBatch(
    String id,
    String name,
    String description,
    String state,
    int total,
    int completed,
    int failed,
    int cancelled,
    String onSuccess,
    String onFailure,
    String onComplete,
    long createdAt,
    String createdBy,
    long finishedAt,
    String tenant) {
  /** Checks the required fields. */
  public StoredBatch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(tenant, "tenant");
  }
}
