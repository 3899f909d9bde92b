package dev.jobkit.runtime;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.internal.schedule.SchedulePlanner;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.QuotaRejection;
import dev.jobkit.runtime.internal.store.ScheduleChange;
import dev.jobkit.runtime.internal.store.ScheduleFireRow;
import dev.jobkit.runtime.internal.store.ScheduleRow;
import dev.jobkit.runtime.internal.worker.Engine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recurring schedules of the job database: from {@link JobManager#schedules()}. Schedules are
 * stored in the database and shared by every process on it; every process with workers fires their
 * slots, without a leader, each slot exactly once (see {@code docs/scheduling.md}). Thread-safe.
 *
 * <p>Methods that name a schedule return an empty result when there is none with that name.
 */
public final class Schedules {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);

  /** The most slots {@link #preview} computes. */
  public static final int MAX_PREVIEW = 1_000;

  private final JobStore store;
  private final Clock clock;
  private final JobRegistry registry;
  private final DispatchDefaults defaults;
  private final Engine engine;
  private final SchedulePlanner planner;
  private final Function<String, JobHandle<?>> handles;
  private final AuditLog audit; // #14 tenants
  private final Runnable checkOpen;

  Schedules(
      JobStore store,
      Clock clock,
      JobRegistry registry,
      DispatchDefaults defaults,
      Engine engine,
      Function<String, JobHandle<?>> handles,
      AuditLog audit,
      Runnable checkOpen) {
    this.audit = audit;
    this.store = store;
    this.clock = clock;
    this.registry = registry;
    this.defaults = defaults;
    this.engine = engine;
    this.planner = new SchedulePlanner(new JobIds(clock), defaults::limited); // #12 limits
    this.handles = handles;
    this.checkOpen = checkOpen;
  }

  /**
   * Creates the schedule, or updates the one with its name. An update keeps where firing stands
   * (paused or not, the pending slot, the last fire), and the next slot too unless the timing
   * (expression, interval, zone or fall-back policy) changed; then it is the first slot from now.
   *
   * @param actor who asks (recorded as the creator of a new schedule), or null
   * @return the schedule as stored
   * @throws dev.jobkit.UnknownJobException if the job type is not registered in this process
   * @throws dev.jobkit.JobDecodeException if the JSON parameters do not fit the job
   */
  public ScheduleInfo put(ScheduleSpec spec, String actor) {
    return put(spec, actor, false);
  }

  ScheduleInfo put(ScheduleSpec spec, String actor, boolean declared) {
    checkOpen.run();
    Objects.requireNonNull(spec, "spec");
    NewJob job = defaults.ofSchedule(spec);
    long now = clock.millis();
    ScheduleChange.Result r =
        store.changeSchedule(
            spec.name(),
            now,
            (current, lastRunning) ->
                ScheduleChange.store(merge(spec, job, current, actor, declared, now)));
    engine.wakeSchedules();
    if (r.row() == null) {
      throw new IllegalStateException("schedule '" + spec.name() + "' was not stored");
    }
    audit.after(actor, r.row().tenant(), AuditLog.SCHEDULE_PUT, spec.name(), null); // #14
    return info(r.row());
  }

  private static ScheduleRow merge(
      ScheduleSpec s, NewJob job, ScheduleRow current, String actor, boolean declared, long now) {
    String cron = s.cron().orElse(null);
    long intervalMs = s.interval().map(Duration::toMillis).orElse(0L);
    String zone = s.cron().isPresent() ? s.zone().getId() : "UTC";
    String fallBack = s.fallBack().name();
    boolean sameTiming =
        current != null
            && Objects.equals(current.cron(), cron)
            && current.intervalMs() == intervalMs
            && current.zone().equals(zone)
            && current.fallBack().equals(fallBack);
    ScheduleRow draft =
        new ScheduleRow(
            s.name(),
            job.name(),
            job.params(),
            job.priority(),
            job.queue(),
            job.maxAttempts(),
            job.timeoutMs(),
            job.tags(),
            cron,
            intervalMs,
            zone,
            s.misfire().name(),
            s.misfireCap(),
            s.misfireGrace().toMillis(),
            s.overlap().name(),
            fallBack,
            s.jitter().toMillis(),
            current != null && current.paused(),
            current == null ? null : current.pauseReason(),
            Long.MAX_VALUE,
            current == null ? null : current.pendingSlot(),
            current == null ? 0 : current.lastFireAt(),
            current == null ? null : current.lastJobId(),
            declared || (current != null && current.declared()),
            current == null ? now : current.createdAt(),
            current == null ? actor : current.createdBy(),
            now,
            job.tenant()); // #14 tenants: the spec's, default when it names none
    long next;
    if (sameTiming) {
      next = current.nextFireAt();
    } else if (intervalMs > 0) {
      next = now + intervalMs; // the first run one interval from now
    } else {
      next = SchedulePlanner.firstAtOrAfter(SchedulePlanner.trigger(draft), now);
    }
    return draft.withFiring(next, draft.pendingSlot(), draft.lastFireAt(), draft.lastJobId(), now);
  }

  /** Every schedule, by name. */
  public List<ScheduleInfo> list() {
    checkOpen.run();
    return store.schedules().stream().map(this::info).toList();
  }

  /**
   * Every schedule of one tenant (#14 tenants), by name.
   *
   * @throws IllegalArgumentException if the name is not a valid tenant name
   */
  public List<ScheduleInfo> list(String tenant) {
    Tenants.checkName(tenant);
    return list().stream().filter(s -> s.tenant().equals(tenant)).toList();
  }

  /** The schedule with this name. */
  public Optional<ScheduleInfo> get(String name) {
    checkOpen.run();
    return store.schedule(Objects.requireNonNull(name, "name")).map(this::info);
  }

  /**
   * Pauses the schedule: no slot fires until it is resumed. A job already dispatched is not
   * affected.
   *
   * @param reason why, shown with the schedule; may be null
   * @param actor who asks (logged), or null
   */
  public Optional<ScheduleInfo> pause(String name, String reason, String actor) {
    checkOpen.run();
    ScheduleChange.Result r =
        store.changeSchedule(
            name, clock.millis(), (cur, lr) -> planner.pause(cur, reason, clock.millis()));
    if (r.row() != null) {
      log.info(
          "Schedule '{}' paused by {}{}", name, who(actor), reason == null ? "" : ": " + reason);
      audit.after(actor, r.row().tenant(), AuditLog.SCHEDULE_PAUSE, name, reason); // #14
    }
    return Optional.ofNullable(r.row()).map(this::info);
  }

  /**
   * Resumes a paused schedule from its first slot at or after now. The slots that passed while it
   * was paused are skipped (one history row says how many).
   *
   * @param actor who asks (logged), or null
   */
  public Optional<ScheduleInfo> resume(String name, String actor) {
    checkOpen.run();
    long now = clock.millis();
    ScheduleChange.Result r =
        store.changeSchedule(name, now, (cur, lr) -> planner.resume(cur, now));
    if (r.row() != null) {
      log.info("Schedule '{}' resumed by {}", name, who(actor));
      audit.after(actor, r.row().tenant(), AuditLog.SCHEDULE_RESUME, name, null); // #14
      engine.wakeSchedules();
    }
    return Optional.ofNullable(r.row()).map(this::info);
  }

  /**
   * Dispatches the schedule's job now, whatever its policies and even when it is paused; its slots
   * are not affected. The history records it as triggered, with the actor.
   *
   * @param actor who asks (recorded as the job's creator), or null
   * @return the job, or empty when there is no such schedule
   * @throws QuotaExceededException if the job would exceed a quota of the schedule's tenant
   */
  public Optional<JobHandle<?>> trigger(String name, String actor) {
    checkOpen.run();
    long now = clock.millis();
    ScheduleChange[] decided = new ScheduleChange[1];
    ScheduleChange.Result r;
    try {
      r =
          store.changeSchedule(
              name, now, (cur, lr) -> decided[0] = planner.trigger(cur, now, actor));
    } catch (QuotaRejection e) {
      throw Engine.rejected(e); // #14 tenants
    }
    if (r.row() == null || r.inserted().isEmpty()) {
      return Optional.empty();
    }
    engine.inserted(decided[0].jobs(), r.inserted());
    String jobId = r.inserted().get(0).id();
    audit.after(actor, r.row().tenant(), AuditLog.SCHEDULE_TRIGGER, name, jobId); // #14
    return Optional.of(handles.apply(jobId));
  }

  /**
   * Deletes the schedule and its history; jobs it dispatched stay.
   *
   * @param actor who asks (logged), or null
   * @return whether there was such a schedule
   */
  public boolean delete(String name, String actor) {
    checkOpen.run();
    boolean[] existed = new boolean[1];
    String[] tenant = new String[1];
    store.changeSchedule(
        name,
        clock.millis(),
        (cur, lr) -> {
          existed[0] = cur != null;
          tenant[0] = cur == null ? null : cur.tenant();
          return cur == null
              ? ScheduleChange.NONE
              : new ScheduleChange(null, true, List.of(), List.of());
        });
    if (existed[0]) {
      log.info("Schedule '{}' deleted by {}", name, who(actor));
      audit.after(actor, tenant[0], AuditLog.SCHEDULE_DELETE, name, null); // #14
    }
    return existed[0];
  }

  /**
   * The next {@code n} slots of the schedule (at most {@link #MAX_PREVIEW}), from its next one; the
   * jitter, if any, is added to each job's start.
   */
  public Optional<List<Instant>> preview(String name, int n) {
    checkOpen.run();
    int count = Math.max(0, Math.min(n, MAX_PREVIEW));
    return store.schedule(name).map(row -> SchedulePlanner.preview(row, count));
  }

  /** The schedule's history, newest first, at most {@code limit} rows (1,000 are kept). */
  public Optional<List<ScheduleFire>> history(String name, int limit) {
    checkOpen.run();
    if (store.schedule(name).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        store.scheduleFires(name, Math.max(1, Math.min(limit, 1_000))).stream()
            .map(Schedules::fire)
            .toList());
  }

  private static ScheduleFire fire(ScheduleFireRow f) {
    return new ScheduleFire(
        Instant.ofEpochMilli(f.slot()),
        ScheduleFire.Outcome.valueOf(f.outcome()),
        Optional.ofNullable(f.jobId()),
        f.reason(),
        Instant.ofEpochMilli(f.recordedAt()));
  }

  private ScheduleInfo info(ScheduleRow r) {
    Optional<String> json;
    try {
      json =
          registry.contains(r.jobName())
              ? Optional.of(registry.toJson(registry.fromMsgpack(r.jobName(), r.params())))
              : Optional.empty();
    } catch (RuntimeException e) {
      json = Optional.empty();
    }
    return new ScheduleInfo(
        r.name(),
        Optional.ofNullable(r.cron()),
        r.intervalMs() > 0 ? Optional.of(Duration.ofMillis(r.intervalMs())) : Optional.empty(),
        ZoneId.of(r.zone()),
        r.jobName(),
        json,
        r.queue(),
        r.priority(),
        r.tags(),
        r.maxAttempts(),
        r.timeoutMs() > 0 ? Optional.of(Duration.ofMillis(r.timeoutMs())) : Optional.empty(),
        ScheduleSpec.Misfire.valueOf(r.misfire()),
        r.misfireCap(),
        Duration.ofMillis(r.misfireGraceMs()),
        ScheduleSpec.Overlap.valueOf(r.overlap()),
        ScheduleSpec.FallBack.valueOf(r.fallBack()),
        Duration.ofMillis(r.jitterMs()),
        r.paused(),
        Optional.ofNullable(r.pauseReason()),
        r.nextFireAt() == Long.MAX_VALUE
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(r.nextFireAt())),
        Optional.ofNullable(r.pendingSlot()).map(Instant::ofEpochMilli),
        r.lastFireAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.lastFireAt())),
        Optional.ofNullable(r.lastJobId()),
        r.declared(),
        Instant.ofEpochMilli(r.createdAt()),
        Optional.ofNullable(r.createdBy()),
        Instant.ofEpochMilli(r.updatedAt()),
        r.tenant());
  }

  private static String who(String actor) {
    return actor == null ? "the application" : actor;
  }
}
