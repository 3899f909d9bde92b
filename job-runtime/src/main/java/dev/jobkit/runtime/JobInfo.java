package dev.jobkit.runtime;

import dev.jobkit.Priority;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one stored job.
 *
 * @param id the job's id
 * @param name the job's registered name
 * @param state its status when the snapshot was read
 * @param priority claim priority
 * @param queue the queue whose workers run it
 * @param attempts attempts started so far
 * @param maxAttempts attempts before it fails for good
 * @param progressJson the latest stored progress as JSON (written coalesced while running)
 * @param outputJson the output as JSON once completed
 * @param error the last error message
 * @param tags free-form labels
 * @param createdAt when it was dispatched
 * @param startedAt when its latest attempt started
 * @param finishedAt when it finished
 * @param createdBy who dispatched it ({@link DispatchOptions.Builder#createdBy}), if recorded
 * @param tenant the tenant it belongs to (#14 tenants)
 */
public record JobInfo(
    String id,
    String name,
    JobState state,
    Priority priority,
    String queue,
    int attempts,
    int maxAttempts,
    Optional<String> progressJson,
    Optional<String> outputJson,
    Optional<String> error,
    List<String> tags,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> createdBy,
    String tenant) {

  /** Validates and copies. */
  public JobInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    tags = List.copyOf(tags);
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(tenant, "tenant");
  }
}
