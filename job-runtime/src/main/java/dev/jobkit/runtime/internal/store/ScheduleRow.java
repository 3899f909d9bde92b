package dev.jobkit.runtime.internal.store;

import dev.jobkit.Priority;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One row of {@code jobkit_schedules}: a recurring schedule, the job it dispatches (stored as a job
 * is, so any node can fire it without knowing the type) and where its firing stands.
 *
 * @param name the schedule's unique name
 * @param jobName the registered name of the job type it dispatches
 * @param params the job's parameters as MessagePack
 * @param priority, queue, maxAttempts, timeoutMs, tags the dispatch options of each job
 * @param cron the cron expression, or null for an interval schedule
 * @param intervalMs the interval in millis, or 0 for a cron schedule
 * @param zone the time zone id of a cron schedule (UTC for intervals)
 * @param misfire the policy for slots missed while nothing ran: SKIP, FIRE_ONCE or FIRE_ALL
 * @param misfireCap at most this many missed slots fire under FIRE_ALL
 * @param misfireGraceMs a slot fired later than this after its time counts as missed
 * @param overlap the policy when the previous run is still going: SKIP, QUEUE_ONE or ALLOW
 * @param fallBack ONCE or BOTH: whether a local time repeated by a fall-back fires twice
 * @param jitterMs each job starts up to this much after its slot (deterministic per slot)
 * @param paused whether firing is paused, and {@code pauseReason} why
 * @param nextFireAt the next slot, epoch millis ({@link Long#MAX_VALUE} when there is none)
 * @param pendingSlot the slot QUEUE_ONE keeps waiting for the previous run, or null
 * @param lastFireAt the slot last fired (or the time of the last trigger), 0 if none
 * @param lastJobId the job of the last fire or trigger, or null
 * @param declared whether the application declares it in code (created or updated at start)
 * @param tenant the tenant of the schedule and its jobs (#14 tenants)
 */
public record ScheduleRow(
    String name,
    String jobName,
    byte[] params,
    Priority priority,
    String queue,
    int maxAttempts,
    long timeoutMs,
    List<String> tags,
    String cron,
    long intervalMs,
    String zone,
    String misfire,
    int misfireCap,
    long misfireGraceMs,
    String overlap,
    String fallBack,
    long jitterMs,
    boolean paused,
    String pauseReason,
    long nextFireAt,
    Long pendingSlot,
    long lastFireAt,
    String lastJobId,
    boolean declared,
    long createdAt,
    String createdBy,
    long updatedAt,
    String tenant) {

  /** Validates and copies; a null tenant is {@link NewJob#DEFAULT_TENANT}. */
  public ScheduleRow {
    tenant = tenant == null ? NewJob.DEFAULT_TENANT : tenant;
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(queue, "queue");
    tags = List.copyOf(tags);
    if ((cron == null) == (intervalMs <= 0)) {
      throw new IllegalArgumentException("a schedule has either a cron expression or an interval");
    }
  }

  /** A schedule of the default tenant. */
  public ScheduleRow(
      String name,
      String jobName,
      byte[] params,
      Priority priority,
      String queue,
      int maxAttempts,
      long timeoutMs,
      List<String> tags,
      String cron,
      long intervalMs,
      String zone,
      String misfire,
      int misfireCap,
      long misfireGraceMs,
      String overlap,
      String fallBack,
      long jitterMs,
      boolean paused,
      String pauseReason,
      long nextFireAt,
      Long pendingSlot,
      long lastFireAt,
      String lastJobId,
      boolean declared,
      long createdAt,
      String createdBy,
      long updatedAt) {
    this(
        name,
        jobName,
        params,
        priority,
        queue,
        maxAttempts,
        timeoutMs,
        tags,
        cron,
        intervalMs,
        zone,
        misfire,
        misfireCap,
        misfireGraceMs,
        overlap,
        fallBack,
        jitterMs,
        paused,
        pauseReason,
        nextFireAt,
        pendingSlot,
        lastFireAt,
        lastJobId,
        declared,
        createdAt,
        createdBy,
        updatedAt,
        null);
  }

  /** This row in {@code tenant}'s tenant (#14 tenants). */
  public ScheduleRow withTenant(String tenant) {
    return new ScheduleRow(
        name,
        jobName,
        params,
        priority,
        queue,
        maxAttempts,
        timeoutMs,
        tags,
        cron,
        intervalMs,
        zone,
        misfire,
        misfireCap,
        misfireGraceMs,
        overlap,
        fallBack,
        jitterMs,
        paused,
        pauseReason,
        nextFireAt,
        pendingSlot,
        lastFireAt,
        lastJobId,
        declared,
        createdAt,
        createdBy,
        updatedAt,
        tenant);
  }

  /** This row with where firing stands changed. */
  public ScheduleRow withFiring(
      long nextFireAt, Long pendingSlot, long lastFireAt, String lastJobId, long updatedAt) {
    return withState(
        paused, pauseReason, nextFireAt, pendingSlot, lastFireAt, lastJobId, updatedAt);
  }

  /** This row paused (with a reason) or resumed, with its next slot. */
  public ScheduleRow withPaused(
      boolean paused, String pauseReason, long nextFireAt, Long pendingSlot, long updatedAt) {
    return withState(
        paused, pauseReason, nextFireAt, pendingSlot, lastFireAt, lastJobId, updatedAt);
  }

  private ScheduleRow withState(
      boolean paused,
      String pauseReason,
      long nextFireAt,
      Long pendingSlot,
      long lastFireAt,
      String lastJobId,
      long updatedAt) {
    return new ScheduleRow(
        name,
        jobName,
        params,
        priority,
        queue,
        maxAttempts,
        timeoutMs,
        tags,
        cron,
        intervalMs,
        zone,
        misfire,
        misfireCap,
        misfireGraceMs,
        overlap,
        fallBack,
        jitterMs,
        paused,
        pauseReason,
        nextFireAt,
        pendingSlot,
        lastFireAt,
        lastJobId,
        declared,
        createdAt,
        createdBy,
        updatedAt,
        tenant);
  }

  /** Equal when every column is, the parameters compared by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ScheduleRow r
        && Arrays.equals(params, r.params)
        && name.equals(r.name)
        && jobName.equals(r.jobName)
        && priority == r.priority
        && queue.equals(r.queue)
        && maxAttempts == r.maxAttempts
        && timeoutMs == r.timeoutMs
        && tags.equals(r.tags)
        && Objects.equals(cron, r.cron)
        && intervalMs == r.intervalMs
        && Objects.equals(zone, r.zone)
        && Objects.equals(misfire, r.misfire)
        && misfireCap == r.misfireCap
        && misfireGraceMs == r.misfireGraceMs
        && Objects.equals(overlap, r.overlap)
        && Objects.equals(fallBack, r.fallBack)
        && jitterMs == r.jitterMs
        && paused == r.paused
        && Objects.equals(pauseReason, r.pauseReason)
        && nextFireAt == r.nextFireAt
        && Objects.equals(pendingSlot, r.pendingSlot)
        && lastFireAt == r.lastFireAt
        && Objects.equals(lastJobId, r.lastJobId)
        && declared == r.declared
        && createdAt == r.createdAt
        && Objects.equals(createdBy, r.createdBy)
        && updatedAt == r.updatedAt
        && tenant.equals(r.tenant);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, nextFireAt, updatedAt) * 31 + Arrays.hashCode(params);
  }
}
