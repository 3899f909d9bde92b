package dev.jobkit.runtime.internal.store;

import java.util.List;

/**
 * A job with its stored events (not the derived CREATED one), log lines, parent edges (#12
 * dependencies, in their order) and the batch it is a member of (#12 batches; null for most jobs),
 * as export, import and migration move it between databases. A {@link JobRow#leaseExpiresAt()} of 0
 * is stored as NULL (no lease); a claim always sets a time after 1970.
 */
public record StoredJob(
    JobRow row,
    List<JobEvent> events,
    List<LogLine> logs,
    List<StoredEdge> parents,
    String batchId) {
  /** Copies the lists. */
  public StoredJob {
    events = List.copyOf(events);
    logs = List.copyOf(logs);
    parents = List.copyOf(parents);
  }

  /** A job in no batch. */
  public StoredJob(
      JobRow row, List<JobEvent> events, List<LogLine> logs, List<StoredEdge> parents) {
    this(row, events, logs, parents, null);
  }

  /** A job without parents. */
  public StoredJob(JobRow row, List<JobEvent> events, List<LogLine> logs) {
    this(row, events, logs, List.of());
  }
}
