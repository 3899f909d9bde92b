package dev.jobkit.runtime.internal.store.sqlite;

import static dev.jobkit.runtime.internal.store.sqlite.Tables.EVENTS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_DETAIL;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_FROM;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_ID;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_JOB_ID;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_TO;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.E_TYPE;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.JOBS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_CANCEL_REQUESTED;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_CREATED_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_ERROR;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_FINISHED_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_IDEMPOTENCY_KEY;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_LEASE_EPOCH;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_LEASE_EXPIRES_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_LEASE_OWNER;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_MAX_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_NAME;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_OUTPUT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_PARAMS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_PAUSE_REQUESTED;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_PRIORITY;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_PROGRESS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_QUEUE;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_RESUMED;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_RUN_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_STARTED_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_STATE;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_STATE_VERSION;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_TAGS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_TIMEOUT_MS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_BACKOFF_MS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.J_UPDATED_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.LOGS;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.L_AT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.L_ATTEMPT;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.L_ID;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.L_JOB_ID;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.L_LEVEL;
import static dev.jobkit.runtime.internal.store.sqlite.Tables.L_MESSAGE;

import dev.jobkit.JobException;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.state.JobTransitions;
import dev.jobkit.runtime.internal.store.AmbiguousJobIdException;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import dev.jobkit.runtime.internal.store.ControlResult;
import dev.jobkit.runtime.internal.store.ControlResult.Outcome;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JooqBanner;
import dev.jobkit.runtime.internal.store.LeaseState;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.Page;
import dev.jobkit.runtime.internal.store.StatusCount;
import dev.jobkit.runtime.internal.store.StorageInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite {@link JobStore}: jOOQ DSL on sqlite-jdbc, WAL, one writer connection.
 *
 * <p>Claims need no {@code SKIP LOCKED}: every write transaction starts with {@code BEGIN
 * IMMEDIATE}, which holds the file's single write lock, so selecting due jobs and updating them in
 * the same transaction is atomic across threads and processes. The updates are still guarded by
 * the epoch and status read, so a bug in that reasoning would show up as a skipped job, never as a
 * double claim.
 */
public final class SqliteJobStore implements JobStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteJobStore.class);

  /** Chunk size for IN lists, well under SQLite's bound-variable limit. */
  private static final int IN_CHUNK = 500;

  private static final List<Field<?>> ALL_FIELDS =
      List.of(J_ID, J_NAME, J_PARAMS, J_STATE, J_STATE_VERSION, J_STATUS, J_PRIORITY, J_QUEUE,
          J_ATTEMPTS, J_MAX_ATTEMPTS, J_RUN_AT, J_LEASE_OWNER, J_LEASE_EXPIRES_AT, J_LEASE_EPOCH,
          J_CANCEL_REQUESTED, J_PAUSE_REQUESTED, J_RESUMED, J_PROGRESS, J_OUTPUT, J_ERROR, J_TAGS,
          J_IDEMPOTENCY_KEY, J_TIMEOUT_MS, J_CREATED_AT, J_STARTED_AT, J_FINISHED_AT,
          J_UPDATED_AT);

  /**
   * Inlined, not bound, so SQLite can prove the claim query implies the partial index's predicate.
   */
  private static final Condition CLAIMABLE =
      J_STATUS.in(
          DSL.inline(JobStatus.QUEUED.name()),
          DSL.inline(JobStatus.SCHEDULED.name()),
          DSL.inline(JobStatus.WAITING_RETRY.name()));

  private static final Condition IS_RUNNING = J_STATUS.eq(DSL.inline(JobStatus.RUNNING.name()));

  // Hot-path statements, written as plain SQL and prepared once on the writer connection: jOOQ
  // renders and SQLite prepares a statement on every call otherwise, which costs more than the
  // write itself (see docs/performance.md, "Runtime on SQLite").
  private static final String SQL_INSERT_JOB =
      "INSERT INTO jobs (id, name, params, status, priority, queue, max_attempts, run_at, tags,"
          + " idempotency_key, timeout_ms, created_at, updated_at, backoff_ms)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SQL_INSERT_EVENT =
      "INSERT INTO job_events (job_id, at, type, from_status, to_status, detail)"
          + " VALUES (?, ?, ?, ?, ?, ?)";
  private static final String SQL_CLAIM_UPDATE =
      "UPDATE jobs SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?,"
          + " lease_epoch = ?, attempts = ?,"
          + " started_at = CASE WHEN started_at = 0 THEN ? ELSE started_at END, updated_at = ?"
          + " WHERE id = ? AND lease_epoch = ? AND status = ?";
  private static final String SQL_COMPLETE =
      "UPDATE jobs SET status = 'COMPLETED', output = ?, finished_at = ?, updated_at = ?,"
          + " lease_owner = NULL, lease_expires_at = NULL, cancel_requested = 0,"
          + " pause_requested = 0"
          + " WHERE id = ? AND lease_epoch = ? AND status = 'RUNNING'";
  private static final String SQL_CHECKPOINT =
      "UPDATE jobs SET state = ?, state_version = state_version + 1, updated_at = ?"
          + " WHERE id = ? AND lease_epoch = ? AND status = 'RUNNING'";

  private final SqliteDatabase db;
  /** Prepared statements on the writer connection; only used inside write transactions. */
  private final Map<String, PreparedStatement> prepared = new HashMap<>();
  /** The rendered claim query by number of queues; only used inside write transactions. */
  private final Map<Integer, String> claimSql = new HashMap<>();

  private SqliteJobStore(SqliteDatabase db) {
    this.db = db;
  }

  /** A statement prepared once on the writer connection; call only inside {@code db.write}. */
  private PreparedStatement prepared(DSLContext ctx, String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      Connection c = ctx.configuration().connectionProvider().acquire();
      ps = c.prepareStatement(sql);
      prepared.put(sql, ps);
    } else {
      ps.clearBatch(); // in case an earlier transaction failed half-way through a batch
      ps.clearParameters();
    }
    return ps;
  }

  private static DataAccessException sqlFailure(String what, SQLException e) {
    return new DataAccessException(what + ": " + e.getMessage(), e);
  }

  private static void addEvent(PreparedStatement ev, String id, long at, JobEvent.Type type,
      JobStatus from, JobStatus to, String detail) throws SQLException {
    ev.setString(1, id);
    ev.setLong(2, at);
    ev.setString(3, type.name());
    ev.setString(4, from == null ? null : from.name());
    ev.setString(5, to == null ? null : to.name());
    ev.setString(6, detail);
    ev.addBatch();
  }

  /**
   * Opens (creating if needed) and migrates the database at {@code file}.
   *
   * @param clock only used to stamp applied migrations
   * @throws dev.jobkit.runtime.internal.store.StorageException if the file cannot be used
   */
  public static SqliteJobStore open(Path file, SqliteOptions options, Clock clock) {
    JooqBanner.silence();
    SqliteJobStore store = new SqliteJobStore(SqliteDatabase.open(file, options, clock));
    log.debug("Opened job database {}", file);
    return store;
  }

  // ---------------------------------------------------------------- dispatch

  @Override
  public InsertResult insert(NewJob job, long now) {
    return insertAll(List.of(job), now).get(0);
  }

  @Override
  public List<InsertResult> insertAll(List<NewJob> jobs, long now) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    return db.write(ctx -> {
      Map<String, String> existing = existingKeys(ctx, jobs);
      List<InsertResult> results = new ArrayList<>(jobs.size());
      try {
        PreparedStatement ins = prepared(ctx, SQL_INSERT_JOB);
        int inserted = 0;
        for (NewJob j : jobs) {
          String key = j.idempotencyKey();
          if (key != null && existing.containsKey(key)) {
            results.add(new InsertResult(existing.get(key), false));
            continue;
          }
          if (key != null) {
            existing.put(key, j.id()); // a later job in the same list with this key gets this id
          }
          JobStatus status = j.runAt() <= now ? JobStatus.QUEUED : JobStatus.SCHEDULED;
          ins.setString(1, j.id());
          ins.setString(2, j.name());
          ins.setBytes(3, j.params());
          ins.setString(4, status.name());
          ins.setInt(5, priorityCode(j.priority()));
          ins.setString(6, j.queue());
          ins.setInt(7, j.maxAttempts());
          ins.setLong(8, j.runAt());
          ins.setString(9, encodeTags(j.tags()));
          ins.setString(10, key);
          ins.setLong(11, j.timeoutMs());
          ins.setLong(12, now);
          ins.setLong(13, now);
          ins.setLong(14, j.backoffMs());
          ins.addBatch();
          // No CREATED event row: events() derives it from the job row (half the writes).
          results.add(new InsertResult(j.id(), true));
          inserted++;
        }
        if (inserted > 0) {
          ins.executeBatch();
        }
      } catch (SQLException e) {
        throw sqlFailure("insert jobs", e);
      }
      return results;
    });
  }

  private static Map<String, String> existingKeys(DSLContext ctx, List<NewJob> jobs) {
    List<String> keys = jobs.stream().map(NewJob::idempotencyKey)
        .filter(k -> k != null).distinct().collect(Collectors.toList());
    Map<String, String> found = new HashMap<>();
    for (int i = 0; i < keys.size(); i += IN_CHUNK) {
      List<String> chunk = keys.subList(i, Math.min(keys.size(), i + IN_CHUNK));
      ctx.select(J_IDEMPOTENCY_KEY, J_ID).from(JOBS).where(J_IDEMPOTENCY_KEY.in(chunk))
          .fetch().forEach(r -> found.put(r.get(J_IDEMPOTENCY_KEY), r.get(J_ID)));
    }
    return found;
  }

  // ---------------------------------------------------------------- claiming

  @Override
  public List<ClaimedJob> claim(ClaimRequest req) {
    return db.write(ctx -> {
      String select = claimSql.computeIfAbsent(req.queues().size(),
          n -> ctx.render(dueJobs(ctx, req.queues(), 0L, 1)));
      try {
        PreparedStatement q = prepared(ctx, select);
        int p = 1;
        for (String queue : req.queues()) {
          q.setString(p++, queue);
        }
        q.setLong(p++, req.now());
        q.setInt(p, req.limit());
        List<ClaimedJob> claimed = new ArrayList<>();
        List<JobStatus> froms = new ArrayList<>();
        try (ResultSet r = q.executeQuery()) {
          // columns as in dueJobs: id, name, params, state, state_version, status, priority,
          // queue, attempts, max_attempts, lease_epoch, timeout_ms, resumed, backoff_ms
          while (r.next()) {
            String id = r.getString(1);
            JobStatus from = JobStatus.valueOf(r.getString(6));
            JobTransitions.check(id, from, JobStatus.RUNNING);
            long epoch = r.getLong(11) + 1;
            int attempt = r.getInt(9) + 1;
            froms.add(from);
            claimed.add(new ClaimedJob(id, r.getString(2), r.getBytes(3), r.getBytes(4),
                r.getLong(5), priorityOf(r.getInt(7)), r.getString(8), attempt, r.getInt(10),
                epoch, req.leaseExpiresAt(), r.getLong(12), r.getInt(13) != 0, from,
                r.getLong(14)));
          }
        }
        if (claimed.isEmpty()) {
          return List.<ClaimedJob>of();
        }
        PreparedStatement update = prepared(ctx, SQL_CLAIM_UPDATE);
        PreparedStatement ev = prepared(ctx, SQL_INSERT_EVENT);
        for (int i = 0; i < claimed.size(); i++) {
          ClaimedJob c = claimed.get(i);
          JobStatus from = froms.get(i);
          update.setString(1, req.owner());
          update.setLong(2, req.leaseExpiresAt());
          update.setLong(3, c.epoch());
          update.setInt(4, c.attempt());
          update.setLong(5, req.now());
          update.setLong(6, req.now());
          update.setString(7, c.id());
          update.setLong(8, c.epoch() - 1);
          update.setString(9, from.name());
          update.addBatch();
          addEvent(ev, c.id(), req.now(), JobEvent.Type.STATUS_CHANGED, from, JobStatus.RUNNING,
              req.owner());
        }
        int[] counts = update.executeBatch();
        for (int c : counts) {
          // The write lock is held since the select, so nobody can have changed these rows.
          if (c != 1) {
            throw new IllegalStateException(
                "Claim updated " + c + " rows for one job; the write lock did not hold");
          }
        }
        ev.executeBatch();
        return claimed;
      } catch (SQLException e) {
        throw sqlFailure("claim jobs", e);
      }
    });
  }

  /** The claim query; package-private so a test can check SQLite serves it from jobs_claim. */
  static org.jooq.Select<?> dueJobsSelectForPlan(DSLContext ctx, List<String> queues, long now,
      int limit) {
    return dueJobs(ctx, queues, now, limit);
  }

  private static org.jooq.SelectLimitPercentStep<
          org.jooq.Record14<String, String, byte[], byte[], Long, String, Integer, String, Integer,
              Integer, Long, Long, Integer, Long>>
      dueJobs(DSLContext ctx, List<String> queues, long now, int limit) {
    return ctx.select(J_ID, J_NAME, J_PARAMS, J_STATE, J_STATE_VERSION, J_STATUS, J_PRIORITY,
            J_QUEUE, J_ATTEMPTS, J_MAX_ATTEMPTS, J_LEASE_EPOCH, J_TIMEOUT_MS, J_RESUMED,
            J_BACKOFF_MS)
        .from(JOBS)
        .where(CLAIMABLE)
        .and(J_QUEUE.in(queues))
        .and(J_RUN_AT.le(now))
        .orderBy(J_PRIORITY.desc(), J_RUN_AT.asc(), J_ID.asc())
        .limit(limit);
  }

  @Override
  public List<LeaseState> renewLeases(String owner, long leaseExpiresAt, long now) {
    return db.write(ctx -> {
      ctx.update(JOBS).set(J_LEASE_EXPIRES_AT, leaseExpiresAt)
          .where(J_LEASE_OWNER.eq(owner)).and(IS_RUNNING).execute();
      return ctx.select(J_ID, J_LEASE_EPOCH, J_CANCEL_REQUESTED, J_PAUSE_REQUESTED)
          .from(JOBS).where(J_LEASE_OWNER.eq(owner)).and(IS_RUNNING).orderBy(J_ID)
          .fetch(r -> new LeaseState(r.get(J_ID), r.get(J_LEASE_EPOCH),
              r.get(J_CANCEL_REQUESTED) != 0, r.get(J_PAUSE_REQUESTED) != 0));
    });
  }

  @Override
  public boolean checkpoint(String id, long epoch, byte[] state, long now) {
    return db.write(ctx -> {
      try {
        PreparedStatement ps = prepared(ctx, SQL_CHECKPOINT);
        ps.setBytes(1, state);
        ps.setLong(2, now);
        ps.setString(3, id);
        ps.setLong(4, epoch);
        return ps.executeUpdate() == 1;
      } catch (SQLException e) {
        throw sqlFailure("checkpoint", e);
      }
    });
  }

  @Override
  public boolean updateProgress(String id, long epoch, String progressJson, long now) {
    return db.write(ctx -> ctx.update(JOBS)
        .set(J_PROGRESS, progressJson)
        .set(J_UPDATED_AT, now)
        .where(held(id, epoch))
        .execute() == 1);
  }

  @Override
  public boolean appendLogs(String id, long epoch, List<LogLine> lines) {
    return db.write(ctx -> {
      // Check then insert is atomic here because the transaction holds SQLite's write lock.
      if (!ctx.fetchExists(JOBS, held(id, epoch))) {
        return false;
      }
      if (lines.isEmpty()) {
        return true;
      }
      BatchBindStep batch = ctx.batch(ctx.insertInto(LOGS, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE,
          L_ATTEMPT).values((String) null, null, null, null, null));
      for (LogLine l : lines) {
        batch.bind(id, l.at(), levelCode(l.level()), l.message(), l.attempt());
      }
      batch.execute();
      return true;
    });
  }

  @Override
  public boolean complete(String id, long epoch, String outputJson, long now) {
    return !completeAll(List.of(new Completion(id, epoch, outputJson)), now).isEmpty();
  }

  @Override
  public List<String> completeAll(List<Completion> completions, long now) {
    if (completions.isEmpty()) {
      return List.of();
    }
    JobTransitions.check(JobStatus.RUNNING, JobStatus.COMPLETED);
    return db.write(ctx -> {
      try {
        PreparedStatement update = prepared(ctx, SQL_COMPLETE);
        for (Completion c : completions) {
          update.setString(1, c.outputJson());
          update.setLong(2, now);
          update.setLong(3, now);
          update.setString(4, c.id());
          update.setLong(5, c.epoch());
          update.addBatch();
        }
        int[] counts = update.executeBatch();
        List<String> won = new ArrayList<>();
        PreparedStatement ev = prepared(ctx, SQL_INSERT_EVENT);
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 1) {
            String id = completions.get(i).id();
            won.add(id);
            addEvent(ev, id, now, JobEvent.Type.STATUS_CHANGED, JobStatus.RUNNING,
                JobStatus.COMPLETED, null);
          } else {
            log.debug("Lease lost on completion of {}", completions.get(i).id());
          }
        }
        if (!won.isEmpty()) {
          ev.executeBatch();
        }
        return won;
      } catch (SQLException e) {
        throw sqlFailure("complete jobs", e);
      }
    });
  }

  @Override
  public boolean finish(String id, long epoch, JobStatus to, String error, long now) {
    if (to != JobStatus.FAILED && to != JobStatus.CANCELLED && to != JobStatus.TIMED_OUT
        && to != JobStatus.QUARANTINED) {
      throw new IllegalArgumentException(
          "finish goes to FAILED, CANCELLED, TIMED_OUT or QUARANTINED, not " + to);
    }
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    set.put(J_ERROR, error);
    set.put(J_FINISHED_AT, to.isTerminal() ? now : 0L);
    return fencedTransition(id, epoch, to, set, error, now);
  }

  @Override
  public boolean scheduleRetry(String id, long epoch, String error, long retryAt, long now) {
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    set.put(J_ERROR, error);
    set.put(J_RUN_AT, retryAt);
    set.put(J_RESUMED, 0);
    return fencedTransition(id, epoch, JobStatus.WAITING_RETRY, set, error, now);
  }

  @Override
  public boolean release(String id, long epoch, JobStatus to, long now) {
    if (to != JobStatus.QUEUED && to != JobStatus.PAUSED) {
      throw new IllegalArgumentException("release goes to QUEUED or PAUSED, not " + to);
    }
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    // An interrupted attempt is not spent: the job was stopped, it did not fail.
    set.put(J_ATTEMPTS, DSL.greatest(J_ATTEMPTS.minus(1), DSL.inline(0)));
    set.put(J_RESUMED, 1);
    set.put(J_RUN_AT, now);
    return fencedTransition(id, epoch, to, set, "released", now);
  }

  /** A RUNNING-to-{@code to} change guarded by epoch, clearing the lease and flags. */
  private boolean fencedTransition(
      String id, long epoch, JobStatus to, Map<Field<?>, Object> set, String detail, long now) {
    JobTransitions.check(id, JobStatus.RUNNING, to);
    return db.write(ctx -> {
      Map<Field<?>, Object> all = new LinkedHashMap<>(set);
      all.put(J_STATUS, to.name());
      all.put(J_LEASE_OWNER, null);
      all.put(J_LEASE_EXPIRES_AT, null);
      all.put(J_CANCEL_REQUESTED, 0);
      all.put(J_PAUSE_REQUESTED, 0);
      all.put(J_UPDATED_AT, now);
      int n = ctx.update(JOBS).set(all).where(held(id, epoch)).execute();
      if (n == 0) {
        log.debug("Lease lost for {} (epoch {}) moving to {}", id, epoch, to);
        return false;
      }
      insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, JobStatus.RUNNING, to, detail);
      return true;
    });
  }

  private static Condition held(String id, long epoch) {
    return J_ID.eq(id).and(J_LEASE_EPOCH.eq(epoch)).and(IS_RUNNING);
  }

  // ---------------------------------------------------------------- control

  @Override
  public ControlResult requestCancel(String id, long now) {
    return db.write(ctx -> {
      Record r = ctx.select(J_STATUS).from(JOBS).where(J_ID.eq(id)).fetchOne();
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from == JobStatus.CANCELLED) {
        return new ControlResult(Outcome.UNCHANGED, from);
      }
      if (from == JobStatus.RUNNING) {
        return requestFlag(ctx, id, J_CANCEL_REQUESTED, JobEvent.Type.CANCEL_REQUESTED, now);
      }
      return changeStatus(ctx, id, from, JobStatus.CANCELLED, now, Map.of(J_FINISHED_AT, now));
    });
  }

  @Override
  public ControlResult requestPause(String id, long now) {
    return db.write(ctx -> {
      Record r = ctx.select(J_STATUS).from(JOBS).where(J_ID.eq(id)).fetchOne();
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from == JobStatus.PAUSED) {
        return new ControlResult(Outcome.UNCHANGED, from);
      }
      if (from == JobStatus.RUNNING) {
        return requestFlag(ctx, id, J_PAUSE_REQUESTED, JobEvent.Type.PAUSE_REQUESTED, now);
      }
      return changeStatus(ctx, id, from, JobStatus.PAUSED, now, Map.of());
    });
  }

  @Override
  public ControlResult resume(String id, long now) {
    return db.write(ctx -> {
      Record r = ctx.select(J_STATUS, J_RUN_AT, J_PAUSE_REQUESTED).from(JOBS)
          .where(J_ID.eq(id)).fetchOne();
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from == JobStatus.RUNNING) {
        // A pause not yet acted on is simply withdrawn.
        int n = ctx.update(JOBS).set(J_PAUSE_REQUESTED, 0).set(J_UPDATED_AT, now)
            .where(J_ID.eq(id)).and(IS_RUNNING).and(J_PAUSE_REQUESTED.eq(1)).execute();
        return new ControlResult(n == 1 ? Outcome.APPLIED : Outcome.UNCHANGED, from);
      }
      if (from.isClaimable()) {
        return new ControlResult(Outcome.UNCHANGED, from);
      }
      if (from != JobStatus.PAUSED) {
        throw new JobException("Job " + id + " is " + from + ", not PAUSED, so it cannot be resumed"
            + (from == JobStatus.COMPLETED ? "" : "; use retry to run it again"));
      }
      JobStatus to = r.get(J_RUN_AT) > now ? JobStatus.SCHEDULED : JobStatus.QUEUED;
      return changeStatus(ctx, id, from, to, now, Map.of());
    });
  }

  @Override
  public ControlResult retry(String id, long now) {
    return db.write(ctx -> {
      Record r = ctx.select(J_STATUS).from(JOBS).where(J_ID.eq(id)).fetchOne();
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from.isClaimable() || from == JobStatus.RUNNING || from == JobStatus.PAUSED) {
        return new ControlResult(Outcome.UNCHANGED, from);
      }
      Map<Field<?>, Object> set = new LinkedHashMap<>();
      set.put(J_ATTEMPTS, 0);
      set.put(J_RUN_AT, now);
      set.put(J_FINISHED_AT, 0L);
      return changeStatus(ctx, id, from, JobStatus.QUEUED, now, set);
    });
  }

  private static ControlResult requestFlag(
      DSLContext ctx, String id, Field<Integer> flag, JobEvent.Type type, long now) {
    int n = ctx.update(JOBS).set(flag, 1).set(J_UPDATED_AT, now)
        .where(J_ID.eq(id)).and(IS_RUNNING).and(flag.eq(0)).execute();
    if (n == 0) {
      return new ControlResult(Outcome.UNCHANGED, JobStatus.RUNNING);
    }
    insertEvent(ctx, id, now, type, null, null, null);
    return new ControlResult(Outcome.REQUESTED, JobStatus.RUNNING);
  }

  /** A checked status change of a job not held by a worker, guarded by the status read. */
  private static ControlResult changeStatus(DSLContext ctx, String id, JobStatus from,
      JobStatus to, long now, Map<Field<?>, Object> extra) {
    JobTransitions.check(id, from, to);
    Map<Field<?>, Object> set = new LinkedHashMap<>(extra);
    set.put(J_STATUS, to.name());
    set.put(J_CANCEL_REQUESTED, 0);
    set.put(J_PAUSE_REQUESTED, 0);
    set.put(J_UPDATED_AT, now);
    int n = ctx.update(JOBS).set(set).where(J_ID.eq(id)).and(J_STATUS.eq(from.name())).execute();
    if (n != 1) {
      throw new IllegalStateException("Job " + id + " changed status under the write lock");
    }
    insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, from, to, null);
    return new ControlResult(Outcome.APPLIED, to);
  }

  // ---------------------------------------------------------------- recovery

  @Override
  public List<String> recoverExpiredLeases(long now) {
    return recover(J_LEASE_EXPIRES_AT.lt(now), now, "lease expired");
  }

  @Override
  public List<String> recoverOwner(String owner, long now) {
    return recover(J_LEASE_OWNER.eq(owner), now, "owner " + owner + " gone");
  }

  @Override
  public List<String> runningOwners() {
    return db.read(ctx -> ctx.selectDistinct(J_LEASE_OWNER).from(JOBS).where(IS_RUNNING)
        .and(J_LEASE_OWNER.isNotNull()).orderBy(J_LEASE_OWNER).fetch(J_LEASE_OWNER));
  }

  /**
   * The one recovery path for restarts and dead workers: RUNNING jobs go back to QUEUED marked
   * resumed, or straight to CANCELLED / PAUSED when a user asked for that before the worker died.
   */
  private List<String> recover(Condition which, long now, String reason) {
    return db.write(ctx -> {
      var rows = ctx.select(J_ID, J_LEASE_EPOCH, J_CANCEL_REQUESTED, J_PAUSE_REQUESTED)
          .from(JOBS).where(IS_RUNNING).and(which).orderBy(J_ID).fetch();
      List<String> ids = new ArrayList<>(rows.size());
      EventBatch events = new EventBatch(ctx);
      for (var r : rows) {
        String id = r.get(J_ID);
        JobStatus to = r.get(J_CANCEL_REQUESTED) != 0 ? JobStatus.CANCELLED
            : r.get(J_PAUSE_REQUESTED) != 0 ? JobStatus.PAUSED : JobStatus.QUEUED;
        JobTransitions.check(id, JobStatus.RUNNING, to);
        ctx.update(JOBS)
            .set(J_STATUS, to.name())
            .set(J_LEASE_OWNER, (String) null)
            .set(J_LEASE_EXPIRES_AT, (Long) null)
            .set(J_CANCEL_REQUESTED, 0)
            .set(J_PAUSE_REQUESTED, 0)
            .set(J_RESUMED, 1)
            .set(J_RUN_AT, now)
            .set(J_FINISHED_AT, to.isTerminal() ? now : 0L)
            .set(J_UPDATED_AT, now)
            .where(held(id, r.get(J_LEASE_EPOCH)))
            .execute();
        events.add(id, now, JobEvent.Type.RECOVERED, JobStatus.RUNNING, to, reason);
        ids.add(id);
      }
      events.execute();
      if (!ids.isEmpty()) {
        log.info("Recovered {} running jobs ({})", ids.size(), reason);
      }
      return ids;
    });
  }

  // ---------------------------------------------------------------- queries

  @Override
  public Optional<JobRow> get(String id) {
    return db.read(ctx -> ctx.select(ALL_FIELDS).from(JOBS).where(J_ID.eq(id))
        .fetchOptional(SqliteJobStore::toRow));
  }

  @Override
  public Optional<JobRow> findByIdPrefix(String prefix) {
    String p = prefix.toUpperCase(Locale.ROOT);
    if (p.isEmpty() || !JobIds.isIdChars(p)) {
      return Optional.empty();
    }
    return db.read(ctx -> {
      // A range on the primary key instead of LIKE, which SQLite would not serve from the index.
      List<String> ids = ctx.select(J_ID).from(JOBS)
          .where(J_ID.ge(p)).and(J_ID.lt(p + '\u007f')).orderBy(J_ID).limit(3).fetch(J_ID);
      if (ids.size() > 1) {
        throw new AmbiguousJobIdException(prefix, ids);
      }
      if (ids.isEmpty()) {
        return Optional.<JobRow>empty();
      }
      return ctx.select(ALL_FIELDS).from(JOBS).where(J_ID.eq(ids.get(0)))
          .fetchOptional(SqliteJobStore::toRow);
    });
  }

  @Override
  public Page<JobRow> list(JobFilter f, String cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<Condition> where = new ArrayList<>();
    if (!f.statuses().isEmpty()) {
      where.add(J_STATUS.in(f.statuses().stream().map(Enum::name).sorted()
          .collect(Collectors.toList())));
    }
    if (!f.names().isEmpty()) {
      where.add(J_NAME.in(f.names()));
    }
    if (f.tag() != null) {
      where.add(J_TAGS.contains("," + f.tag() + ","));
    }
    if (f.queue() != null) {
      where.add(J_QUEUE.eq(f.queue()));
    }
    if (f.createdFrom() != null) {
      where.add(J_CREATED_AT.ge(f.createdFrom()));
    }
    if (f.createdTo() != null) {
      where.add(J_CREATED_AT.lt(f.createdTo()));
    }
    if (cursor != null) {
      where.add(J_ID.lt(cursor));
    }
    // Ids are time-ordered and unique, so they are the whole keyset: no offset scans.
    List<JobRow> rows = db.read(ctx -> ctx.select(ALL_FIELDS).from(JOBS).where(where)
        .orderBy(J_ID.desc()).limit(limit + 1).fetch(SqliteJobStore::toRow));
    if (rows.size() > limit) {
      List<JobRow> page = rows.subList(0, limit);
      return new Page<>(page, page.get(limit - 1).id());
    }
    return new Page<>(rows, null);
  }

  @Override
  public List<JobEvent> events(String jobId) {
    return db.read(ctx -> {
      var job = ctx.select(J_CREATED_AT, J_STATUS).from(JOBS).where(J_ID.eq(jobId)).fetchOne();
      if (job == null) {
        return List.<JobEvent>of();
      }
      List<JobEvent> stored = ctx.select(E_ID, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL)
          .from(EVENTS).where(E_JOB_ID.eq(jobId)).orderBy(E_ID)
          .fetch(r -> new JobEvent(r.get(E_ID), r.get(E_JOB_ID), r.get(E_AT),
              JobEvent.Type.valueOf(r.get(E_TYPE)), statusOrNull(r.get(E_FROM)),
              statusOrNull(r.get(E_TO)), r.get(E_DETAIL)));
      // The CREATED event is not stored (see insertAll): the job was created in the status the
      // first status change left, or, with none yet, in the status it still has.
      JobStatus initial = stored.stream().map(JobEvent::from).filter(f -> f != null)
          .findFirst().orElse(JobStatus.valueOf(job.get(J_STATUS)));
      List<JobEvent> all = new ArrayList<>(stored.size() + 1);
      all.add(new JobEvent(0, jobId, job.get(J_CREATED_AT), JobEvent.Type.CREATED, null, initial,
          null));
      all.addAll(stored);
      return all;
    });
  }

  @Override
  public List<LogLine> logs(String jobId, LogLevel minLevel, long afterId, int limit) {
    return db.read(ctx -> ctx.select(L_ID, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE, L_ATTEMPT)
        .from(LOGS)
        .where(L_JOB_ID.eq(jobId)).and(L_LEVEL.ge(levelCode(minLevel))).and(L_ID.gt(afterId))
        .orderBy(L_ID).limit(limit)
        .fetch(r -> new LogLine(r.get(L_ID), r.get(L_JOB_ID), r.get(L_AT),
            levelOf(r.get(L_LEVEL)), r.get(L_MESSAGE), r.get(L_ATTEMPT))));
  }

  @Override
  public List<StatusCount> countByNameAndStatus() {
    Field<Integer> count = DSL.count();
    return db.read(ctx -> ctx.select(J_NAME, J_STATUS, count).from(JOBS)
        .groupBy(J_NAME, J_STATUS).orderBy(J_NAME, J_STATUS)
        .fetch(r -> new StatusCount(r.get(J_NAME), JobStatus.valueOf(r.get(J_STATUS)),
            r.get(count))));
  }

  @Override
  public long cleanup(long finishedBefore, boolean dryRun) {
    Condition old = J_STATUS.in(terminalNames()).and(J_FINISHED_AT.gt(0L))
        .and(J_FINISHED_AT.lt(finishedBefore));
    if (dryRun) {
      return db.read(ctx -> (long) ctx.fetchCount(JOBS, old));
    }
    // Events and logs go with their job through ON DELETE CASCADE.
    long n = db.write(ctx -> (long) ctx.deleteFrom(JOBS).where(old).execute());
    log.info("Cleaned up {} finished jobs from {}", n, db.file());
    return n;
  }

  @Override
  public StorageInfo storageInfo() {
    long[] pragmas = db.read(ctx -> new long[] {
        ((Number) ctx.fetchValue("PRAGMA page_size")).longValue(),
        ((Number) ctx.fetchValue("PRAGMA page_count")).longValue(),
        ((Number) ctx.fetchValue("PRAGMA freelist_count")).longValue()});
    Path file = db.file();
    return new StorageInfo(file.toString(), sizeOf(file), pragmas[0], pragmas[1], pragmas[2],
        sizeOf(file.resolveSibling(file.getFileName() + "-wal")));
  }

  private static long sizeOf(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      // Size is informational; a file vanishing between exists and size (checkpoint) is not an error.
      log.debug("Could not read size of {}", p, e);
      return 0;
    }
  }

  @Override
  public void close() {
    // Statements are finalized with their connection; closing them here first is tidier but is
    // only safe on the writer's thread, so leave it to the connection.
    db.close();
    log.debug("Closed job database {}", db.file());
  }

  // ---------------------------------------------------------------- mapping

  private static List<String> terminalNames() {
    return Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal).map(Enum::name)
        .collect(Collectors.toList());
  }

  private static JobRow toRow(Record r) {
    return new JobRow(r.get(J_ID), r.get(J_NAME), r.get(J_PARAMS), r.get(J_STATE),
        r.get(J_STATE_VERSION), JobStatus.valueOf(r.get(J_STATUS)), priorityOf(r.get(J_PRIORITY)),
        r.get(J_QUEUE), r.get(J_ATTEMPTS), r.get(J_MAX_ATTEMPTS), r.get(J_RUN_AT),
        r.get(J_LEASE_OWNER), orZero(r.get(J_LEASE_EXPIRES_AT)), r.get(J_LEASE_EPOCH),
        r.get(J_CANCEL_REQUESTED) != 0, r.get(J_PAUSE_REQUESTED) != 0, r.get(J_RESUMED) != 0,
        r.get(J_PROGRESS), r.get(J_OUTPUT), r.get(J_ERROR), decodeTags(r.get(J_TAGS)),
        r.get(J_IDEMPOTENCY_KEY), r.get(J_TIMEOUT_MS), r.get(J_CREATED_AT), r.get(J_STARTED_AT),
        r.get(J_FINISHED_AT), r.get(J_UPDATED_AT));
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static JobStatus statusOrNull(String s) {
    return s == null ? null : JobStatus.valueOf(s);
  }

  /** Tags as {@code ,a,b,} so that one tag matches with {@code LIKE '%,a,%'}. */
  static String encodeTags(List<String> tags) {
    return tags.isEmpty() ? "" : "," + String.join(",", tags) + ",";
  }

  static List<String> decodeTags(String s) {
    if (s == null || s.length() < 2) {
      return List.of();
    }
    return List.of(s.substring(1, s.length() - 1).split(","));
  }

  // Stored codes are explicit, with gaps, so reordering or adding enum constants never changes
  // the meaning of existing rows.
  static int priorityCode(Priority p) {
    switch (p) {
      case LOW: return 0;
      case NORMAL: return 10;
      case HIGH: return 20;
      case CRITICAL: return 30;
      default: throw new AssertionError(p);
    }
  }

  static Priority priorityOf(int code) {
    switch (code) {
      case 0: return Priority.LOW;
      case 10: return Priority.NORMAL;
      case 20: return Priority.HIGH;
      case 30: return Priority.CRITICAL;
      default: throw new IllegalStateException("Unknown stored priority " + code);
    }
  }

  static int levelCode(LogLevel l) {
    switch (l) {
      case DEBUG: return 10;
      case INFO: return 20;
      case WARN: return 30;
      case ERROR: return 40;
      default: throw new AssertionError(l);
    }
  }

  static LogLevel levelOf(int code) {
    switch (code) {
      case 10: return LogLevel.DEBUG;
      case 20: return LogLevel.INFO;
      case 30: return LogLevel.WARN;
      case 40: return LogLevel.ERROR;
      default: throw new IllegalStateException("Unknown stored log level " + code);
    }
  }

  private static void insertEvent(DSLContext ctx, String id, long at, JobEvent.Type type,
      JobStatus from, JobStatus to, String detail) {
    ctx.insertInto(EVENTS, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL)
        .values(id, at, type.name(), from == null ? null : from.name(),
            to == null ? null : to.name(), detail)
        .execute();
  }

  /** Event rows collected during a transaction and written as one JDBC batch. */
  private static final class EventBatch {
    private final BatchBindStep batch;
    private int size;

    EventBatch(DSLContext ctx) {
      this.batch = ctx.batch(ctx.insertInto(EVENTS, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL)
          .values((String) null, null, null, null, null, null));
    }

    void add(String id, long at, JobEvent.Type type, JobStatus from, JobStatus to, String detail) {
      batch.bind(id, at, type.name(), from == null ? null : from.name(),
          to == null ? null : to.name(), detail);
      size++;
    }

    void execute() {
      if (size > 0) {
        batch.execute();
      }
    }
  }
}
