package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.Tables.F_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.F_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.F_OUTCOME;
import static dev.jobkit.runtime.internal.store.sql.Tables.F_REASON;
import static dev.jobkit.runtime.internal.store.sql.Tables.F_RECORDED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.F_SCHEDULE;
import static dev.jobkit.runtime.internal.store.sql.Tables.F_SLOT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_CREATED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_CREATED_BY;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_CRON;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_DECLARED;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_FALL_BACK;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_INTERVAL_MS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_JITTER_MS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_JOB_NAME;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_LAST_FIRE_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_LAST_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_MAX_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_MISFIRE;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_MISFIRE_CAP;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_MISFIRE_GRACE_MS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_NAME;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_NEXT_FIRE_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_OVERLAP;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_PARAMS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_PAUSED;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_PAUSE_REASON;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_PENDING_SLOT;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_PRIORITY;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_QUEUE;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_TAGS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_TIMEOUT_MS;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_UPDATED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.S_ZONE;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.QuotaRejection;
import dev.jobkit.runtime.internal.store.ScheduleChange;
import dev.jobkit.runtime.internal.store.ScheduleFireRow;
import dev.jobkit.runtime.internal.store.ScheduleRow;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The schedule tables ({@code jobkit_schedules}, {@code jobkit_schedule_fires}) of {@link
 * SqlJobStore}, the same SQL on both databases. A change reads the row under a lock ({@code FOR
 * UPDATE} on PostgreSQL; SQLite's write transaction holds the file's one write lock), so nodes that
 * fire one slot at once are serialized and the second sees that the slot moved on.
 */
final class SqlSchedules {
  /** A schedule keeps at most this many history rows; older ones are deleted as new ones come. */
  static final int HISTORY_KEPT = 1_000;

  private final SqlJobStore store;

  SqlSchedules(SqlJobStore store) {
    this.store = store;
  }

  ScheduleChange.Result change(String name, long now, ScheduleChange.Decision decision) {
    // A create races with another process creating the same name: the insert then does nothing
    // and the change runs again, deciding on the row the other one wrote.
    for (int attempt = 0; ; attempt++) {
      Outcome o;
      try {
        o = store.db.write((ctx, c) -> changeIn(ctx, c, name, now, decision));
      } catch (RetryChange e) {
        o = null;
      }
      if (o != null) {
        Set<String> queues = new LinkedHashSet<>();
        for (int i = 0; i < o.jobs.size(); i++) {
          if (o.result.inserted().get(i).created()) {
            queues.add(o.jobs.get(i).queue());
          }
        }
        if (!queues.isEmpty()) {
          store.dispatched(queues);
        }
        return o.result;
      }
      if (attempt == 2) {
        throw new IllegalStateException("schedule '" + name + "' kept changing; try again");
      }
    }
  }

  private record Outcome(ScheduleChange.Result result, List<NewJob> jobs) {}

  private Outcome changeIn(
      DSLContext ctx, java.sql.Connection c, String name, long now, ScheduleChange.Decision d)
      throws java.sql.SQLException {
    ScheduleRow current =
        store
            .dialect
            .forUpdate(ctx.select(columns()).from(store.t.schedules).where(S_NAME.eq(name)))
            .fetchOptional(SqlSchedules::toRow)
            .orElse(null);
    boolean lastRunning = false;
    if (current != null && current.lastJobId() != null) {
      String status =
          ctx.select(J_STATUS)
              .from(store.t.jobs)
              .where(J_ID.eq(current.lastJobId()))
              .fetchOne(J_STATUS);
      lastRunning = status != null && !JobStatus.valueOf(status).isTerminal();
    }
    ScheduleChange change = d.decide(current, lastRunning);
    if (change.delete()) {
      ctx.deleteFrom(store.t.scheduleFires).where(F_SCHEDULE.eq(name)).execute();
      ctx.deleteFrom(store.t.schedules).where(S_NAME.eq(name)).execute();
      if (change.row() == null) {
        return new Outcome(new ScheduleChange.Result(null, List.of()), List.of());
      }
      current = null; // replaced: the row and its history are written afresh below
    }
    if (!change.jobs().isEmpty()) {
      try {
        // #14 tenants: quotas, audit, a tenant's max-running key
        List<NewJob> admitted = store.tenants.admit(ctx, c, change.jobs(), null, now);
        change = new ScheduleChange(change.row(), change.delete(), admitted, change.fires());
      } catch (QuotaRejection e) {
        change = skipped(change, current, e);
      }
    }
    List<InsertResult> inserted =
        change.jobs().isEmpty()
            ? List.of()
            : store.insertRowsIn(ctx, c, change.jobs(), now, Set.of());
    // A slot whose key was stored before keeps its first job: history and last job name that one.
    Map<String, String> actualId = new HashMap<>();
    for (int i = 0; i < inserted.size(); i++) {
      actualId.put(change.jobs().get(i).id(), inserted.get(i).id());
    }
    ScheduleRow row = change.row();
    if (row != null) {
      if (row.lastJobId() != null && actualId.containsKey(row.lastJobId())) {
        row =
            row.withFiring(
                row.nextFireAt(),
                row.pendingSlot(),
                row.lastFireAt(),
                actualId.get(row.lastJobId()),
                row.updatedAt());
      }
      if (current == null) {
        int n = ctx.insertInto(store.t.schedules).set(values(row)).onConflictDoNothing().execute();
        if (n == 0) {
          throw new RetryChange();
        }
      } else {
        ctx.update(store.t.schedules).set(values(row)).where(S_NAME.eq(name)).execute();
      }
    }
    if (!change.fires().isEmpty()) {
      for (ScheduleFireRow f : change.fires()) {
        ScheduleFireRow r =
            f.jobId() != null && actualId.containsKey(f.jobId())
                ? f.withJobId(actualId.get(f.jobId()))
                : f;
        ctx.insertInto(store.t.scheduleFires)
            .set(F_ID, r.id())
            .set(F_SCHEDULE, r.schedule())
            .set(F_SLOT, r.slot())
            .set(F_OUTCOME, r.outcome())
            .set(F_JOB_ID, r.jobId())
            .set(F_REASON, r.reason())
            .set(F_RECORDED_AT, r.recordedAt())
            .execute();
      }
      // Keep the newest HISTORY_KEPT rows: delete below the id of the oldest row kept.
      String oldestKept =
          ctx.select(F_ID)
              .from(store.t.scheduleFires)
              .where(F_SCHEDULE.eq(name))
              .orderBy(F_ID.desc())
              .limit(1)
              .offset(HISTORY_KEPT - 1)
              .fetchOne(F_ID);
      if (oldestKept != null) {
        ctx.deleteFrom(store.t.scheduleFires)
            .where(F_SCHEDULE.eq(name).and(F_ID.lt(oldestKept)))
            .execute();
      }
    }
    ScheduleRow stored = row != null ? row : current;
    return new Outcome(new ScheduleChange.Result(stored, inserted), change.jobs());
  }

  /**
   * A firing that a quota rejected (#14 tenants): its slots are recorded SKIPPED with the reason,
   * no job is inserted, and the last job stays the one before. Nothing was written yet (the check
   * comes first), so the transaction goes on. A trigger is a caller's request: it fails instead.
   */
  private static ScheduleChange skipped(
      ScheduleChange change, ScheduleRow current, QuotaRejection e) {
    if (change.fires().stream().anyMatch(f -> "TRIGGERED".equals(f.outcome()))) {
      throw e;
    }
    List<ScheduleFireRow> fires = new java.util.ArrayList<>(change.fires().size());
    for (ScheduleFireRow f : change.fires()) {
      fires.add(
          f.jobId() == null
              ? f
              : new ScheduleFireRow(
                  f.id(),
                  f.schedule(),
                  f.slot(),
                  "SKIPPED",
                  null,
                  "quota: " + e.getMessage(),
                  f.recordedAt()));
    }
    ScheduleRow row = change.row();
    if (row != null) {
      row =
          row.withFiring(
              row.nextFireAt(),
              row.pendingSlot(),
              row.lastFireAt(),
              current == null ? null : current.lastJobId(),
              row.updatedAt());
    }
    return new ScheduleChange(row, change.delete(), List.of(), fires);
  }

  List<ScheduleRow> all() {
    return store.db.read(
        (ctx, c) ->
            ctx.select(columns())
                .from(store.t.schedules)
                .orderBy(S_NAME)
                .fetch(SqlSchedules::toRow));
  }

  Optional<ScheduleRow> get(String name) {
    return store.db.read(
        (ctx, c) ->
            ctx.select(columns())
                .from(store.t.schedules)
                .where(S_NAME.eq(name))
                .fetchOptional(SqlSchedules::toRow));
  }

  List<ScheduleRow> due(long now, int limit) {
    return store.db.read(
        (ctx, c) ->
            ctx.select(columns())
                .from(store.t.schedules)
                .where(S_PAUSED.isFalse())
                .and(S_NEXT_FIRE_AT.le(now).or(S_PENDING_SLOT.isNotNull()))
                .orderBy(S_NEXT_FIRE_AT)
                .limit(limit)
                .fetch(SqlSchedules::toRow));
  }

  long nextFire() {
    Long min =
        store.db.read(
            (ctx, c) ->
                ctx.select(DSL.min(S_NEXT_FIRE_AT))
                    .from(store.t.schedules)
                    .where(S_PAUSED.isFalse())
                    .fetchOne(0, Long.class));
    return min == null ? Long.MAX_VALUE : min;
  }

  List<ScheduleFireRow> fires(String name, int limit) {
    return store.db.read(
        (ctx, c) ->
            ctx.select(F_ID, F_SCHEDULE, F_SLOT, F_OUTCOME, F_JOB_ID, F_REASON, F_RECORDED_AT)
                .from(store.t.scheduleFires)
                .where(F_SCHEDULE.eq(name))
                .orderBy(F_ID.desc())
                .limit(limit)
                .fetch(
                    r ->
                        new ScheduleFireRow(
                            r.get(F_ID),
                            r.get(F_SCHEDULE),
                            r.get(F_SLOT),
                            r.get(F_OUTCOME),
                            r.get(F_JOB_ID),
                            r.get(F_REASON),
                            r.get(F_RECORDED_AT))));
  }

  /** Thrown inside a transaction to roll it back and run the change again. */
  static final Field<String> S_TENANT = DSL.field(DSL.name("tenant"), String.class); // #14

  private static final class RetryChange extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryChange() {
      super(null, null, false, false);
    }
  }

  private static List<Field<?>> columns() {
    return List.of(
        S_NAME,
        S_JOB_NAME,
        S_PARAMS,
        S_PRIORITY,
        S_QUEUE,
        S_MAX_ATTEMPTS,
        S_TIMEOUT_MS,
        S_TAGS,
        S_CRON,
        S_INTERVAL_MS,
        S_ZONE,
        S_MISFIRE,
        S_MISFIRE_CAP,
        S_MISFIRE_GRACE_MS,
        S_OVERLAP,
        S_FALL_BACK,
        S_JITTER_MS,
        S_PAUSED,
        S_PAUSE_REASON,
        S_NEXT_FIRE_AT,
        S_PENDING_SLOT,
        S_LAST_FIRE_AT,
        S_LAST_JOB_ID,
        S_DECLARED,
        S_CREATED_AT,
        S_CREATED_BY,
        S_UPDATED_AT,
        S_TENANT);
  }

  private static Map<Field<?>, Object> values(ScheduleRow r) {
    Map<Field<?>, Object> v = new java.util.LinkedHashMap<>();
    v.put(S_NAME, r.name());
    v.put(S_JOB_NAME, r.jobName());
    v.put(S_PARAMS, r.params());
    v.put(S_PRIORITY, SqlJobStore.priorityCode(r.priority()));
    v.put(S_QUEUE, r.queue());
    v.put(S_MAX_ATTEMPTS, r.maxAttempts());
    v.put(S_TIMEOUT_MS, r.timeoutMs());
    v.put(S_TAGS, SqlJobStore.encodeTags(r.tags()));
    v.put(S_CRON, r.cron());
    v.put(S_INTERVAL_MS, r.intervalMs());
    v.put(S_ZONE, r.zone());
    v.put(S_MISFIRE, r.misfire());
    v.put(S_MISFIRE_CAP, r.misfireCap());
    v.put(S_MISFIRE_GRACE_MS, r.misfireGraceMs());
    v.put(S_OVERLAP, r.overlap());
    v.put(S_FALL_BACK, r.fallBack());
    v.put(S_JITTER_MS, r.jitterMs());
    v.put(S_PAUSED, r.paused());
    v.put(S_PAUSE_REASON, r.pauseReason());
    v.put(S_NEXT_FIRE_AT, r.nextFireAt());
    v.put(S_PENDING_SLOT, r.pendingSlot());
    v.put(S_LAST_FIRE_AT, r.lastFireAt());
    v.put(S_LAST_JOB_ID, r.lastJobId());
    v.put(S_DECLARED, r.declared());
    v.put(S_CREATED_AT, r.createdAt());
    v.put(S_CREATED_BY, r.createdBy());
    v.put(S_UPDATED_AT, r.updatedAt());
    v.put(S_TENANT, r.tenant()); // #14 tenants
    return v;
  }

  private static ScheduleRow toRow(Record r) {
    return new ScheduleRow(
        r.get(S_NAME),
        r.get(S_JOB_NAME),
        r.get(S_PARAMS),
        SqlJobStore.priorityOf(r.get(S_PRIORITY)),
        r.get(S_QUEUE),
        r.get(S_MAX_ATTEMPTS),
        r.get(S_TIMEOUT_MS),
        SqlJobStore.decodeTags(r.get(S_TAGS)),
        r.get(S_CRON),
        r.get(S_INTERVAL_MS),
        r.get(S_ZONE),
        r.get(S_MISFIRE),
        r.get(S_MISFIRE_CAP),
        r.get(S_MISFIRE_GRACE_MS),
        r.get(S_OVERLAP),
        r.get(S_FALL_BACK),
        r.get(S_JITTER_MS),
        Boolean.TRUE.equals(r.get(S_PAUSED)),
        r.get(S_PAUSE_REASON),
        r.get(S_NEXT_FIRE_AT),
        r.get(S_PENDING_SLOT),
        r.get(S_LAST_FIRE_AT),
        r.get(S_LAST_JOB_ID),
        Boolean.TRUE.equals(r.get(S_DECLARED)),
        r.get(S_CREATED_AT),
        r.get(S_CREATED_BY),
        r.get(S_UPDATED_AT),
        r.get(S_TENANT));
  }
}
