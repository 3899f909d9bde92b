package dev.jobkit.spi;

import java.util.Objects;

/**
 * One service a job type needs: a {@link dev.jobkit.Service @Service} field of the job class, as
 * listed by {@link JobRegistration#services()}.
 *
 * @param type the type the field has, which the resolver looks up
 * @param name the service's name ({@link dev.jobkit.Service#value()}), or empty to look it up by
 *     type alone
 * @param field the name of the job's field, for messages
 */
public record ServiceRequirement(Class<?> type, String name, String field) {

  /** Checks that no part is null. */
  public ServiceRequirement {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(field, "field");
  }

  /** The type, with the name when there is one: {@code com.acme.Mailer named 'bulk'}. */
  public String describe() {
    return type.getName() + (name.isEmpty() ? "" : " named '" + name + "'");
  }
}
