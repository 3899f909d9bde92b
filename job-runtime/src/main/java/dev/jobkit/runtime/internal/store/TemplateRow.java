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
 */
public record TemplateRow(
    String name,
    String jobName,
    String params,
    String description,
    long createdAt,
    String createdBy,
    long updatedAt) {

  /** Checks the required fields. */
  public TemplateRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(params, "params");
  }
}
