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
 * @param tenant the job's tenant (#14 tenants), such as for a per-tenant metric tag; events of an
 *     attempt carry the tenant the claim read (see {@code docs/tenancy.md})
 */
public record JobLifecycleEvent(
    String jobId,
    String name,
    JobEventType type,
    Instant at,
    Optional<String> detail,
    String tenant) {

  /** Validates. */
  public JobLifecycleEvent {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(tenant, "tenant");
  }

  /** An event of a job of the {@link Tenants#DEFAULT default} tenant. */
  public JobLifecycleEvent(
      String jobId, String name, JobEventType type, Instant at, Optional<String> detail) {
    this(jobId, name, type, at, detail, Tenants.DEFAULT);
  }
}
