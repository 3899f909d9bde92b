package dev.jobkit.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A worker node registered in a shared PostgreSQL database, from {@link JobManager#nodes()}.
 *
 * @param id the node's id, as shown as the lease owner of the jobs it runs
 * @param host the host it runs on
 * @param queues the queues it works
 * @param startedAt when it registered
 * @param heartbeatAt its last heartbeat (database clock)
 * @param alive whether its last heartbeat is within its lease; a node that is not alive is removed
 *     by the others, which requeue its jobs
 */
public record NodeInfo(
    String id,
    String host,
    List<String> queues,
    Instant startedAt,
    Instant heartbeatAt,
    boolean alive) {

  /** Validates and copies. */
  public NodeInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    queues = List.copyOf(queues);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(heartbeatAt, "heartbeatAt");
  }
}
