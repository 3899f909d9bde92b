package dev.jobkit.runtime;

import dev.jobkit.Priority;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A stored schedule as it stands: from {@link Schedules#get} and {@link Schedules#list}.
 *
 * @param name the schedule's unique name
 * @param cron the cron expression, for a cron schedule
 * @param interval the interval, for an interval schedule
 * @param zone the time zone of the cron expression
 * @param jobName the job type it dispatches
 * @param paramsJson the job's parameters as JSON; empty when the type is not registered in this
 *     process
 * @param queue the queue of its jobs
 * @param priority the priority of its jobs
 * @param tags the tags of its jobs
 * @param maxAttempts the attempts of its jobs
 * @param timeout the per-attempt timeout of its jobs, if any
 * @param misfire its misfire policy
 * @param misfireCap at most this many missed slots fire under {@link ScheduleSpec.Misfire#FIRE_ALL}
 * @param misfireGrace how late a slot may fire before it counts as missed
 * @param overlap its overlap policy
 * @param fallBack its fall-back policy
 * @param jitter the largest delay of a job after its slot
 * @param paused whether it is paused
 * @param pauseReason why it was paused, if it is
 * @param nextFire the next slot, if any (none for an expression that never matches again)
 * @param pendingSlot the slot waiting for the previous run to end ({@link
 *     ScheduleSpec.Overlap#QUEUE_ONE}), if any
 * @param lastFire the slot that fired last, if any
 * @param lastJobId the job of the last fire or trigger, if any
 * @param declared whether the application declares it in code
 * @param createdAt when it was created
 * @param createdBy who created it, if known
 * @param updatedAt when it last changed (including each fire)
 * @param tenant the tenant of the schedule and of the jobs it dispatches (#14 tenants)
 */
public record ScheduleInfo(
    String name,
    Optional<String> cron,
    Optional<Duration> interval,
    ZoneId zone,
    String jobName,
    Optional<String> paramsJson,
    String queue,
    Priority priority,
    List<String> tags,
    int maxAttempts,
    Optional<Duration> timeout,
    ScheduleSpec.Misfire misfire,
    int misfireCap,
    Duration misfireGrace,
    ScheduleSpec.Overlap overlap,
    ScheduleSpec.FallBack fallBack,
    Duration jitter,
    boolean paused,
    Optional<String> pauseReason,
    Optional<Instant> nextFire,
    Optional<Instant> pendingSlot,
    Optional<Instant> lastFire,
    Optional<String> lastJobId,
    boolean declared,
    Instant createdAt,
    Optional<String> createdBy,
    Instant updatedAt,
    String tenant) {

  /** Copies the tags. */
  public ScheduleInfo {
    tags = List.copyOf(tags);
    java.util.Objects.requireNonNull(tenant, "tenant");
  }

  /** {@code cron EXPR [zone]} or {@code every DURATION}, for display. */
  public String when() {
    return cron.map(c -> "cron " + c + " (" + zone + ")")
        .orElseGet(() -> "every " + interval.map(Durations::format).orElse("?"));
  }

  /** Short, readable durations such as {@code 90s} or {@code 1h30m}. */
  private static final class Durations {
    static String format(Duration d) {
      return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
  }
}
