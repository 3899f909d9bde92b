package dev.jobkit.runtime.internal.store;

import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.JobStatus;

/**
 * A job a worker now holds. Every later write for it must pass {@link #id()} and {@link #epoch()}.
 *
 * @param epoch the fencing token of this claim
 * @param previousStatus the status it was claimed from
 * @param state latest checkpoint, or null to start from {@link #params()}
 * @param attempt this attempt's number, starting at 1
 * @param resumed whether this run resumes one that was interrupted
 * @param backoffMs the job's own first retry delay, or 0 for the manager's default
 * @param runAt when the job was due (its run-at: dispatch, delay or retry time), epoch millis
 * @param traceContext the dispatching code's trace context as stored ({@link TraceContexts}), or
 *     null (#13 tracing)
 */
public record ClaimedJob(
    String id,
    String name,
    byte[] params,
    byte[] state,
    long stateVersion,
    Priority priority,
    String queue,
    int attempt,
    int maxAttempts,
    long epoch,
    long leaseExpiresAt,
    long timeoutMs,
    boolean resumed,
    JobStatus previousStatus,
    long backoffMs,
    long runAt,
    String traceContext,
    String tenant) {

  /** A null tenant is {@link NewJob#DEFAULT_TENANT}. */
  public ClaimedJob {
    tenant = tenant == null ? NewJob.DEFAULT_TENANT : tenant;
  }

  /** A claimed job without due time or trace context. */
  public ClaimedJob(
      String id,
      String name,
      byte[] params,
      byte[] state,
      long stateVersion,
      Priority priority,
      String queue,
      int attempt,
      int maxAttempts,
      long epoch,
      long leaseExpiresAt,
      long timeoutMs,
      boolean resumed,
      JobStatus previousStatus,
      long backoffMs) {
    this(
        id,
        name,
        params,
        state,
        stateVersion,
        priority,
        queue,
        attempt,
        maxAttempts,
        epoch,
        leaseExpiresAt,
        timeoutMs,
        resumed,
        previousStatus,
        backoffMs,
        0,
        null,
        null);
  }
}
