package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant as it stands (#14 tenants): its settings and how many of its jobs wait and run. From
 * {@link Tenants#get} and {@link Tenants#list}.
 *
 * @param spec its settings (weight 1 and no quotas for a tenant that has jobs but no settings)
 * @param queued its jobs that wait: queued, scheduled, waiting to retry or waiting for parents
 * @param running its jobs running now
 * @param createdAt when its settings were first stored; empty for a tenant without settings
 * @param updatedAt when its settings last changed; empty for a tenant without settings
 */
public record TenantInfo(
    TenantSpec spec,
    long queued,
    long running,
    Optional<Instant> createdAt,
    Optional<Instant> updatedAt) {

  /** Validates. */
  public TenantInfo {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The tenant's name. */
  public String name() {
    return spec.name();
  }

  /** Whether settings are stored for the tenant (else it only has jobs). */
  public boolean configured() {
    return createdAt.isPresent();
  }
}
