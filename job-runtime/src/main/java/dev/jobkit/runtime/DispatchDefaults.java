package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.JobRegistry;
import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.worker.Interceptors;
import dev.jobkit.spi.JobRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a dispatch into the row to store: checks the parameters' size, resolves each setting from
 * the {@link DispatchOptions}, then the job's {@code @Job} attributes, then the manager's defaults,
 * and assigns the job's id.
 */
final class DispatchDefaults {
  private final JobRegistry registry;
  private final Clock clock;
  private final JobIds ids;
  private final int defaultMaxAttempts;
  private final int maxParamBytes;
  private final Interceptors interceptors; // #13
  private final Limits limits; // #12 limits

  DispatchDefaults(
      JobRegistry registry,
      Clock clock,
      int defaultMaxAttempts,
      int maxParamBytes,
      Interceptors interceptors,
      Limits limits) {
    this.interceptors = interceptors;
    this.registry = registry;
    this.limits = limits;
    this.clock = clock;
    this.ids = new JobIds(clock);
    this.defaultMaxAttempts = defaultMaxAttempts;
    this.maxParamBytes = maxParamBytes;
  }

  /**
   * The id generator of the jobs this manager dispatches; the audit trail shares it (#14), so that
   * the ids of a dispatch's audit row (its first job's id) and of the other audit rows are in the
   * order of the actions.
   */
  JobIds ids() {
    return ids;
  }

  /** The row of one job object, its current fields as parameters. */
  NewJob of(JobHandler<?> job, DispatchOptions options) {
    return dispatched(rowOf(job, options), options);
  }

  private NewJob rowOf(JobHandler<?> job, DispatchOptions options) {
    return newJob(registry.nameOf(job), registry.toMsgpack(job), options, clock.millis());
  }

  /** The row of a job given by name and JSON parameters, validated against the job's fields. */
  NewJob ofJson(String name, String json, DispatchOptions options) {
    return dispatched(rowOfJson(name, json, options), options);
  }

  /**
   * {@link #ofJson} into {@code tenant} (a template's, #14 tenants), set before the interceptors
   * see the job, so that they see its tenant.
   */
  NewJob ofJson(String name, String json, DispatchOptions options, String tenant) {
    return dispatched(rowOfJson(name, json, options).withTenant(tenant), options);
  }

  private NewJob rowOfJson(String name, String json, DispatchOptions options) {
    JobHandler<?> job = registry.fromJson(name, json);
    return newJob(name, registry.toMsgpack(job), options, clock.millis());
  }

  /** The row of a job given by name and MessagePack parameters, validated by decoding them. */
  NewJob ofMsgpack(String name, byte[] params, DispatchOptions options) {
    registry.fromMsgpack(name, params);
    return dispatched(newJob(name, params.clone(), options, clock.millis()), options);
  }

  /** The rows of several job objects dispatched together, stamped with one dispatch time. */
  List<NewJob> ofAll(List<? extends JobHandler<?>> jobs, DispatchOptions options) {
    if (options.idempotencyKey().isPresent()) {
      throw new IllegalArgumentException(
          "dispatchAll cannot share one idempotency key between jobs; dispatch them one by one");
    }
    long now = clock.millis();
    List<NewJob> rows = new ArrayList<>(jobs.size());
    for (JobHandler<?> job : jobs) {
      rows.add(
          dispatched(newJob(registry.nameOf(job), registry.toMsgpack(job), options, now), options));
    }
    return rows;
  }

  /**
   * A new job like a stored one: the same name, parameters, queue, priority, attempts, timeout,
   * backoff and tags, due now, without idempotency key or state.
   */
  NewJob cloneOf(JobRow r, String actor) {
    String id = ids.next();
    return limits.apply(
        new NewJob(
            id,
            r.name(),
            r.params(),
            r.priority(),
            r.queue(),
            r.maxAttempts(),
            clock.millis(),
            r.tags(),
            null,
            r.timeoutMs(),
            r.backoffMs(),
            actor,
            interceptors.dispatching(id, r.name(), r.queue(), r.tenant(), Map.of()),
            null,
            r.tenant()));
  }

  /**
   * The job a schedule dispatches, its parameters validated and its defaults applied (#12). Not a
   * dispatch: the interceptors are not asked (the schedule's fires have no trace context).
   */
  NewJob ofSchedule(ScheduleSpec spec) {
    return spec.job().isPresent()
        ? rowOf(spec.job().get(), spec.options())
        : rowOfJson(spec.jobName(), spec.json().orElseThrow(), spec.options());
  }

  /** {@code row} with the trace context the dispatch options and the interceptors give (#13). */
  private NewJob dispatched(NewJob row, DispatchOptions o) {
    return row.withTraceContext(
        interceptors.dispatching(
            row.id(), row.name(), row.queue(), row.tenant(), o.traceContext()));
  }

  /** {@code job} with its limit keys (#12 limits), for jobs made elsewhere (schedules). */
  NewJob limited(NewJob job) {
    return limits.apply(job);
  }

  /** The attempts of a job type: its own setting, else the manager's default. */
  int maxAttempts(JobRegistration<?, ?> reg) {
    return reg.maxAttempts() > 0 ? reg.maxAttempts() : defaultMaxAttempts;
  }

  private NewJob newJob(String name, byte[] params, DispatchOptions o, long now) {
    if (params.length > maxParamBytes) {
      throw new IllegalArgumentException(
          "job '"
              + name
              + "': parameters take "
              + params.length
              + " bytes, more than the limit of "
              + maxParamBytes
              + " bytes; pass large data by reference (a path or URL) or raise maxParamBytes");
    }
    JobRegistration<?, ?> reg = registry.registration(name);
    Priority priority = o.priority().orElse(reg.priority());
    String queue = o.queue().orElse(reg.queue());
    int maxAttempts = o.maxAttempts().orElse(maxAttempts(reg));
    long runAt =
        o.runAt()
            .map(Instant::toEpochMilli)
            .orElse(now + o.delay().map(Duration::toMillis).orElse(0L));
    long timeoutMs = o.timeout().or(reg::timeout).map(Duration::toMillis).orElse(0L);
    return limits.apply(
        new NewJob(
                ids.next(),
                name,
                params,
                priority,
                queue,
                maxAttempts,
                runAt,
                o.tags(),
                o.idempotencyKey().orElse(null),
                timeoutMs,
                o.backoff().map(Duration::toMillis).orElse(0L),
                o.createdBy().orElse(null))
            .withTenant(o.tenant().orElse(null)));
  }
}
