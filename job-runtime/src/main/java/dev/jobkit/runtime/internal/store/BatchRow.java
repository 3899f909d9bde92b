package dev.jobkit.runtime.internal.store;

/**
 * A stored batch (#12 batches): a row of {@code jobkit_batches} with, read at the same time, its
 * running members' progress.
 *
 * @param id the batch's id
 * @param name a name given at dispatch, or null
 * @param description a description given at dispatch, or null
 * @param state RUNNING, SUCCEEDED or FAILED
 * @param total the number of members
 * @param completed members that are COMPLETED now
 * @param failed members that are FAILED or TIMED_OUT now
 * @param cancelled members that are CANCELLED now
 * @param running members that are RUNNING now
 * @param runningDone the sum of the running members' progress fractions (0 to 1 each; 0 when a
 *     member reports no percentage)
 * @param onSuccess the id of the success callback job, or null
 * @param onFailure the id of the failure callback job, or null
 * @param onComplete the id of the completion callback job, or null
 * @param createdAt when it was dispatched, epoch millis
 * @param createdBy who dispatched it, or null
 * @param finishedAt when it became final, epoch millis, or 0 while RUNNING
 * @param tenant the tenant of the batch, its members and callbacks (#14 tenants)
 */
public record BatchRow(
    String id,
    String name,
    String description,
    String state,
    int total,
    int completed,
    int failed,
    int cancelled,
    int running,
    double runningDone,
    String onSuccess,
    String onFailure,
    String onComplete,
    long createdAt,
    String createdBy,
    long finishedAt,
    String tenant) {}
