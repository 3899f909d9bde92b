package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * A row of {@code jobkit_audit} (#14 tenants).
 *
 * @param id time-sortable, unique
 * @param at epoch millis
 * @param tenant the tenant acted on, or null
 * @param actor who acted
 * @param action what was done, such as {@code job.cancel}
 * @param target what it was done to, or null
 * @param detail more, or null
 */
public record AuditRow(
    String id, long at, String tenant, String actor, String action, String target, String detail) {

  /** Validates. */
  public AuditRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
  }
}
