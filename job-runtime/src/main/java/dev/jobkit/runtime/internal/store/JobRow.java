package dev.jobkit.runtime.internal.store;

import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.JobStatus;
import java.util.List;

/**
 * A job as stored. Times are epoch millis; a time that has not happened yet is 0. Byte arrays are
 * the stored arrays (not copied): do not modify them.
 *
 * @param state latest checkpoint as MessagePack, or null before the first checkpoint
 * @param stateVersion incremented by each checkpoint
 * @param leaseEpoch the fencing token, incremented by each claim
 * @param progress latest progress as JSON, or null
 * @param output the result as JSON, or null
 * @param error the last error message, or null
 * @param resumed whether the next run resumes an interrupted one
 * @param backoffMs the job's own first retry delay, or 0 for the manager's
 * @param createdBy who dispatched it, or null
 */
public record JobRow(
    String id,
    String name,
    byte[] params,
    byte[] state,
    long stateVersion,
    JobStatus status,
    Priority priority,
    String queue,
    int attempts,
    int maxAttempts,
    long runAt,
    String leaseOwner,
    long leaseExpiresAt,
    long leaseEpoch,
    boolean cancelRequested,
    boolean pauseRequested,
    boolean resumed,
    String progress,
    String output,
    String error,
    List<String> tags,
    String idempotencyKey,
    long timeoutMs,
    long createdAt,
    long startedAt,
    long finishedAt,
    long updatedAt,
    long backoffMs,
    String createdBy,
    String tenant) {}
