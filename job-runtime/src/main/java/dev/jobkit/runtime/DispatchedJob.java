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
 * @param tenant the tenant it goes into (#14 tenants; {@link Tenants#DEFAULT} when none is named)
 */
public record DispatchedJob(
    String id, String name, String queue, Map<String, String> traceContext, String tenant) {

  /** Validates and copies. */
  public DispatchedJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(queue, "queue");
    traceContext = Map.copyOf(traceContext);
    Objects.requireNonNull(tenant, "tenant");
  }

  /** A job of the default tenant (the shape before #14 tenants). */
  public DispatchedJob(String id, String name, String queue, Map<String, String> traceContext) {
    this(id, name, queue, traceContext, Tenants.DEFAULT);
  }
}
