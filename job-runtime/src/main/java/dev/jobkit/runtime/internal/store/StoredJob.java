package dev.jobkit.runtime.internal.store;

import java.util.List;

/**
 * A job with its stored events (not the derived CREATED one) and log lines, as export, import and
 * migration move it between databases. A {@link JobRow#leaseExpiresAt()} of 0 is stored as NULL (no
 * lease); a claim always sets a time after 1970.
 */
public record StoredJob(JobRow row, List<JobEvent> events, List<LogLine> logs) {
  /** Copies the lists. */
  public StoredJob {
    events = List.copyOf(events);
    logs = List.copyOf(logs);
  }
}
