package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A lifecycle event observed by this process, delivered to {@link JobEventListener}s. The durable,
 * cross-process audit trail is {@link JobManager#events(String)}.
 *
 * @param jobId the job
 * @param name the job's registered name
 * @param type what happened
 * @param at when this process observed it (the manager's clock)
 * @param detail an error, attempt number or progress, depending on the type
 */
public record JobLifecycleEvent(
    String jobId, String name, JobEventType type, Instant at, Optional<String> detail) {

  /** Validates. */
  public JobLifecycleEvent {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(detail, "detail");
  }
}
