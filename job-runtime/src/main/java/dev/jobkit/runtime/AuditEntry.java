package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the audit trail (#14 tenants): who did what, from {@link AuditLog#list}.
 *
 * @param id time-sortable id, unique in the database (the keyset cursor of {@link AuditQuery})
 * @param at when it was recorded
 * @param tenant the tenant acted on; empty for actions outside any tenant (an administrator's key)
 * @param actor who asked: {@code key:NAME} (HTTP), {@code cli:USER} (the CLI), {@code code} ...
 * @param action what was done, such as {@code job.submit}; see {@link AuditLog} for the list
 * @param target what it was done to: a job id, {@code N jobs}, a schedule, template, key or tenant
 *     name
 * @param detail more about it, such as a job type or a reason
 */
public record AuditEntry(
    String id,
    Instant at,
    Optional<String> tenant,
    String actor,
    String action,
    Optional<String> target,
    Optional<String> detail) {

  /** Validates. */
  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(detail, "detail");
  }
}
