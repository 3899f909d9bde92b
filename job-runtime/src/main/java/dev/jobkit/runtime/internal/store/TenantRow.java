package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * A row of {@code jobkit_tenants} (#14 tenants): a tenant's weight and quotas, 0 meaning none.
 *
 * @param name the tenant
 * @param weight its weight in fair claiming
 * @param maxQueued the most waiting jobs
 * @param maxRunning the most running jobs (enforced at claim through the limit key {@code
 *     tenant:NAME})
 * @param submitCount the most submissions per {@code submitPeriodMs}
 * @param submitPeriodMs the period of the submission rate
 * @param submitBurst submissions at once beyond the even rate (0: {@code submitCount})
 * @param submitTatUs the rate's state: its theoretical arrival time, epoch micros (GCRA)
 * @param maxStoredBytes the most bytes of stored parameters
 * @param description what the tenant is, or null
 * @param createdAt when the row was created, epoch millis
 * @param updatedAt when it last changed, epoch millis
 */
public record TenantRow(
    String name,
    int weight,
    long maxQueued,
    int maxRunning,
    int submitCount,
    long submitPeriodMs,
    int submitBurst,
    long submitTatUs,
    long maxStoredBytes,
    String description,
    long createdAt,
    long updatedAt) {

  /** Validates. */
  public TenantRow {
    Objects.requireNonNull(name, "name");
  }

  /** Whether a dispatch into the tenant must check a quota in its transaction. */
  public boolean checksDispatch() {
    return maxQueued > 0 || submitCount > 0 || maxStoredBytes > 0;
  }

  /** The limit key that holds the tenant's max-running quota. */
  public static String limitKey(String tenant) {
    return "tenant:" + tenant;
  }
}
