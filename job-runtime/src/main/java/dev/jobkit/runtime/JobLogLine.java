package dev.jobkit.runtime;

import dev.jobkit.LogLevel;
import java.time.Instant;
import java.util.Objects;

/**
 * One line a job wrote to its log with {@code JobContext.log}.
 *
 * @param id increasing id within the database; pass the last one as {@code afterId} to read on
 * @param jobId the job that wrote it
 * @param at when it was written
 * @param level its level
 * @param message its text
 * @param attempt the attempt that wrote it, from 1
 * @param traceId the trace id of the attempt that wrote it, when tracing set one (#13,
 *     job-opentelemetry); null otherwise
 */
public record JobLogLine(
    long id,
    String jobId,
    Instant at,
    LogLevel level,
    String message,
    int attempt,
    String traceId) {

  /** A line without trace id. */
  public JobLogLine(
      long id, String jobId, Instant at, LogLevel level, String message, int attempt) {
    this(id, jobId, at, level, message, attempt, null);
  }

  /** Validates. */
  public JobLogLine {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
  }
}
