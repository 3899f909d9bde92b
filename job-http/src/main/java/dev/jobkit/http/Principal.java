package dev.jobkit.http;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.Tenants;
import java.util.Objects;
import java.util.Optional;

/**
 * Who makes a request, as an application's own {@link Authenticator} decides: a name (recorded as
 * the actor of the changes it makes), a role, and the one tenant it acts for (#14 tenants), if any.
 *
 * @param name the name recorded in jobs' event trails and the audit trail, such as {@code
 *     user:alice}
 * @param role what it may do
 * @param tenant the one tenant it sees and dispatches into; empty for every tenant (an
 *     administrator, or an installation without tenants)
 */
public record Principal(String name, ApiKeys.Role role, Optional<String> tenant) {
  /** Validates; a tenant must be a valid tenant name ({@link Tenants#checkName}). */
  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(tenant, "tenant");
    tenant.ifPresent(Tenants::checkName);
  }

  /** A principal that acts for every tenant. */
  public Principal(String name, ApiKeys.Role role) {
    this(name, role, Optional.empty());
  }

  /** A principal that acts for {@code tenant} only. */
  public static Principal ofTenant(String name, ApiKeys.Role role, String tenant) {
    return new Principal(name, role, Optional.of(tenant));
  }
}
