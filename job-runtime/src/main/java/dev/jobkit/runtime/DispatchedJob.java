package dev.jobkit.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * A job being dispatched, as {@link JobInterceptor#dispatching} sees it.
 *
 * @param id the id the job will have (unless its idempotency key finds a stored job)
 * @param name its registered name
 * @param queue the queue that will run it
 * @param traceContext the trace context the dispatching code gave with {@link
 *     DispatchOptions.Builder#traceContext} (the HTTP API passes a request's {@code traceparent}
 *     header that way); empty when none
 */
public record DispatchedJob(
    String id, String name, String queue, Map<String, String> traceContext) {

  /** Validates and copies. */
  public DispatchedJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(queue, "queue");
    traceContext = Map.copyOf(traceContext);
  }
}
