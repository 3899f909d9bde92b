package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch of jobs as stored (#12 batches), with counts of its members by outcome, its progress and
 * an estimate of when it ends. The counts follow the members as they are now: a member retried
 * after the batch became final leaves the final count, and comes back to it, but the batch's {@link
 * #state()} stays as it was.
 *
 * @param id the batch's id
 * @param name the name given at dispatch, if any
 * @param description the description given at dispatch, if any
 * @param state RUNNING until every member is final, then SUCCEEDED or FAILED for good
 * @param total the number of members
 * @param completed members that completed
 * @param failed members that failed or timed out
 * @param cancelled members that were cancelled
 * @param running members running now
 * @param progress from 0 to 1: final members count 1, running members their own progress
 *     percentage, others 0; 1 once the batch is final
 * @param eta when the batch should end at the rate its members have ended since its dispatch; empty
 *     when final or before any progress
 * @param createdAt when it was dispatched
 * @param finishedAt when it became final, if it is
 * @param createdBy who dispatched it, if known
 * @param onSuccessJobId the success callback job, if one was given
 * @param onFailureJobId the failure callback job, if one was given
 * @param onCompleteJobId the completion callback job, if one was given
 * @param tenant the tenant of the batch, its members and its callbacks (#14 tenants): the one of
 *     its dispatch options
 */
public record BatchInfo(
    String id,
    Optional<String> name,
    Optional<String> description,
    BatchState state,
    int total,
    int completed,
    int failed,
    int cancelled,
    int running,
    double progress,
    Optional<Instant> eta,
    Instant createdAt,
    Optional<Instant> finishedAt,
    Optional<String> createdBy,
    Optional<String> onSuccessJobId,
    Optional<String> onFailureJobId,
    Optional<String> onCompleteJobId,
    String tenant) {

  /** Validates. */
  public BatchInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Members not final yet: waiting, queued, scheduled, running, paused or quarantined. */
  public int pending() {
    return Math.max(0, total - completed - failed - cancelled);
  }
}
