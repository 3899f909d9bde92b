package dev.jobkit.http;

import dev.jobkit.runtime.ApiKeys;
import java.util.Objects;

/**
 * Who makes a request, as an application's own {@link Authenticator} decides: a name (recorded as
 * the actor of the changes it makes) and a role.
 *
 * @param name the name recorded in jobs' event trails, such as {@code user:alice}
 * @param role what it may do
 */
public record Principal(String name, ApiKeys.Role role) {
  /** Validates. */
  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
