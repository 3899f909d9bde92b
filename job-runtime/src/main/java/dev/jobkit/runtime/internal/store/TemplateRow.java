package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * A stored job template (issue #12): a named JSON parameter preset of a job type. Times are epoch
 * millis.
 *
 * @param name the template's unique name
 * @param jobName the job type it dispatches
 * @param params the JSON parameters (a JSON object, compact)
 * @param description what it is for, or null
 * @param createdBy who first saved it, or null
 * @param tenant the tenant it belongs to (#14 tenants)
 */
public record TemplateRow(
    String name,
    String jobName,
    String params,
    String description,
    long createdAt,
    String createdBy,
    long updatedAt,
    String tenant) {

  /** Checks the required fields. */
  public TemplateRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(params, "params");
    tenant = tenant == null ? NewJob.DEFAULT_TENANT : tenant;
  }

  /** A template of the default tenant. */
  public TemplateRow(
      String name,
      String jobName,
      String params,
      String description,
      long createdAt,
      String createdBy,
      long updatedAt) {
    this(name, jobName, params, description, createdAt, createdBy, updatedAt, null);
  }
}
