package dev.jobkit.runtime.internal.store;

import dev.jobkit.LogLevel;

/**
 * One line of a job's log.
 *
 * @param id increasing id, 0 for a line not yet stored
 * @param attempt the attempt that wrote it
 * @param traceId the trace id of the attempt that wrote it, or null (#13 tracing)
 */
public record LogLine(
    long id, String jobId, long at, LogLevel level, String message, int attempt, String traceId) {

  /** A line without trace id. */
  public LogLine(long id, String jobId, long at, LogLevel level, String message, int attempt) {
    this(id, jobId, at, level, message, attempt, null);
  }
}
