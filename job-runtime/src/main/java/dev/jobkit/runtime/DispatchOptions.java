package dev.jobkit.runtime;

import dev.jobkit.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one dispatch overrides a job's defaults. Anything not set falls back to the job's {@link
 * dev.jobkit.Job @Job} attributes, then to the {@link JobManager}'s defaults.
 *
 * <pre>{@code
 * DispatchOptions.builder().priority(Priority.HIGH).delay(Duration.ofMinutes(5)).build()
 * }</pre>
 */
public final class DispatchOptions {
  private static final DispatchOptions DEFAULTS = builder().build();

  private final Priority priority;
  private final String queue;
  private final Instant runAt;
  private final Duration delay;
  private final Integer maxAttempts;
  private final Duration timeout;
  private final List<String> tags;
  private final String idempotencyKey;
  private final Duration backoff;
  private final String createdBy;
  private final Map<String, OnParentFailure> dependsOn; // #12 dependencies
  private final Map<String, String> traceContext; // #13 tracing
  private final String tenant; // #14 tenants

  private DispatchOptions(Builder b) {
    this.priority = b.priority;
    this.queue = b.queue;
    this.runAt = b.runAt;
    this.delay = b.delay;
    this.maxAttempts = b.maxAttempts;
    this.timeout = b.timeout;
    this.tags = List.copyOf(b.tags);
    this.idempotencyKey = b.idempotencyKey;
    this.backoff = b.backoff;
    this.createdBy = b.createdBy;
    this.dependsOn = Collections.unmodifiableMap(new LinkedHashMap<>(b.dependsOn));
    this.traceContext = Map.copyOf(b.traceContext);
    this.tenant = b.tenant;
  }

  /** Options that override nothing. */
  public static DispatchOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The priority, if overridden. */
  public Optional<Priority> priority() {
    return Optional.ofNullable(priority);
  }

  /** The queue, if overridden. */
  public Optional<String> queue() {
    return Optional.ofNullable(queue);
  }

  /** The earliest start, if set. */
  public Optional<Instant> runAt() {
    return Optional.ofNullable(runAt);
  }

  /** The delay from dispatch to the earliest start, if set. */
  public Optional<Duration> delay() {
    return Optional.ofNullable(delay);
  }

  /** The maximum number of attempts, if overridden. */
  public Optional<Integer> maxAttempts() {
    return Optional.ofNullable(maxAttempts);
  }

  /** The timeout of one attempt, if overridden. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Tags for listing. */
  public List<String> tags() {
    return tags;
  }

  /** The idempotency key, if set: a second dispatch with the same key returns the first job. */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /**
   * The delay before this job's first retry, if overridden; later retries double it, up to the
   * manager's maximum backoff (or this delay, when it is larger), each within ±50 % jitter.
   */
  public Optional<Duration> backoff() {
    return Optional.ofNullable(backoff);
  }

  /** Who dispatched the job ({@link JobInfo#createdBy()}), if set. */
  public Optional<String> createdBy() {
    return Optional.ofNullable(createdBy);
  }

  /**
   * The jobs this one waits for, in the order given, each with what its failure does to this job
   * (#12 dependencies); empty for none.
   */
  public Map<String, OnParentFailure> dependsOn() {
    return dependsOn;
  }

  /**
   * The trace context given for the job (#13), such as an HTTP request's W3C {@code traceparent}
   * header; empty when none. Stored with the job, with what {@link JobInterceptor}s add.
   */
  public Map<String, String> traceContext() {
    return traceContext;
  }

  /**
   * The tenant the job belongs to (#14), if set; a job dispatched without one belongs to {@link
   * Tenants#DEFAULT}.
   */
  public Optional<String> tenant() {
    return Optional.ofNullable(tenant);
  }

  /** Builds {@link DispatchOptions}; not thread-safe. */
  public static final class Builder {
    private Priority priority;
    private String queue;
    private Instant runAt;
    private Duration delay;
    private Integer maxAttempts;
    private Duration timeout;
    private final List<String> tags = new ArrayList<>();
    private String idempotencyKey;
    private Duration backoff;
    private String createdBy;
    private final Map<String, OnParentFailure> dependsOn = new LinkedHashMap<>();

    /**
     * The longest delay, timeout or backoff: 100 years. Longer ones are mistakes, and far longer
     * ones overflow the millisecond times the store keeps.
     */
    private static final Duration MAX_DURATION = Duration.ofDays(36_500);

    /** The earliest and latest start the store can keep. */
    private static final Instant MIN_RUN_AT = Instant.parse("0000-01-01T00:00:00Z");

    private static final Instant MAX_RUN_AT = Instant.parse("9999-12-31T23:59:59Z");

    private Builder() {}

    private static Duration atMost100Years(String what, Duration d) {
      if (d.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(
            what + " must be at most 100 years (36500 days), got " + d.toDays() + " days");
      }
      return d;
    }

    /** The delay before the first retry of this job (see {@link DispatchOptions#backoff()}). */
    public Builder backoff(Duration initialDelay) {
      Objects.requireNonNull(initialDelay, "backoff");
      if (initialDelay.isNegative() || initialDelay.isZero()) {
        throw new IllegalArgumentException("backoff must be positive, got " + initialDelay);
      }
      this.backoff = atMost100Years("backoff", initialDelay);
      return this;
    }

    /** Claim priority; higher priorities run first. */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** The queue whose workers run the job. */
    public Builder queue(String queue) {
      Objects.requireNonNull(queue, "queue");
      if (queue.isBlank()) {
        throw new IllegalArgumentException("queue must not be blank");
      }
      this.queue = queue;
      return this;
    }

    /** The earliest start; clears {@link #delay}. */
    public Builder runAt(Instant runAt) {
      Objects.requireNonNull(runAt, "runAt");
      if (runAt.isBefore(MIN_RUN_AT) || runAt.isAfter(MAX_RUN_AT)) {
        throw new IllegalArgumentException(
            "runAt must be between " + MIN_RUN_AT + " and " + MAX_RUN_AT + ", got " + runAt);
      }
      this.runAt = runAt;
      this.delay = null;
      return this;
    }

    /** The earliest start relative to the dispatch; clears {@link #runAt}. */
    public Builder delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, got " + delay);
      }
      this.delay = atMost100Years("delay", delay);
      this.runAt = null;
      return this;
    }

    /** Attempts before the job fails for good, at least 1. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The timeout of one attempt; the attempt is interrupted and the job ends TIMED_OUT. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = atMost100Years("timeout", timeout);
      return this;
    }

    /** Adds tags (non-empty, without commas). */
    public Builder tags(String... tags) {
      for (String t : tags) {
        Objects.requireNonNull(t, "tag");
        if (t.isEmpty() || t.indexOf(',') >= 0) {
          throw new IllegalArgumentException(
              "tag must be non-empty and contain no comma: '" + t + "'");
        }
        this.tags.add(t);
      }
      return this;
    }

    /** A key that makes the dispatch idempotent. */
    public Builder idempotencyKey(String key) {
      Objects.requireNonNull(key, "idempotencyKey");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("idempotencyKey must not be empty");
      }
      this.idempotencyKey = key;
      return this;
    }

    /**
     * Records who dispatched the job, shown as {@link JobInfo#createdBy()}: a free string, by
     * convention {@code key:NAME} for an HTTP API key, {@code cli} for the command line.
     */
    public Builder createdBy(String actor) {
      Objects.requireNonNull(actor, "createdBy");
      if (actor.isBlank()) {
        throw new IllegalArgumentException("createdBy must not be blank");
      }
      this.createdBy = actor;
      return this;
    }

    // #12 dependencies

    /**
     * Makes the job wait for stored jobs: it is stored {@link JobState#WAITING} and queued in the
     * transaction that completes the last of them (at once if they have all completed). If one of
     * them fails, is cancelled or times out, this job is cancelled ({@link
     * OnParentFailure#CANCEL}); see {@link #dependsOn(String, OnParentFailure)} for the other
     * policies. The job reads its parents' outputs with {@link
     * dev.jobkit.JobContext#parentOutputs}. Calls add up; a parent named twice keeps its first
     * policy. A parent id that is not stored fails the dispatch with an {@link
     * IllegalArgumentException} naming it.
     */
    public Builder dependsOn(String... parentIds) {
      for (String id : parentIds) {
        dependsOn(id, OnParentFailure.CANCEL);
      }
      return this;
    }

    /**
     * Makes the job wait for a stored job, with its own failure policy (see {@link #dependsOn}).
     */
    public Builder dependsOn(String parentId, OnParentFailure onFailure) {
      Objects.requireNonNull(parentId, "parentId");
      Objects.requireNonNull(onFailure, "onFailure");
      if (parentId.isBlank()) {
        throw new IllegalArgumentException("dependsOn: a parent id must not be blank");
      }
      dependsOn.putIfAbsent(parentId, onFailure);
      return this;
    }

    // end #12 dependencies

    private final Map<String, String> traceContext = new LinkedHashMap<>(); // #13 tracing

    /**
     * Adds an entry of the trace context stored with the job (#13), typically a propagation header
     * of the request that dispatches it: {@code traceContext("traceparent", header)}. Tracing
     * ({@code job-opentelemetry}) continues that trace when no span is current on the dispatching
     * thread. Without a tracing integration the entry is stored as given, for a worker that has
     * one.
     */
    public Builder traceContext(String key, String value) {
      Objects.requireNonNull(key, "traceContext key");
      Objects.requireNonNull(value, "traceContext value");
      if (key.isBlank()) {
        throw new IllegalArgumentException("traceContext: the key must not be blank");
      }
      traceContext.put(key, value);
      return this;
    }

    private String tenant; // #14 tenants

    /**
     * Dispatches the job into a tenant (#14): it is listed, counted against quotas and claimed
     * fairly as that tenant's. A tenant name is 1 to 63 lower-case letters, digits, '-', '_' or
     * '.', starting with a letter or digit ({@link Tenants#checkName}).
     */
    public Builder tenant(String tenant) {
      this.tenant = Tenants.checkName(tenant);
      return this;
    }

    /** The options. */
    public DispatchOptions build() {
      return new DispatchOptions(this);
    }
  }
}
