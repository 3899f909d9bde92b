package dev.jobkit.micrometer;

import dev.jobkit.runtime.AttemptOutcome;
import dev.jobkit.runtime.DispatchedJob;
import dev.jobkit.runtime.JobAttempt;
import dev.jobkit.runtime.JobInterceptor;
import dev.jobkit.runtime.JobManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * jobkit's meters on a Micrometer {@link MeterRegistry}, bound with one call:
 *
 * <pre>{@code
 * JobManager manager = JobManager.builder()
 *     .database(path)
 *     .intercept(new JobkitMetrics(registry))
 *     .open();
 * }</pre>
 *
 * <p>Meters (tags are low-cardinality: the job's registered name, its queue, an outcome):
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>counts</th></tr>
 *   <tr><td>{@code jobkit.jobs.dispatched}</td><td>counter</td><td>job, queue</td>
 *       <td>jobs dispatched through this manager (not the jobs a schedule fires)</td></tr>
 *   <tr><td>{@code jobkit.jobs.finished}</td><td>counter</td><td>job, queue, outcome</td>
 *       <td>attempts run here that ended the job: completed, failed, cancelled, timed_out</td></tr>
 *   <tr><td>{@code jobkit.job.duration}</td><td>timer, histogram</td><td>job, queue, outcome</td>
 *       <td>each attempt run here, from its start to its recorded outcome (every outcome)</td></tr>
 *   <tr><td>{@code jobkit.job.wait}</td><td>timer, histogram</td><td>job, queue</td>
 *       <td>from when a job was due (dispatch, delay or retry time) to its attempt's start</td></tr>
 *   <tr><td>{@code jobkit.jobs.running}</td><td>gauge</td><td>queue</td>
 *       <td>attempts running now in this manager</td></tr>
 *   <tr><td>{@code jobkit.queue.depth}</td><td>gauge</td><td>queue</td>
 *       <td>jobs waiting to run (queued, scheduled, retry due later) per queue in the database, from {@link JobManager#queueDepths()} cached
 *       for {@link #queueDepthRefresh} (default 10 s): a scrape never counts rows itself</td></tr>
 *   <tr><td>{@code jobkit.lease.lost}</td><td>counter</td><td>job, queue</td>
 *       <td>attempts that found their job taken over by another node</td></tr>
 *   <tr><td>{@code jobkit.job.retries}</td><td>counter</td><td>job, queue</td>
 *       <td>retries scheduled after a failed attempt</td></tr>
 * </table>
 *
 * <p>Per-tenant tags (#14 tenants) are opt-in, because every tenant multiplies the series of each
 * meter: with {@link #tenantTag(boolean) tenantTag(true)}, {@code jobkit.jobs.dispatched} and the
 * attempt meters ({@code jobkit.jobs.finished}, {@code jobkit.job.duration}, {@code
 * jobkit.job.wait}, {@code jobkit.lease.lost}, {@code jobkit.job.retries}) also have a {@code
 * tenant} tag. The gauges (queue depth, running) stay per queue.
 *
 * <p>One instance belongs to one manager. Thread-safe.
 */
public final class JobkitMetrics implements JobInterceptor {
  /** How long queue depths are cached unless {@link #queueDepthRefresh} says otherwise. */
  public static final Duration DEFAULT_QUEUE_DEPTH_REFRESH = Duration.ofSeconds(10);

  private final MeterRegistry registry;
  private volatile long refreshNanos = DEFAULT_QUEUE_DEPTH_REFRESH.toNanos();
  private volatile boolean tenantTag; // #14 tenants
  private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
  private final Set<String> depthGauges = ConcurrentHashMap.newKeySet();
  private volatile JobManager manager;

  // The cached depths and when they were read (the registry's clock), guarded by this.
  private Map<String, Long> depths = Map.of();
  private long depthsReadAt;
  private boolean depthsRead;

  /** Meters on {@code registry}; pass this to {@code JobManager.Builder.intercept}. */
  public JobkitMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * How long the queue depths read from the database are reused by scrapes (default 10 s); each
   * refresh is one grouped count of queued jobs. Returns this.
   *
   * @throws IllegalArgumentException if {@code refresh} is negative
   */
  public JobkitMetrics queueDepthRefresh(Duration refresh) {
    Objects.requireNonNull(refresh, "refresh");
    if (refresh.isNegative()) {
      throw new IllegalArgumentException(
          "queueDepthRefresh must not be negative, got "
              + refresh
              + "; use Duration.ZERO to read on every scrape");
    }
    this.refreshNanos = refresh.toNanos();
    return this;
  }

  /**
   * Whether the attempt meters get a {@code tenant} tag, the tenant of the job (#14 tenants). Off
   * by default: each tenant adds a series to every tag combination, so turn it on only for a
   * bounded number of tenants. When on, {@code jobkit.jobs.dispatched} and the attempt meters have
   * the tag. Set it before the manager opens. Returns this.
   */
  public JobkitMetrics tenantTag(boolean enabled) {
    this.tenantTag = enabled;
    return this;
  }

  // ---------------------------------------------------------------- JobInterceptor

  /** Keeps the manager for the queue depths and registers a depth gauge for each queue seen. */
  @Override
  public void opened(JobManager m) {
    if (manager != null && manager != m) {
      throw new IllegalStateException(
          "this JobkitMetrics is bound to another JobManager already; create one per manager");
    }
    manager = m;
    refreshDepths(true);
  }

  /** Counts the dispatch. */
  @Override
  public Map<String, String> dispatching(DispatchedJob job) {
    Counter.builder("jobkit.jobs.dispatched")
        .description("Jobs dispatched")
        .tags(
            tenantTag
                ? Tags.of("job", job.name(), "queue", job.queue(), "tenant", job.tenant())
                : Tags.of("job", job.name(), "queue", job.queue()))
        .register(registry)
        .increment();
    depthGauge(job.queue());
    return Map.of();
  }

  /** Times the attempt, its wait, and counts its outcome. */
  @Override
  public AttemptOutcome around(JobAttempt attempt, Proceed proceed) {
    Tags tags = Tags.of("job", attempt.name(), "queue", attempt.queue());
    if (tenantTag) {
      tags = tags.and("tenant", attempt.tenant());
    }
    long waitMs = Math.max(0, attempt.startedAt().toEpochMilli() - attempt.dueAt().toEpochMilli());
    Timer.builder("jobkit.job.wait")
        .description("Time from when a job was due to the start of its attempt")
        .tags(tags)
        .publishPercentileHistogram()
        .register(registry)
        .record(waitMs, TimeUnit.MILLISECONDS);
    depthGauge(attempt.queue());
    AtomicInteger now = runningGauge(attempt.queue());
    now.incrementAndGet();
    long start = System.nanoTime();
    AttemptOutcome outcome = null;
    try {
      outcome = proceed.proceed();
      return outcome;
    } finally {
      long took = System.nanoTime() - start;
      now.decrementAndGet();
      AttemptOutcome o = outcome != null ? outcome : AttemptOutcome.UNRECORDED;
      Tags withOutcome = tags.and("outcome", o.tag());
      Timer.builder("jobkit.job.duration")
          .description("Duration of job attempts")
          .tags(withOutcome)
          .publishPercentileHistogram()
          .register(registry)
          .record(took, TimeUnit.NANOSECONDS);
      switch (o) {
        case COMPLETED, FAILED, CANCELLED, TIMED_OUT ->
            Counter.builder("jobkit.jobs.finished")
                .description("Jobs whose attempt here ended them")
                .tags(withOutcome)
                .register(registry)
                .increment();
        case RETRY_SCHEDULED ->
            Counter.builder("jobkit.job.retries")
                .description("Retries scheduled after a failed attempt")
                .tags(tags)
                .register(registry)
                .increment();
        case LEASE_LOST ->
            Counter.builder("jobkit.lease.lost")
                .description("Attempts whose job another node took over")
                .tags(tags)
                .register(registry)
                .increment();
        default -> {} // paused, shut down or unrecorded: the job is not finished
      }
    }
  }

  // ---------------------------------------------------------------- gauges

  private AtomicInteger runningGauge(String queue) {
    return running.computeIfAbsent(
        queue,
        q -> {
          AtomicInteger n = new AtomicInteger();
          Gauge.builder("jobkit.jobs.running", n, AtomicInteger::get)
              .description("Job attempts running now in this manager")
              .tag("queue", q)
              .register(registry);
          return n;
        });
  }

  /** The depth of {@code queue}, from the cache (read again when older than the refresh). */
  private double depth(String queue) {
    return refreshDepths(false).getOrDefault(queue, 0L);
  }

  /**
   * The cached depths, read from the manager first when {@code force} or they are stale; a gauge is
   * registered for each queue seen for the first time.
   */
  private Map<String, Long> refreshDepths(boolean force) {
    JobManager m = manager;
    Map<String, Long> read;
    synchronized (this) {
      long now = registry.config().clock().monotonicTime();
      if (m == null || (!force && depthsRead && now - depthsReadAt < refreshNanos)) {
        return depths;
      }
      depthsReadAt = now;
      depthsRead = true;
      try {
        depths = read = Map.copyOf(m.queueDepths());
      } catch (RuntimeException e) {
        // The database is unreachable: keep the last depths until the next refresh is due.
        return depths;
      }
    }
    read.keySet().forEach(this::depthGauge);
    return read;
  }

  /** Registers the depth gauge of {@code queue} unless it exists. */
  private void depthGauge(String queue) {
    if (!depthGauges.contains(queue) && depthGauges.add(queue)) {
      Gauge.builder("jobkit.queue.depth", this, self -> self.depth(queue))
          .description(
              "Jobs waiting to run per queue (cached, see JobkitMetrics.queueDepthRefresh)")
          .tag("queue", queue)
          .strongReference(true)
          .register(registry);
    }
  }
}
