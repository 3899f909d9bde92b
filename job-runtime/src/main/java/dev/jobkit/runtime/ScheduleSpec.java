package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.schedule.CronExpression;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a recurring schedule is: when it fires (a cron expression in a time zone, or a fixed
 * interval), the job it dispatches, and its policies. Stored by {@link Schedules#put}, or declared
 * in code with {@link JobManager.Builder#schedule}. Immutable; made with {@link #cron} or {@link
 * #every} and the {@link Builder}.
 *
 * <pre>{@code
 * ScheduleSpec nightly =
 *     ScheduleSpec.cron("nightly-report", "30 2 * * *")
 *         .zone(ZoneId.of("Europe/Berlin"))
 *         .job("report", "{\"days\": 1}")
 *         .overlap(ScheduleSpec.Overlap.SKIP)
 *         .build();
 * }</pre>
 *
 * <p>See {@code docs/scheduling.md} for the cron syntax, the daylight-saving rules and the
 * policies.
 */
public final class ScheduleSpec {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

  /** The policy for slots missed while no worker process was running to fire them. */
  public enum Misfire {
    /** Missed slots do not fire; the schedule goes on with the next slot. */
    SKIP,
    /** The latest missed slot fires once, late; the others are skipped (the default). */
    FIRE_ONCE,
    /** Every missed slot fires, late, up to a cap (the latest ones); older ones are skipped. */
    FIRE_ALL
  }

  /** The policy for a slot that comes while the schedule's previous run has not ended. */
  public enum Overlap {
    /** The slot is skipped and recorded as such. */
    SKIP,
    /** One slot waits and fires when the previous run ends; further slots are skipped. */
    QUEUE_ONE,
    /** The slot fires anyway: runs may overlap (the default, as cron does). */
    ALLOW
  }

  /** Whether a local time that a fall-back repeats fires at both of its occurrences. */
  public enum FallBack {
    /** Only at its first occurrence (the default); expressions with hour {@code *} fire at both. */
    ONCE,
    /** At both occurrences. */
    BOTH
  }

  private final String name;
  private final String cron;
  private final Duration interval;
  private final ZoneId zone;
  private final String jobName;
  private final String json;
  private final JobHandler<?> job;
  private final String queue;
  private final Priority priority;
  private final List<String> tags;
  private final Integer maxAttempts;
  private final Duration timeout;
  private final Misfire misfire;
  private final int misfireCap;
  private final Duration misfireGrace;
  private final Overlap overlap;
  private final FallBack fallBack;
  private final Duration jitter;
  private final String tenant; // #14 tenants

  private ScheduleSpec(Builder b) {
    this.name = b.name;
    this.cron = b.cron;
    this.interval = b.interval;
    this.zone = b.zone;
    this.jobName = b.jobName;
    this.json = b.json;
    this.job = b.job;
    this.queue = b.queue;
    this.priority = b.priority;
    this.tags = List.copyOf(b.tags);
    this.maxAttempts = b.maxAttempts;
    this.timeout = b.timeout;
    this.misfire = b.misfire;
    this.misfireCap = b.misfireCap;
    this.misfireGrace = b.misfireGrace;
    this.overlap = b.overlap;
    this.fallBack = b.fallBack;
    this.jitter = b.jitter;
    this.tenant = b.tenant;
  }

  /**
   * A schedule named {@code name} that fires at the times of a cron expression: 5 fields (minute
   * hour day-of-month month day-of-week), 6 with seconds first, or a macro such as {@code @hourly}.
   *
   * @throws IllegalArgumentException naming the field and column, if the expression is not valid
   */
  public static Builder cron(String name, String expression) {
    Builder b = new Builder(name);
    b.cron = CronExpression.parse(Objects.requireNonNull(expression, "expression")).expression();
    return b;
  }

  /**
   * A schedule named {@code name} that fires every {@code interval}: at least one second, at most
   * 366 days (a longer period is a cron expression's job).
   */
  public static Builder every(String name, Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "schedule '" + name + "': interval " + interval + " is shorter than 1 second");
    }
    if (interval.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException(
          "schedule '"
              + name
              + "': interval "
              + interval
              + " is longer than 366 days; use a cron expression such as '0 0 1 1 *'");
    }
    Builder b = new Builder(name);
    b.interval = interval;
    return b;
  }

  /** The schedule's unique name. */
  public String name() {
    return name;
  }

  /** The cron expression, for a cron schedule. */
  public Optional<String> cron() {
    return Optional.ofNullable(cron);
  }

  /** The interval, for an interval schedule. */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }

  /** The time zone of the cron expression (UTC unless set). */
  public ZoneId zone() {
    return zone;
  }

  /** The name of the job type the schedule dispatches. */
  public String jobName() {
    return jobName;
  }

  /** The job's parameters as JSON, when given as JSON. */
  public Optional<String> json() {
    return Optional.ofNullable(json);
  }

  /** The job object whose fields are the parameters, when given as an object. */
  public Optional<JobHandler<?>> job() {
    return Optional.ofNullable(job);
  }

  /** Each job's dispatch options: queue, priority, tags, attempts and timeout, where set. */
  DispatchOptions options() {
    DispatchOptions.Builder o = DispatchOptions.builder().tags(tags.toArray(String[]::new));
    if (queue != null) {
      o.queue(queue);
    }
    if (priority != null) {
      o.priority(priority);
    }
    if (maxAttempts != null) {
      o.maxAttempts(maxAttempts);
    }
    if (timeout != null) {
      o.timeout(timeout);
    }
    if (tenant != null) {
      o.tenant(tenant);
    }
    return o.build();
  }

  /**
   * The tenant the schedule and its jobs belong to (#14 tenants), if set; else {@link
   * Tenants#DEFAULT}.
   */
  public Optional<String> tenant() {
    return Optional.ofNullable(tenant);
  }

  /** The misfire policy. */
  public Misfire misfire() {
    return misfire;
  }

  /** How many missed slots {@link Misfire#FIRE_ALL} fires at most. */
  public int misfireCap() {
    return misfireCap;
  }

  /** How late a slot may fire before it counts as missed. */
  public Duration misfireGrace() {
    return misfireGrace;
  }

  /** The overlap policy. */
  public Overlap overlap() {
    return overlap;
  }

  /** The fall-back policy. */
  public FallBack fallBack() {
    return fallBack;
  }

  /** The largest delay of a job after its slot (deterministic per slot). */
  public Duration jitter() {
    return jitter;
  }

  @Override
  public String toString() {
    return "schedule '"
        + name
        + "' ("
        + (cron != null ? "cron " + cron : "every " + interval)
        + ")";
  }

  /** Builds a {@link ScheduleSpec}. */
  public static final class Builder {
    private final String name;
    private String cron;
    private Duration interval;
    private ZoneId zone = ZoneOffset.UTC;
    private String jobName;
    private String json;
    private JobHandler<?> job;
    private String queue;
    private Priority priority;
    private List<String> tags = List.of();
    private Integer maxAttempts;
    private Duration timeout;
    private Misfire misfire = Misfire.FIRE_ONCE;
    private int misfireCap = 100;
    private Duration misfireGrace = Duration.ofMinutes(1);
    private Overlap overlap = Overlap.ALLOW;
    private FallBack fallBack = FallBack.ONCE;
    private Duration jitter = Duration.ZERO;
    private String tenant; // #14 tenants

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "schedule name '"
                + name
                + "' is not valid: use 1 to 100 letters, digits, '.', '_', ':' or '-',"
                + " starting with a letter or digit");
      }
      this.name = name;
    }

    /** The time zone of a cron expression; UTC by default. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The time zone by its id, such as {@code Europe/Berlin}.
     *
     * @throws IllegalArgumentException if there is no such zone
     */
    public Builder zone(String zoneId) {
      try {
        return zone(ZoneId.of(Objects.requireNonNull(zoneId, "zoneId").strip()));
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "schedule '"
                + name
                + "': unknown time zone '"
                + zoneId
                + "': use an IANA zone id such as Europe/Berlin or America/New_York, or UTC");
      }
    }

    /** The job: a registered job name and its parameters as JSON, validated when stored. */
    public Builder job(String jobName, String json) {
      this.jobName = Objects.requireNonNull(jobName, "jobName");
      this.json = Objects.requireNonNull(json, "json");
      this.job = null;
      return this;
    }

    /** The job: an object whose current fields are the parameters. */
    public Builder job(JobHandler<?> job) {
      this.job = Objects.requireNonNull(job, "job");
      this.jobName = null;
      this.json = null;
      return this;
    }

    /** The queue of each job; the job type's by default. */
    public Builder queue(String queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /** The priority of each job; the job type's by default. */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** Tags of each job. */
    public Builder tags(List<String> tags) {
      this.tags = List.copyOf(tags);
      return this;
    }

    /** Attempts of each job; the job type's or the manager's default otherwise. */
    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /** The per-attempt timeout of each job; the job type's by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The misfire policy ({@link Misfire#FIRE_ONCE} by default). */
    public Builder misfire(Misfire policy) {
      this.misfire = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * {@link Misfire#FIRE_ALL} with a cap (100 by default): at most this many missed slots fire.
     */
    public Builder misfire(Misfire policy, int cap) {
      if (cap < 1) {
        throw new IllegalArgumentException(
            "schedule '" + name + "': misfire cap must be at least 1, got " + cap);
      }
      this.misfireCap = cap;
      return misfire(policy);
    }

    /** How late a slot may fire before it counts as missed (1 minute by default). */
    public Builder misfireGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException(
            "schedule '" + name + "': misfire grace must not be negative, got " + grace);
      }
      this.misfireGrace = grace;
      return this;
    }

    /** The overlap policy ({@link Overlap#ALLOW} by default). */
    public Builder overlap(Overlap policy) {
      this.overlap = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The fall-back policy ({@link FallBack#ONCE} by default). */
    public Builder fallBack(FallBack policy) {
      this.fallBack = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Each job starts up to {@code max} after its slot, by an amount fixed per slot (the same on
     * every node), so that many schedules on one slot do not start at once. None by default.
     */
    public Builder jitter(Duration max) {
      if (max.isNegative()) {
        throw new IllegalArgumentException(
            "schedule '" + name + "': jitter must not be negative, got " + max);
      }
      this.jitter = max;
      return this;
    }

    /**
     * The tenant of the schedule and of the jobs it dispatches (#14 tenants; default {@link
     * Tenants#DEFAULT}). Its fires count against the tenant's quotas: a fire rejected by one is
     * recorded as skipped.
     *
     * @throws IllegalArgumentException if the name is not a valid tenant name
     */
    public Builder tenant(String tenant) {
      this.tenant = Tenants.checkName(tenant);
      return this;
    }

    /**
     * The spec.
     *
     * @throws IllegalStateException if no job was given
     */
    public ScheduleSpec build() {
      if (jobName == null && job == null) {
        throw new IllegalStateException(
            "schedule '" + name + "' has no job: call job(name, json) or job(object)");
      }
      return new ScheduleSpec(this);
    }
  }
}
