package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a job's stored audit trail, as returned by {@link JobManager#events(String)}. Every
 * status change of every job is recorded, whichever process made it.
 *
 * @param id increasing id within the database (0 for the derived {@link Kind#CREATED} entry)
 * @param jobId the job's id
 * @param jobName the job's registered name
 * @param at when it happened
 * @param kind what happened
 * @param from the state before a status change
 * @param to the state after a status change
 * @param detail free text such as an error or an owner
 * @param actor who made the change: by convention {@code key:NAME} (an HTTP API key), {@code cli},
 *     {@code local}; empty when the runtime itself did (a worker, recovery, a timeout)
 */
public record JobEventInfo(
    long id,
    String jobId,
    String jobName,
    Instant at,
    Kind kind,
    Optional<JobState> from,
    Optional<JobState> to,
    Optional<String> detail,
    Optional<String> actor) {

  /** Validates. */
  public JobEventInfo {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(actor, "actor");
  }

  /** Kinds of audit entries. */
  public enum Kind {
    /** The job was dispatched. */
    CREATED,
    /** The state changed from {@code from} to {@code to}. */
    STATUS_CHANGED,
    /** The job's worker died or lost its lease and the job was queued again. */
    RECOVERED,
    /** Cancel was requested while the job was running. */
    CANCEL_REQUESTED,
    /** Pause was requested while the job was running. */
    PAUSE_REQUESTED
  }
}
