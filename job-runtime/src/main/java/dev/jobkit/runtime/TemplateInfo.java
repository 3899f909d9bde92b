package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A saved job template: a named preset of a job type's JSON parameters. See {@link Templates}.
 *
 * @param name the template's unique name
 * @param jobName the job type it dispatches
 * @param paramsJson its parameters, a compact JSON object (fields it does not give keep the job's
 *     defaults)
 * @param description what it is for, if given
 * @param createdAt when it was first saved
 * @param createdBy who first saved it, if recorded
 * @param updatedAt when it was last saved
 * @param tenant the tenant it belongs to, and that the jobs dispatched from it go into (#14)
 */
public record TemplateInfo(
    String name,
    String jobName,
    String paramsJson,
    Optional<String> description,
    Instant createdAt,
    Optional<String> createdBy,
    Instant updatedAt,
    String tenant) {

  /** Validates. */
  public TemplateInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(paramsJson, "paramsJson");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Tenants.checkName(tenant);
  }

  /** A template of the {@link Tenants#DEFAULT default} tenant. */
  public TemplateInfo(
      String name,
      String jobName,
      String paramsJson,
      Optional<String> description,
      Instant createdAt,
      Optional<String> createdBy,
      Instant updatedAt) {
    this(name, jobName, paramsJson, description, createdAt, createdBy, updatedAt, Tenants.DEFAULT);
  }
}
