package dev.jobkit.runtime.internal.store;

import java.util.List;
import java.util.Objects;

/**
 * What a worker asks for when claiming.
 *
 * @param owner the claiming process or node, recorded as the lease owner
 * @param queues queues to claim from, at least one
 * @param limit most jobs to claim, at least 1
 * @param now the caller's current time, epoch millis; jobs with {@code runAt <= now} are due
 * @param leaseExpiresAt when the lease lapses unless renewed, epoch millis
 */
public record ClaimRequest(
    String owner, List<String> queues, int limit, long now, long leaseExpiresAt) {

  /** Validates and copies. */
  public ClaimRequest {
    Objects.requireNonNull(owner, "owner");
    queues = List.copyOf(queues);
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("queues must not be empty");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }
}
