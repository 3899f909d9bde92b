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
    long backoffMs) {}
