package dev.jobkit.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the audit trail, newest first (#14 tenants).
 *
 * @param entries the entries, newest first
 * @param nextCursor the cursor of the next (older) page, for {@link AuditQuery.Builder#cursor};
 *     empty on the last page
 */
public record AuditPage(List<AuditEntry> entries, Optional<String> nextCursor) {

  /** Copies. */
  public AuditPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
