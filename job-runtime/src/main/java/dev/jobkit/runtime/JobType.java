package dev.jobkit.runtime;

import dev.jobkit.Priority;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered job type, from {@link JobManager#jobTypes()}.
 *
 * @param name the stable name used by {@code dispatchByName}
 * @param description the {@code @Job} description, or empty
 * @param schema JSON Schema (draft 2020-12) of the parameters
 * @param outputSchema JSON Schema (draft 2020-12) of the output
 * @param outputType the output type as written in source
 * @param resumable whether an interrupted run resumes from its last checkpoint
 * @param version the version of the job's state layout
 * @param queue default queue
 * @param priority default priority
 * @param maxAttempts default attempts; the manager's default when the job sets none
 * @param timeout default timeout of one attempt, if any
 */
public record JobType(
    String name,
    String description,
    String schema,
    String outputSchema,
    String outputType,
    boolean resumable,
    int version,
    String queue,
    Priority priority,
    int maxAttempts,
    Optional<Duration> timeout) {

  /** Validates. */
  public JobType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(outputSchema, "outputSchema");
    Objects.requireNonNull(outputType, "outputType");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(timeout, "timeout");
  }
}
