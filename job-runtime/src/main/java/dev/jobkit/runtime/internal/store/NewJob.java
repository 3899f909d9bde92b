package dev.jobkit.runtime.internal.store;

import dev.jobkit.Priority;
import java.util.List;
import java.util.Objects;

/**
 * A job to insert. The store sets its status to QUEUED when {@code runAt <= now}, otherwise
 * SCHEDULED.
 *
 * @param id a new id from {@link JobIds}
 * @param name the registered job name
 * @param params the original parameters as MessagePack
 * @param priority claim priority
 * @param queue the queue whose workers run it
 * @param maxAttempts attempts before it fails for good, at least 1
 * @param runAt earliest start, epoch millis
 * @param tags free-form labels for listing; no commas
 * @param idempotencyKey a second insert with the same key returns the first job's id; may be null
 * @param timeoutMs per-attempt timeout in millis, or 0 for none
 * @param backoffMs the first retry delay of this job in millis, or 0 for the manager's default
 * @param createdBy who dispatched it (an actor such as {@code key:ci}), or null
 * @param traceContext the dispatching code's trace context as {@link TraceContexts} encodes it, or
 *     null (#13 tracing)
 * @param limitKeys the job's concurrency and rate limit keys as {@code ,a,b,} (#12 limits), or null
 *     for a job without limits
 * @param tenant the tenant the job belongs to (#14 tenants); null means {@link #DEFAULT_TENANT}
 */
public record NewJob(
    String id,
    String name,
    byte[] params,
    Priority priority,
    String queue,
    int maxAttempts,
    long runAt,
    List<String> tags,
    String idempotencyKey,
    long timeoutMs,
    long backoffMs,
    String createdBy,
    String traceContext,
    String limitKeys,
    String tenant) {

  /** The tenant of jobs dispatched without one, and of every job stored before tenants. */
  public static final String DEFAULT_TENANT = "default";

  /** Validates and copies. */
  public NewJob {
    tenant = tenant == null ? DEFAULT_TENANT : tenant;
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(queue, "queue");
    tags = List.copyOf(tags);
    for (String tag : tags) {
      if (tag.isEmpty() || tag.indexOf(',') >= 0) {
        throw new IllegalArgumentException(
            "tag must be non-empty and contain no comma: '" + tag + "'");
      }
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (backoffMs < 0) {
      throw new IllegalArgumentException("backoffMs must not be negative, got " + backoffMs);
    }
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must not be negative, got " + timeoutMs);
    }
  }

  /** A job without trace context or limit keys. */
  public NewJob(
      String id,
      String name,
      byte[] params,
      Priority priority,
      String queue,
      int maxAttempts,
      long runAt,
      List<String> tags,
      String idempotencyKey,
      long timeoutMs,
      long backoffMs,
      String createdBy) {
    this(
        id,
        name,
        params,
        priority,
        queue,
        maxAttempts,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        null,
        null,
        null);
  }

  /** This job with a trace context ({@link TraceContexts#encode}), or null for none (#13). */
  public NewJob withTraceContext(String context) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        queue,
        maxAttempts,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        context,
        limitKeys,
        tenant);
  }

  /** This job with limit keys ({@code ,a,b,}, or null for none; #12 limits). */
  public NewJob withLimitKeys(String keys) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        queue,
        maxAttempts,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        keys,
        tenant);
  }

  /** This job in {@code t}'s tenant (null for {@link #DEFAULT_TENANT}; #14 tenants). */
  public NewJob withTenant(String t) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        queue,
        maxAttempts,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        limitKeys,
        t);
  }

  /** A job with defaults: NORMAL priority, queue "default", 3 attempts, no tags, key or timeout. */
  public static NewJob of(String id, String name, byte[] params, long runAt) {
    return new NewJob(
        id, name, params, Priority.NORMAL, "default", 3, runAt, List.of(), null, 0, 0, null);
  }

  /** This job with another priority. */
  public NewJob withPriority(Priority p) {
    return new NewJob(
        id,
        name,
        params,
        p,
        queue,
        maxAttempts,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        limitKeys,
        tenant);
  }

  /** This job in another queue. */
  public NewJob withQueue(String q) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        q,
        maxAttempts,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        limitKeys,
        tenant);
  }

  /** This job with tags. */
  public NewJob withTags(List<String> t) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        queue,
        maxAttempts,
        runAt,
        t,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        limitKeys,
        tenant);
  }

  /** This job with an idempotency key. */
  public NewJob withIdempotencyKey(String key) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        queue,
        maxAttempts,
        runAt,
        tags,
        key,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        limitKeys,
        tenant);
  }

  /** This job with another max attempts. */
  public NewJob withMaxAttempts(int n) {
    return new NewJob(
        id,
        name,
        params,
        priority,
        queue,
        n,
        runAt,
        tags,
        idempotencyKey,
        timeoutMs,
        backoffMs,
        createdBy,
        traceContext,
        limitKeys,
        tenant);
  }
}
