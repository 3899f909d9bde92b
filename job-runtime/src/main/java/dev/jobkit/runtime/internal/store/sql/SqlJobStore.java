package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.Tables.E_ACTOR;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_DETAIL;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_FROM;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_TO;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_TYPE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ALL;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_CANCEL_REQUESTED;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_CREATED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ERROR;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_FINISHED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_IDEMPOTENCY_KEY;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_EPOCH;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_EXPIRES_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_OWNER;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_NAME;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_PAUSE_REQUESTED;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_PROGRESS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_QUEUE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_RESUMED;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_RUN_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_TAGS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_TENANT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_UPDATED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_CREATED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_CREATED_BY;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_LAST_USED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_NAME;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_REVOKED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_ROLE;
import static dev.jobkit.runtime.internal.store.sql.Tables.K_SECRET_HASH;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_ATTEMPT;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_LEVEL;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_MESSAGE;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_TRACE_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.T_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.T_TAG;

import dev.jobkit.JobException;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.state.JobTransitions;
import dev.jobkit.runtime.internal.store.AmbiguousJobIdException;
import dev.jobkit.runtime.internal.store.ApiKeyRow;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import dev.jobkit.runtime.internal.store.ControlResult;
import dev.jobkit.runtime.internal.store.ControlResult.Outcome;
import dev.jobkit.runtime.internal.store.FeedEvent;
import dev.jobkit.runtime.internal.store.FeedLog;
import dev.jobkit.runtime.internal.store.FinishedCount;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobLimits;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LeaseState;
import dev.jobkit.runtime.internal.store.LimitRow;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.MaintenanceRow;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.Page;
import dev.jobkit.runtime.internal.store.ProgressRow;
import dev.jobkit.runtime.internal.store.RetentionDeleted;
import dev.jobkit.runtime.internal.store.RetentionRule;
import dev.jobkit.runtime.internal.store.StatusCount;
import dev.jobkit.runtime.internal.store.StorageInfo;
import dev.jobkit.runtime.internal.store.VacuumMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SelectJoinStep;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store of both databases, written once with jOOQ and, on the hot paths, prepared JDBC
 * statements. What really differs between SQLite and PostgreSQL (claiming, lease renewal, bulk
 * completion, row locks, wake-up signals, storage sizes) is asked of the {@link Dialect}.
 *
 * <p>Every status change is checked by {@link JobTransitions} and writes one event row in the same
 * transaction. A job's creation is its row (the CREATED event is derived from it, see {@link
 * #events}), so a dispatch writes one row, plus one per tag.
 */
class SqlJobStore implements JobStore {
  private static final Logger log = LoggerFactory.getLogger(SqlJobStore.class);

  /** Chunk size for IN lists, well under both databases' bound-variable limits. */
  private static final int IN_CHUNK = 500;

  /**
   * Inlined, not bound, so the planner can prove that a claim query implies the predicate of the
   * partial indexes {@code jobkit_jobs_claim} (with {@code limit_keys IS NULL}) and {@code
   * jobkit_jobs_limited}.
   */
  static final String CLAIMABLE_SQL = "status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY')";

  static final Condition IS_RUNNING = J_STATUS.eq(DSL.inline(JobStatus.RUNNING.name()));

  final Database db;
  final Dialect dialect;
  final Tables t;
  final String sqlInsertEvent;
  final String sqlInsertJob;

  /** {@link #sqlInsertJob} without its {@code ON CONFLICT} clause, for jobs without a key. */
  final String sqlInsertJobPlain;

  private final String sqlInsertTag;
  private final String sqlGetJob;
  private final String sqlCheckpoint;
  final SqlLimits limits; // #12 limits
  final SqlTenants tenants; // #14 tenants
  final FairClaim fair = new FairClaim(this); // #14 fair claiming

  /** How long a tenant's settings are used before they are read again (#14 tenants). */
  static final long TENANT_CACHE_MS = 2_000;

  SqlJobStore(Database db, Dialect dialect, Tables t) {
    this.db = db;
    this.dialect = dialect;
    this.t = t;
    this.limits = new SqlLimits(this);
    this.tenants = new SqlTenants(this);
    // ON CONFLICT covers only the idempotency key: a second job with a stored key is not
    // inserted (count 0) and gets the first one's id; a duplicate id still fails.
    this.sqlInsertJob =
        "INSERT INTO "
            + t.jobsSql
            + " (id, name, params, status, priority, queue, max_attempts,"
            + " run_at, tags, idempotency_key, timeout_ms, backoff_ms, created_by, created_at,"
            + " updated_at, trace_context, limit_keys, tenant)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";
    this.sqlInsertJobPlain = sqlInsertJob.substring(0, sqlInsertJob.indexOf(" ON CONFLICT"));
    String row = sqlInsertJobPlain.substring(sqlInsertJobPlain.lastIndexOf(" VALUES ") + 8);
    this.sqlInsertJobs = new String[MULTI_ROWS.length];
    for (int k = 0; k < MULTI_ROWS.length; k++) {
      sqlInsertJobs[k] = sqlInsertJobPlain + (", " + row).repeat(MULTI_ROWS[k] - 1);
    }
    this.sqlInsertTag = "INSERT INTO " + t.tagsSql + " (tag, job_id) VALUES (?, ?)";
    this.sqlGetJob =
        "SELECT "
            + J_ALL.stream().map(Field::getName).collect(Collectors.joining(", "))
            + " FROM "
            + t.jobsSql
            + " WHERE id = ?";
    this.sqlInsertEvent =
        "INSERT INTO "
            + t.eventsSql
            + " (job_id, at, type, from_status, to_status, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    this.sqlCheckpoint =
        "UPDATE "
            + t.jobsSql
            + " SET state = ?, state_version = state_version + 1,"
            + " updated_at = ? WHERE id = ? AND lease_epoch = ? AND status = 'RUNNING'";
  }

  // ---------------------------------------------------------------- dispatch

  private volatile InsertCombiner combiner; // made by a dialect that combines single inserts

  /** This store's {@link InsertCombiner}, made by {@code make} on first use. */
  InsertCombiner combiner(Supplier<InsertCombiner> make) {
    InsertCombiner c = combiner;
    if (c == null) {
      synchronized (this) {
        c = combiner;
        if (c == null) {
          combiner = c = make.get();
        }
      }
    }
    return c;
  }

  @Override
  public InsertResult insert(NewJob job, long now) {
    // #12 limits: a job whose limit definition is not stored yet takes the general path; #14: so
    // does a job whose tenant has a quota, or whose dispatch is audited.
    InsertResult fast =
        limits.pending(job, now) || tenants.needsGeneralPath(job, now)
            ? null
            : dialect.insertOne(this, job, now);
    InsertResult r = fast != null ? fast : insertRows(List.of(job), now).get(0);
    if (r.created()) {
      dispatched(Set.of(job.queue()));
    }
    return r;
  }

  @Override
  public List<InsertResult> insertAll(List<NewJob> jobs, long now) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<InsertResult> results = insertRows(jobs, now);
    Set<String> queues = new LinkedHashSet<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (results.get(i).created()) {
        queues.add(jobs.get(i).queue());
      }
    }
    dispatched(queues);
    return results;
  }

  /**
   * Called after jobs were committed into {@code queues} by a dispatch: a store shared by nodes
   * tells the others (see {@link PgWakeups}). Workers of this process are woken by the engine.
   */
  void dispatched(Set<String> queues) {}

  private List<InsertResult> insertRows(List<NewJob> jobs, long now) {
    List<InsertResult> r =
        db.write(
            (ctx, c) -> {
              // #14 tenants: quotas, audit, a tenant's max-running key
              List<NewJob> admitted = tenants.admit(ctx, c, jobs, null, now);
              return insertRowsIn(ctx, c, admitted, now, Set.of());
            });
    limits.committed(jobs, now); // #12 limits
    return r;
  }

  /**
   * Inserts jobs in the caller's transaction; see {@link #insertAll}. Those with ids in {@code
   * waiting} are inserted WAITING.
   */
  List<InsertResult> insertRowsIn(
      DSLContext ctx, Connection c, List<NewJob> jobs, long now, Set<String> waiting)
      throws SQLException {
    limits.writePending(c, jobs, now); // #12 limits
    boolean[] inserted = dialect.insertRows(this, c, jobs, now, waiting);
    // A job with a key that was not inserted (stored before, or earlier in this list) gets
    // the id stored under its key.
    Set<String> keysNotInserted = new LinkedHashSet<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (!inserted[i] && jobs.get(i).idempotencyKey() != null) {
        keysNotInserted.add(jobs.get(i).idempotencyKey());
      }
    }
    Map<String, String> idOfKey = idsOfKeys(ctx, new ArrayList<>(keysNotInserted));
    List<InsertResult> results = new ArrayList<>(jobs.size());
    List<NewJob> created = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      NewJob j = jobs.get(i);
      String id = inserted[i] ? j.id() : idOfKey.get(j.idempotencyKey());
      if (id == null) {
        throw new IllegalStateException("Insert of job " + j.id() + " inserted no row");
      }
      results.add(new InsertResult(id, inserted[i]));
      if (inserted[i]) {
        created.add(j);
      }
    }
    insertTags(c, created);
    return results;
  }

  /** {@code jobs} as one JDBC batch of {@link #sqlInsertJob}: which were inserted. */
  boolean[] insertBatch(Connection c, List<NewJob> jobs, long now, Set<String> waiting)
      throws SQLException {
    int[] counts =
        db.prepared(
            c,
            sqlInsertJob,
            ps -> {
              for (NewJob j : jobs) {
                bindInsert(ps, j, now, waiting);
                ps.addBatch();
              }
              return ps.executeBatch();
            });
    boolean[] inserted = new boolean[jobs.size()];
    for (int i = 0; i < counts.length; i++) {
      // Exact counts: only SQLite takes this path (PostgreSQL inserts through unnest).
      inserted[i] = counts[i] == 1;
    }
    return inserted;
  }

  /** Whether any of {@code jobs} has an idempotency key, so that its insert may be skipped. */
  static boolean anyKeyed(List<NewJob> jobs) {
    for (NewJob j : jobs) {
      if (j.idempotencyKey() != null) {
        return true;
      }
    }
    return false;
  }

  /** A new job's status: WAITING when its id is in {@code waiting}, else by its run-at. */
  static JobStatus initialStatus(NewJob j, long now, Set<String> waiting) {
    if (!waiting.isEmpty() && waiting.contains(j.id())) {
      return JobStatus.WAITING;
    }
    return j.runAt() <= now ? JobStatus.QUEUED : JobStatus.SCHEDULED;
  }

  /** The insert's 18 parameters, in {@code sqlInsertJob}'s order (the dialects' too). */
  static void bindInsert(PreparedStatement ps, NewJob j, long now, Set<String> waiting)
      throws SQLException {
    bindInsert(ps, 0, j, now, waiting);
  }

  /** Parameters in one insert statement, per job. */
  static final int INSERT_PARAMS = 18;

  /**
   * As {@link #bindInsert(PreparedStatement, NewJob, long, Set)}, at parameters {@code at + 1} on.
   */
  private static void bindInsert(
      PreparedStatement ps, int at, NewJob j, long now, Set<String> waiting) throws SQLException {
    ps.setString(at + 1, j.id());
    ps.setString(at + 2, j.name());
    ps.setBytes(at + 3, j.params());
    ps.setString(at + 4, initialStatus(j, now, waiting).name());
    ps.setInt(at + 5, priorityCode(j.priority()));
    ps.setString(at + 6, j.queue());
    ps.setInt(at + 7, j.maxAttempts());
    ps.setLong(at + 8, j.runAt());
    ps.setString(at + 9, encodeTags(j.tags()));
    ps.setString(at + 10, j.idempotencyKey());
    ps.setLong(at + 11, j.timeoutMs());
    ps.setLong(at + 12, j.backoffMs());
    ps.setString(at + 13, j.createdBy());
    ps.setLong(at + 14, now);
    ps.setLong(at + 15, now);
    ps.setString(at + 16, j.traceContext()); // #13 tracing
    ps.setString(at + 17, j.limitKeys()); // #12 limits
    ps.setString(at + 18, j.tenant()); // #14 tenants
  }

  /** Rows per statement of {@link #insertMultiRow}, largest first; the rest go one by one. */
  private static final int[] MULTI_ROWS = {64, 16, 4};

  /**
   * {@link #sqlInsertJobPlain} with as many rows as {@link #MULTI_ROWS} says, at the same index.
   */
  private final String[] sqlInsertJobs;

  /**
   * Inserts {@code jobs}, none of which has an idempotency key, with statements of many rows each
   * (SQLite). A statement opens its cursors on the table and each of its indexes once for all its
   * rows, where a JDBC batch steps the one-row statement again for each: about 40 % less CPU per
   * job (issue #10). Without a key nothing can be skipped, so every job is inserted or the
   * statement fails.
   */
  boolean[] insertMultiRow(Connection c, List<NewJob> jobs, long now, Set<String> waiting)
      throws SQLException {
    int done = 0;
    for (int k = 0; k < MULTI_ROWS.length; k++) {
      int rows = MULTI_ROWS[k];
      if (jobs.size() - done < rows) {
        continue;
      }
      int start = done;
      done =
          db.prepared(
              c,
              sqlInsertJobs[k],
              ps -> {
                int at = start;
                for (; jobs.size() - at >= rows; at += rows) {
                  for (int r = 0; r < rows; r++) {
                    bindInsert(ps, r * INSERT_PARAMS, jobs.get(at + r), now, waiting);
                  }
                  ps.executeUpdate();
                }
                return at;
              });
    }
    if (done < jobs.size()) {
      insertBatch(c, jobs.subList(done, jobs.size()), now, waiting);
    }
    boolean[] inserted = new boolean[jobs.size()];
    Arrays.fill(inserted, true);
    return inserted;
  }

  private void insertTags(Connection c, List<NewJob> created) throws SQLException {
    if (created.stream().allMatch(j -> j.tags().isEmpty())) {
      return;
    }
    db.prepared(
        c,
        sqlInsertTag,
        ps -> {
          for (NewJob j : created) {
            for (String tag : new LinkedHashSet<>(j.tags())) {
              ps.setString(1, tag);
              ps.setString(2, j.id());
              ps.addBatch();
            }
          }
          return ps.executeBatch();
        });
  }

  Map<String, String> idsOfKeys(DSLContext ctx, List<String> keys) {
    Map<String, String> found = new HashMap<>();
    for (int i = 0; i < keys.size(); i += IN_CHUNK) {
      List<String> chunk = keys.subList(i, Math.min(keys.size(), i + IN_CHUNK));
      ctx.select(J_IDEMPOTENCY_KEY, J_ID)
          .from(t.jobs)
          .where(J_IDEMPOTENCY_KEY.in(chunk))
          .fetch()
          .forEach(r -> found.put(r.get(J_IDEMPOTENCY_KEY), r.get(J_ID)));
    }
    return found;
  }

  // ---------------------------------------------------------------- claiming and fenced writes

  @Override
  public List<ClaimedJob> claim(ClaimRequest request) {
    return db.write((ctx, c) -> dialect.claim(this, c, request));
  }

  @Override
  public List<LeaseState> renewLeases(String owner, long leaseExpiresAt, long now) {
    return db.write((ctx, c) -> dialect.renewLeases(this, ctx, c, owner, leaseExpiresAt));
  }

  @Override
  public boolean checkpoint(String id, long epoch, byte[] state, long now) {
    return db.write(
        (ctx, c) ->
            db.prepared(
                c,
                sqlCheckpoint,
                ps -> {
                  ps.setBytes(1, state);
                  ps.setLong(2, now);
                  ps.setString(3, id);
                  ps.setLong(4, epoch);
                  return ps.executeUpdate() == 1;
                }));
  }

  @Override
  public boolean updateProgress(String id, long epoch, String progressJson, long now) {
    return db.write(
        (ctx, c) ->
            ctx.update(t.jobs)
                    .set(J_PROGRESS, progressJson)
                    .set(J_UPDATED_AT, now)
                    .where(held(id, epoch))
                    .execute()
                == 1);
  }

  @Override
  public boolean appendLogs(String id, long epoch, List<LogLine> lines) {
    return db.write(
        (ctx, c) -> {
          // Locked for share (PostgreSQL) so no recovery or takeover slips in before the lines;
          // on SQLite the transaction's write lock does that.
          if (dialect.forShare(ctx.selectOne().from(t.jobs).where(held(id, epoch))).fetchOne()
              == null) {
            return false;
          }
          if (!lines.isEmpty()) {
            var batch =
                ctx.batch(
                    ctx.insertInto(
                            t.logs, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE, L_ATTEMPT, L_TRACE_ID)
                        .values((String) null, null, null, null, null, null));
            for (LogLine l : lines) {
              batch.bind(id, l.at(), levelCode(l.level()), l.message(), l.attempt(), l.traceId());
            }
            batch.execute();
          }
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
    return db.write(
        (ctx, c) -> {
          // #12 dependencies: the completion's statement names the jobs that have children.
          Set<String> parents = new LinkedHashSet<>();
          List<String> won = dialect.completeAll(this, c, completions, now, parents);
          if (!parents.isEmpty()) {
            Map<String, JobStatus> ended = new LinkedHashMap<>();
            parents.forEach(id -> ended.put(id, JobStatus.COMPLETED));
            deps.ended(ctx, c, ended, now);
          }
          return won;
        });
  }

  @Override
  public boolean finish(String id, long epoch, JobStatus to, String error, long now) {
    if (to != JobStatus.FAILED
        && to != JobStatus.CANCELLED
        && to != JobStatus.TIMED_OUT
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
    set.put(J_RESUMED, false);
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
    set.put(J_RESUMED, true);
    set.put(J_RUN_AT, now);
    return fencedTransition(id, epoch, to, set, "released", now);
  }

  /** A RUNNING-to-{@code to} change guarded by epoch, clearing the lease and flags. */
  private boolean fencedTransition(
      String id, long epoch, JobStatus to, Map<Field<?>, Object> set, String detail, long now) {
    JobTransitions.check(id, JobStatus.RUNNING, to);
    return db.write(
        (ctx, c) -> {
          Map<Field<?>, Object> all = new LinkedHashMap<>(set);
          all.put(J_STATUS, to.name());
          all.putAll(CLEARED_LEASE);
          all.put(J_UPDATED_AT, now);
          int n = ctx.update(t.jobs).set(all).where(held(id, epoch)).execute();
          if (n == 0) {
            log.debug("Lease lost for {} (epoch {}) moving to {}", id, epoch, to);
            return false;
          }
          insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, JobStatus.RUNNING, to, detail);
          if (to == JobStatus.QUEUED) {
            dialect.jobsDue(c, Set.of(queueOf(ctx, id)));
          }
          if (to.isTerminal()) {
            deps.endedOne(ctx, c, id, to, now); // #12 dependencies
          }
          return true;
        });
  }

  /** Columns reset whenever a job stops being held by a worker. */
  private static final Map<Field<?>, Object> CLEARED_LEASE = clearedLease();

  private static Map<Field<?>, Object> clearedLease() {
    Map<Field<?>, Object> m = new LinkedHashMap<>();
    m.put(J_LEASE_OWNER, null);
    m.put(J_LEASE_EXPIRES_AT, null);
    m.put(J_CANCEL_REQUESTED, false);
    m.put(J_PAUSE_REQUESTED, false);
    return m;
  }

  static Condition held(String id, long epoch) {
    return J_ID.eq(id).and(J_LEASE_EPOCH.eq(epoch)).and(IS_RUNNING);
  }

  // ---------------------------------------------------------------- control from any process

  @Override
  public ControlResult requestCancel(String id, long now, String actor) {
    return control(
        id,
        (ctx, c, from, r) -> {
          if (from == JobStatus.CANCELLED) {
            return new ControlResult(Outcome.UNCHANGED, from);
          }
          if (from == JobStatus.RUNNING) {
            return requestFlag(
                ctx, c, id, J_CANCEL_REQUESTED, JobEvent.Type.CANCEL_REQUESTED, now, actor);
          }
          return changeStatus(
              ctx, c, id, from, JobStatus.CANCELLED, now, Map.of(J_FINISHED_AT, now), actor);
        });
  }

  @Override
  public ControlResult requestPause(String id, long now, String actor) {
    return control(
        id,
        (ctx, c, from, r) -> {
          if (from == JobStatus.PAUSED) {
            return new ControlResult(Outcome.UNCHANGED, from);
          }
          if (from == JobStatus.RUNNING) {
            return requestFlag(
                ctx, c, id, J_PAUSE_REQUESTED, JobEvent.Type.PAUSE_REQUESTED, now, actor);
          }
          return changeStatus(ctx, c, id, from, JobStatus.PAUSED, now, Map.of(), actor);
        });
  }

  @Override
  public ControlResult resume(String id, long now, String actor) {
    return control(
        id,
        (ctx, c, from, r) -> {
          if (from == JobStatus.RUNNING) {
            // A pause not yet acted on is simply withdrawn.
            int n =
                ctx.update(t.jobs)
                    .set(J_PAUSE_REQUESTED, false)
                    .set(J_UPDATED_AT, now)
                    .where(J_ID.eq(id))
                    .and(IS_RUNNING)
                    .and(J_PAUSE_REQUESTED.isTrue())
                    .execute();
            return new ControlResult(n == 1 ? Outcome.APPLIED : Outcome.UNCHANGED, from);
          }
          if (from.isClaimable() || from == JobStatus.WAITING) { // #12 dependencies
            return new ControlResult(Outcome.UNCHANGED, from);
          }
          if (from != JobStatus.PAUSED) {
            throw new JobException(
                "Job "
                    + id
                    + " is "
                    + from
                    + ", not PAUSED, so it cannot be resumed"
                    + (from == JobStatus.COMPLETED ? "" : "; use retry to run it again"));
          }
          JobStatus to = r.get(J_RUN_AT) > now ? JobStatus.SCHEDULED : JobStatus.QUEUED;
          return changeStatus(ctx, c, id, from, to, now, Map.of(), actor);
        });
  }

  @Override
  public ControlResult retry(String id, long now, String actor) {
    return control(
        id,
        (ctx, c, from, r) -> {
          if (from.isClaimable()
              || from == JobStatus.RUNNING
              || from == JobStatus.PAUSED
              || from == JobStatus.WAITING) { // #12 dependencies: it will run when its parents do
            return new ControlResult(Outcome.UNCHANGED, from);
          }
          Map<Field<?>, Object> set = new LinkedHashMap<>();
          set.put(J_ATTEMPTS, 0);
          set.put(J_RUN_AT, now);
          set.put(J_FINISHED_AT, 0L);
          return changeStatus(ctx, c, id, from, JobStatus.QUEUED, now, set, actor);
        });
  }

  /** A control call's decision, given the job's row read (and locked) in its transaction. */
  @FunctionalInterface
  private interface ControlStep {
    ControlResult apply(DSLContext ctx, Connection c, JobStatus from, Record row)
        throws SQLException;
  }

  /**
   * Reads the job for a control call, locked until the transaction ends (on SQLite the write lock
   * does that), and lets {@code step} decide.
   */
  private ControlResult control(String id, ControlStep step) {
    return db.write(
        (ctx, c) -> {
          Record r =
              dialect
                  .forUpdate(ctx.select(J_STATUS, J_RUN_AT).from(t.jobs).where(J_ID.eq(id)))
                  .fetchOne();
          if (r == null) {
            return new ControlResult(Outcome.NOT_FOUND, null);
          }
          return step.apply(ctx, c, JobStatus.valueOf(r.get(J_STATUS)), r);
        });
  }

  private ControlResult requestFlag(
      DSLContext ctx,
      Connection c,
      String id,
      Field<Boolean> flag,
      JobEvent.Type type,
      long now,
      String actor)
      throws SQLException {
    int n =
        ctx.update(t.jobs)
            .set(flag, true)
            .set(J_UPDATED_AT, now)
            .where(J_ID.eq(id))
            .and(IS_RUNNING)
            .and(flag.isFalse())
            .execute();
    if (n == 0) {
      return new ControlResult(Outcome.UNCHANGED, JobStatus.RUNNING);
    }
    insertEvent(ctx, id, now, type, null, null, null, actor);
    dialect.controlRequested(c, id);
    return new ControlResult(Outcome.REQUESTED, JobStatus.RUNNING);
  }

  /** A checked status change of a job not held by a worker, whose row the caller has locked. */
  private ControlResult changeStatus(
      DSLContext ctx,
      Connection c,
      String id,
      JobStatus from,
      JobStatus to,
      long now,
      Map<Field<?>, Object> extra,
      String actor)
      throws SQLException {
    JobTransitions.check(id, from, to);
    Map<Field<?>, Object> set = new LinkedHashMap<>(extra);
    set.put(J_STATUS, to.name());
    set.put(J_CANCEL_REQUESTED, false);
    set.put(J_PAUSE_REQUESTED, false);
    set.put(J_UPDATED_AT, now);
    int n = ctx.update(t.jobs).set(set).where(J_ID.eq(id)).and(J_STATUS.eq(from.name())).execute();
    if (n != 1) {
      throw new IllegalStateException("Job " + id + " changed status under its lock");
    }
    insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, from, to, null, actor);
    if (to == JobStatus.QUEUED) {
      dialect.jobsDue(c, Set.of(queueOf(ctx, id)));
    }
    // #12 dependencies: a cancel passes on to the children; a retry re-arms the ones it ended.
    if (to.isTerminal()) {
      deps.endedOne(ctx, c, id, to, now);
    } else if (to == JobStatus.QUEUED && (from.isTerminal() || from == JobStatus.QUARANTINED)) {
      deps.retried(ctx, c, id, now, actor);
      if (from.isTerminal()) {
        batches.reopened(ctx, id, from); // #12 batches
      }
    }
    return new ControlResult(Outcome.APPLIED, to);
  }

  private String queueOf(DSLContext ctx, String id) {
    return ctx.select(J_QUEUE).from(t.jobs).where(J_ID.eq(id)).fetchOne(J_QUEUE);
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
    return db.read(
        (ctx, c) ->
            ctx.selectDistinct(J_LEASE_OWNER)
                .from(t.jobs)
                .where(IS_RUNNING)
                .and(J_LEASE_OWNER.isNotNull())
                .orderBy(J_LEASE_OWNER)
                .fetch(J_LEASE_OWNER));
  }

  /**
   * The one recovery path for restarts and dead workers: RUNNING jobs go back to QUEUED marked
   * resumed, or straight to CANCELLED / PAUSED when a user asked for that before the worker died. A
   * job whose lost attempt was its last ({@code attempts >= max_attempts}) is FAILED instead, with
   * the error "the process running it died N times", so that a job that crashes its process (a
   * native crash, an out-of-memory kill) does not loop across restarts. On PostgreSQL, jobs locked
   * at this moment (a worker finishing them, or another node recovering them) are skipped; a later
   * pass sees them if they are still expired.
   */
  List<String> recover(Condition which, long now, String reason) {
    return db.write(
        (ctx, c) -> {
          var rows =
              dialect
                  .forUpdateSkipLocked(
                      ctx.select(
                              J_ID,
                              J_LEASE_EPOCH,
                              J_CANCEL_REQUESTED,
                              J_PAUSE_REQUESTED,
                              J_QUEUE,
                              J_ATTEMPTS,
                              Tables.J_MAX_ATTEMPTS)
                          .from(t.jobs)
                          .where(IS_RUNNING)
                          .and(which)
                          .orderBy(J_ID))
                  .fetch();
          List<String> ids = new ArrayList<>(rows.size());
          List<Query> updates = new ArrayList<>(rows.size());
          Set<String> queues = new LinkedHashSet<>();
          Map<String, JobStatus> endedHere = new LinkedHashMap<>(); // #12 dependencies
          db.prepared(
              c,
              sqlInsertEvent,
              ev -> {
                for (var r : rows) {
                  String id = r.get(J_ID);
                  JobStatus to =
                      r.get(J_CANCEL_REQUESTED)
                          ? JobStatus.CANCELLED
                          : r.get(J_PAUSE_REQUESTED) ? JobStatus.PAUSED : JobStatus.QUEUED;
                  String detail = reason;
                  String error = null;
                  if (to == JobStatus.QUEUED && r.get(J_ATTEMPTS) >= r.get(Tables.J_MAX_ATTEMPTS)) {
                    to = JobStatus.FAILED;
                    error = "the process running it died " + deaths(ctx, id) + " times";
                    detail = error + " (" + reason + ")";
                  }
                  JobTransitions.check(id, JobStatus.RUNNING, to);
                  if (to == JobStatus.QUEUED) {
                    queues.add(r.get(J_QUEUE));
                  } else if (to.isTerminal()) {
                    endedHere.put(id, to); // #12 dependencies
                  }
                  Map<Field<?>, Object> set = new LinkedHashMap<>(CLEARED_LEASE);
                  set.put(J_STATUS, to.name());
                  set.put(J_RESUMED, true);
                  set.put(J_RUN_AT, now);
                  set.put(J_FINISHED_AT, to.isTerminal() ? now : 0L);
                  set.put(J_UPDATED_AT, now);
                  if (error != null) {
                    set.put(J_ERROR, error);
                  }
                  updates.add(ctx.update(t.jobs).set(set).where(held(id, r.get(J_LEASE_EPOCH))));
                  addEvent(ev, id, now, JobEvent.Type.RECOVERED, JobStatus.RUNNING, to, detail);
                  ids.add(id);
                }
                if (!ids.isEmpty()) {
                  ctx.batch(updates).execute();
                  ev.executeBatch();
                }
                return null;
              });
          dialect.jobsDue(c, queues);
          for (Map.Entry<String, JobStatus> e : endedHere.entrySet()) {
            deps.endedOne(ctx, c, e.getKey(), e.getValue(), now); // #12 dependencies
          }
          if (!ids.isEmpty()) {
            log.info("Recovered {} running jobs ({})", ids.size(), reason);
          }
          return ids;
        });
  }

  /**
   * How many times the process running job {@code id} died, this time included: its recoveries from
   * RUNNING since a user last retried it (a retry starts its attempts afresh), plus one.
   */
  private int deaths(DSLContext ctx, String id) {
    var lastRetry =
        ctx.select(DSL.coalesce(DSL.max(E_ID), DSL.inline(0L)))
            .from(t.events)
            .where(E_JOB_ID.eq(id))
            .and(E_TYPE.eq(JobEvent.Type.STATUS_CHANGED.name()))
            .and(E_TO.eq(JobStatus.QUEUED.name()))
            .and(
                E_FROM.in(
                    JobStatus.FAILED.name(),
                    JobStatus.TIMED_OUT.name(),
                    JobStatus.CANCELLED.name(),
                    JobStatus.QUARANTINED.name()));
    int earlier =
        ctx.fetchCount(
            ctx.selectOne()
                .from(t.events)
                .where(E_JOB_ID.eq(id))
                .and(E_TYPE.eq(JobEvent.Type.RECOVERED.name()))
                .and(E_FROM.eq(JobStatus.RUNNING.name()))
                .and(E_ID.gt(lastRetry.asField())));
    return earlier + 1;
  }

  // ---------------------------------------------------------------- queries

  @Override
  public Optional<JobRow> get(String id) {
    // Prepared plain SQL: every dispatch over HTTP reads its job back, and rendering this select
    // with jOOQ was most of that read's cost.
    return db.read(
        (ctx, c) ->
            db.prepared(
                c,
                sqlGetJob,
                ps -> {
                  ps.setString(1, id);
                  try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(toRow(rs)) : Optional.<JobRow>empty();
                  }
                }));
  }

  @Override
  public Optional<JobRow> findByIdPrefix(String prefix) {
    String p = prefix.toUpperCase(Locale.ROOT);
    if (p.isEmpty() || !JobIds.isIdChars(p)) {
      return Optional.empty();
    }
    // A range on the primary key instead of LIKE, which neither database serves from the index
    // under every collation; up to three rows name the candidates when it is ambiguous.
    List<JobRow> rows =
        db.read(
            (ctx, c) ->
                ctx.select(J_ALL)
                    .from(t.jobs)
                    .where(J_ID.ge(p))
                    .and(J_ID.lt(p + '\u007f'))
                    .orderBy(J_ID)
                    .limit(3)
                    .fetch(SqlJobStore::toRow));
    if (rows.size() > 1) {
      throw new AmbiguousJobIdException(
          prefix, rows.stream().map(JobRow::id).collect(Collectors.toList()));
    }
    return rows.stream().findFirst();
  }

  @Override
  public Page<JobRow> list(JobFilter f, String cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<Condition> where = new ArrayList<>();
    if (!f.statuses().isEmpty()) {
      where.add(
          J_STATUS.in(f.statuses().stream().map(Enum::name).sorted().collect(Collectors.toList())));
    }
    if (!f.names().isEmpty()) {
      where.add(J_NAME.in(f.names()));
    }
    if (f.queue() != null) {
      where.add(J_QUEUE.eq(f.queue()));
    }
    if (f.tenant() != null) { // #14 tenants
      where.addAll(SqlJobStore.tenantIs(f.tenant()));
    }
    if (f.createdFrom() != null) {
      where.add(J_CREATED_AT.ge(f.createdFrom()));
    }
    if (f.createdTo() != null) {
      where.add(J_CREATED_AT.lt(f.createdTo()));
    }
    String text = f.text() == null || f.text().isBlank() ? null : f.text().strip();
    // Ids are time-ordered and unique, so they are the whole keyset: no offset scans. Every query
    // below walks an index in id order and stops after one page.
    List<JobRow> rows =
        db.read(
            (ctx, c) -> {
              if (text == null) {
                return page(ctx, f.tag(), where, null, cursor, limit + 1);
              }
              // A search matches in four ways; an OR over them reads every row when nothing
              // matches. Each way is its own index-ordered page instead, merged here by id.
              TreeMap<String, JobRow> merged = new TreeMap<>(Comparator.reverseOrder());
              for (Condition way : textMatches(text, f.tag() != null)) {
                for (JobRow r : page(ctx, f.tag(), where, way, cursor, limit + 1)) {
                  merged.putIfAbsent(r.id(), r);
                }
              }
              if (f.tag() == null) {
                // The text as a tag: the same walk as a tag filter.
                for (JobRow r : page(ctx, text, where, null, cursor, limit + 1)) {
                  merged.putIfAbsent(r.id(), r);
                }
              }
              return merged.values().stream().limit(limit + 1).toList();
            });
    if (rows.size() > limit) {
      List<JobRow> page = rows.subList(0, limit);
      return new Page<>(page, page.get(limit - 1).id());
    }
    return new Page<>(rows, null);
  }

  /**
   * A job's events, oldest first. The CREATED event is not stored on either database (a dispatch
   * writes only the job's row): it is derived from the row, with id 0, at {@code created_at}, into
   * the status the first stored change left, or, with none yet, the status the job still has.
   */
  @Override
  public List<JobEvent> events(String jobId) {
    return db.read(
        (ctx, c) -> {
          var job =
              ctx.select(J_CREATED_AT, J_STATUS, Tables.J_CREATED_BY)
                  .from(t.jobs)
                  .where(J_ID.eq(jobId))
                  .fetchOne();
          if (job == null) {
            return List.<JobEvent>of();
          }
          List<JobEvent> stored =
              ctx.select(E_ID, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL, E_ACTOR)
                  .from(t.events)
                  .where(E_JOB_ID.eq(jobId))
                  .orderBy(E_ID)
                  .fetch(SqlJobStore::toEvent);
          JobStatus initial =
              stored.stream()
                  .map(JobEvent::from)
                  .filter(Objects::nonNull)
                  .findFirst()
                  .orElse(JobStatus.valueOf(job.get(J_STATUS)));
          List<JobEvent> all = new ArrayList<>(stored.size() + 1);
          all.add(
              new JobEvent(
                  0,
                  jobId,
                  job.get(J_CREATED_AT),
                  JobEvent.Type.CREATED,
                  null,
                  initial,
                  null,
                  job.get(Tables.J_CREATED_BY)));
          all.addAll(stored);
          return all;
        });
  }

  @Override
  public List<LogLine> logs(String jobId, LogLevel minLevel, long afterId, int limit) {
    return db.read(
        (ctx, c) ->
            ctx.select(L_ID, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE, L_ATTEMPT, L_TRACE_ID)
                .from(t.logs)
                .where(L_JOB_ID.eq(jobId))
                .and(L_LEVEL.ge(levelCode(minLevel)))
                .and(L_ID.gt(afterId))
                .orderBy(L_ID)
                .limit(limit)
                .fetch(
                    r ->
                        new LogLine(
                            r.get(L_ID),
                            r.get(L_JOB_ID),
                            r.get(L_AT),
                            levelOf(r.get(L_LEVEL)),
                            r.get(L_MESSAGE),
                            r.get(L_ATTEMPT),
                            r.get(L_TRACE_ID))));
  }

  @Override
  public List<StatusCount> countByNameAndStatus(String tenant) {
    Field<Long> count = DSL.count().cast(Long.class);
    return db.read(
        (ctx, c) ->
            ctx.select(J_NAME, J_STATUS, count)
                .from(t.jobs)
                .where(ofTenant(tenant))
                .groupBy(J_NAME, J_STATUS)
                .orderBy(J_NAME, J_STATUS)
                .fetch(
                    r ->
                        new StatusCount(
                            r.get(J_NAME), JobStatus.valueOf(r.get(J_STATUS)), r.get(count))));
  }

  @Override
  public long cleanup(long finishedBefore, boolean dryRun) {
    Condition old =
        J_STATUS
            .in(terminalNames())
            .and(J_FINISHED_AT.gt(0L))
            .and(J_FINISHED_AT.lt(finishedBefore));
    if (dryRun) {
      return db.read((ctx, c) -> (long) ctx.fetchCount(t.jobs, old));
    }
    // Events, logs and tags go with their job through ON DELETE CASCADE.
    long n = db.write((ctx, c) -> (long) ctx.deleteFrom(t.jobs).where(old).execute());
    log.info("Cleaned up {} finished jobs from {}", n, db.location());
    return n;
  }

  /**
   * One page of jobs matching {@code where} and {@code extra}, newest first, after {@code cursor}.
   * With a tag, the page walks jobkit_job_tags' key (tag, job_id) backwards, so the database
   * neither reads the tag's other jobs nor sorts.
   */
  private List<JobRow> page(
      DSLContext ctx, String tag, List<Condition> where, Condition extra, String cursor, int rows) {
    List<Condition> all = new ArrayList<>(where);
    if (extra != null) {
      all.add(extra);
    }
    SelectJoinStep<Record> from = ctx.select(J_ALL).from(t.jobs);
    Field<String> order = J_ID;
    if (tag != null) {
      from = from.join(t.tags).on(T_JOB_ID.eq(J_ID)).and(T_TAG.eq(tag));
      order = T_JOB_ID;
    }
    if (cursor != null) {
      all.add(order.lt(cursor));
    }
    return from.where(all).orderBy(order.desc()).limit(rows).fetch(SqlJobStore::toRow);
  }

  /**
   * The ways a search text matches a job, each answerable from one index in id order: an id prefix
   * (the primary key), the name ({@code jobkit_jobs_name_id}), a tag (only when the list is already
   * joined to another tag: otherwise list() walks the tag's key) and the error text (reading only
   * jobs that have an error, through the partial index {@code jobkit_jobs_error}).
   */
  private List<Condition> textMatches(String q, boolean tagJoined) {
    List<Condition> ways = new ArrayList<>();
    String p = q.toUpperCase(Locale.ROOT);
    if (JobIds.isIdChars(p)) {
      ways.add(J_ID.ge(p).and(J_ID.lt(p + '\u007f')));
    }
    ways.add(J_NAME.eq(q));
    if (tagJoined) {
      // Without a tag filter, list() walks the text's tag itself.
      ways.add(DSL.exists(DSL.selectOne().from(t.tags).where(T_TAG.eq(q)).and(T_JOB_ID.eq(J_ID))));
    }
    ways.add(J_ERROR.isNotNull().and(J_ERROR.containsIgnoreCase(q)));
    return ways;
  }

  // ---------------------------------------------------------------- the change feed

  @Override
  public long lastEventId() {
    return db.read(
        (ctx, c) ->
            ctx.select(DSL.coalesce(DSL.max(E_ID), DSL.inline(0L)))
                .from(t.events)
                .fetchOne(0, Long.class));
  }

  @Override
  public long lastLogId() {
    return db.read(
        (ctx, c) ->
            ctx.select(DSL.coalesce(DSL.max(L_ID), DSL.inline(0L)))
                .from(t.logs)
                .fetchOne(0, Long.class));
  }

  @Override
  public List<FeedEvent> eventsAfter(long afterId, Collection<Long> alsoIds, int limit) {
    Condition which = alsoIds.isEmpty() ? E_ID.gt(afterId) : E_ID.gt(afterId).or(E_ID.in(alsoIds));
    return db.read(
        (ctx, c) -> {
          List<JobEvent> rows =
              ctx.select(E_ID, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL, E_ACTOR)
                  .from(t.events)
                  .where(which)
                  .orderBy(E_ID)
                  .limit(limit)
                  .fetch(SqlJobStore::toEvent);
          Map<String, String[]> names = namesOf(ctx, rows.stream().map(JobEvent::jobId).toList());
          List<FeedEvent> out = new ArrayList<>(rows.size());
          for (JobEvent e : rows) {
            String[] n = names.getOrDefault(e.jobId(), NO_JOB);
            out.add(new FeedEvent(e, n[0], n[1]));
          }
          return out;
        });
  }

  @Override
  public List<FeedLog> logsAfter(long afterId, Collection<Long> alsoIds, int limit) {
    Condition which = alsoIds.isEmpty() ? L_ID.gt(afterId) : L_ID.gt(afterId).or(L_ID.in(alsoIds));
    return db.read(
        (ctx, c) -> {
          List<LogLine> rows =
              ctx.select(L_ID, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE, L_ATTEMPT, L_TRACE_ID)
                  .from(t.logs)
                  .where(which)
                  .orderBy(L_ID)
                  .limit(limit)
                  .fetch(SqlJobStore::toLogLine);
          Map<String, String[]> names = namesOf(ctx, rows.stream().map(LogLine::jobId).toList());
          List<FeedLog> out = new ArrayList<>(rows.size());
          for (LogLine l : rows) {
            String[] n = names.getOrDefault(l.jobId(), NO_JOB);
            out.add(new FeedLog(l, n[0], n[1]));
          }
          return out;
        });
  }

  /**
   * One range scan of the jobs' primary key; each job's first status is the {@code from} of its
   * first stored status change (one index probe of {@code (job_id, id)}), or its status when it has
   * none yet, as {@link #events} derives it.
   */
  @Override
  public List<FeedEvent> jobsCreated(String afterId, String upToId, int limit) {
    Table<Record> j = t.jobs.as("fj");
    Table<Record> e = t.events.as("fe");
    Field<String> id = DSL.field(DSL.name("fj", "id"), String.class);
    Field<String> jobName = DSL.field(DSL.name("fj", "name"), String.class);
    Field<Long> createdAt = DSL.field(DSL.name("fj", "created_at"), Long.class);
    Field<String> createdBy = DSL.field(DSL.name("fj", "created_by"), String.class);
    Field<String> status = DSL.field(DSL.name("fj", "status"), String.class);
    Field<String> tenant = DSL.field(DSL.name("fj", "tenant"), String.class); // #14
    Field<String> eFrom = DSL.field(DSL.name("fe", "from_status"), String.class);
    Field<String> firstFrom =
        DSL.field(
                DSL.select(eFrom)
                    .from(e)
                    .where(DSL.field(DSL.name("fe", "job_id"), String.class).eq(id))
                    .and(eFrom.isNotNull())
                    .orderBy(DSL.field(DSL.name("fe", "id"), Long.class))
                    .limit(1))
            .as("first_from");
    return db.read(
        (ctx, c) ->
            ctx.select(id, jobName, createdAt, createdBy, status, tenant, firstFrom)
                .from(j)
                .where(id.gt(afterId))
                .and(id.le(upToId))
                .orderBy(id)
                .limit(limit)
                .fetch(
                    r -> {
                      String first = r.get(firstFrom);
                      JobEvent created =
                          new JobEvent(
                              0,
                              r.get(id),
                              r.get(createdAt),
                              JobEvent.Type.CREATED,
                              null,
                              JobStatus.valueOf(first != null ? first : r.get(status)),
                              null,
                              r.get(createdBy));
                      return new FeedEvent(created, r.get(jobName), r.get(tenant));
                    }));
  }

  /** The name and tenant of a job deleted meanwhile: none. */
  private static final String[] NO_JOB = {null, null};

  /** The names and tenants (#14) of jobs by id; a job deleted meanwhile is absent. */
  private Map<String, String[]> namesOf(DSLContext ctx, List<String> jobIds) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(jobIds));
    Map<String, String[]> names = new HashMap<>();
    for (int i = 0; i < distinct.size(); i += IN_CHUNK) {
      List<String> chunk = distinct.subList(i, Math.min(distinct.size(), i + IN_CHUNK));
      ctx.select(J_ID, J_NAME, J_TENANT)
          .from(t.jobs)
          .where(J_ID.in(chunk))
          .fetch()
          .forEach(r -> names.put(r.get(J_ID), new String[] {r.get(J_NAME), r.get(J_TENANT)}));
    }
    return names;
  }

  @Override
  public List<ProgressRow> runningProgress(long updatedSince) {
    return db.read(
        (ctx, c) ->
            ctx.select(J_ID, J_NAME, J_PROGRESS, J_UPDATED_AT, J_TENANT)
                .from(t.jobs)
                .where(IS_RUNNING)
                .and(J_PROGRESS.isNotNull())
                .and(J_UPDATED_AT.ge(updatedSince))
                .orderBy(J_ID)
                .fetch(
                    r ->
                        new ProgressRow(
                            r.get(J_ID),
                            r.get(J_NAME),
                            r.get(J_PROGRESS),
                            r.get(J_UPDATED_AT),
                            r.get(J_TENANT))));
  }

  // ---------------------------------------------------------------- overview

  /**
   * Finished jobs from the partial index on {@code finished_at}; quarantined jobs keep {@code
   * finished_at} at 0 (they may be retried), so they are counted by their last update, through the
   * status index (there are few).
   */
  @Override
  public List<FinishedCount> finishedCounts(long from, long to, long bucketMs, String tenant) {
    Field<Long> count = DSL.count().cast(Long.class);
    return db.read(
        (ctx, c) -> {
          List<FinishedCount> out = new ArrayList<>();
          Field<Long> bucket = J_FINISHED_AT.minus(from).div(bucketMs).cast(Long.class).as("b");
          ctx.select(bucket, J_STATUS, count)
              .from(t.jobs)
              .where(J_FINISHED_AT.gt(DSL.inline(0L)))
              .and(J_FINISHED_AT.ge(from))
              .and(J_FINISHED_AT.lt(to))
              .and(ofTenant(tenant))
              .and(
                  J_STATUS.in(
                      JobStatus.COMPLETED.name(),
                      JobStatus.FAILED.name(),
                      JobStatus.TIMED_OUT.name()))
              .groupBy(DSL.field(DSL.name("b")), J_STATUS)
              .fetch()
              .forEach(
                  r ->
                      out.add(
                          new FinishedCount(
                              r.get(0, Long.class),
                              JobStatus.valueOf(r.get(J_STATUS)),
                              r.get(count))));
          ctx.select(J_UPDATED_AT)
              .from(t.jobs)
              .where(J_STATUS.eq(JobStatus.QUARANTINED.name()))
              .and(ofTenant(tenant))
              .and(J_UPDATED_AT.ge(from))
              .and(J_UPDATED_AT.lt(to))
              .fetch(J_UPDATED_AT)
              .forEach(
                  at ->
                      out.add(new FinishedCount((at - from) / bucketMs, JobStatus.QUARANTINED, 1)));
          return out;
        });
  }

  @Override
  public Map<String, Long> queueDepths(String tenant) {
    Field<Long> count = DSL.count().cast(Long.class);
    return db.read(
        (ctx, c) -> {
          Map<String, Long> out = new LinkedHashMap<>();
          ctx.select(J_QUEUE, count)
              .from(t.jobs)
              .where(DSL.condition(CLAIMABLE_SQL))
              .and(ofTenant(tenant))
              .groupBy(J_QUEUE)
              .orderBy(J_QUEUE)
              .fetch()
              .forEach(r -> out.put(r.get(J_QUEUE), r.get(count)));
          return out;
        });
  }

  // ---------------------------------------------------------------- API keys

  @Override
  public boolean insertApiKey(ApiKeyRow k) {
    // ON CONFLICT on the partial unique index: a name taken by an active key inserts nothing.
    String sql =
        "INSERT INTO "
            + t.apiKeysSql
            + " (id, name, role, secret_hash, created_at, created_by, last_used_at, revoked_at,"
            + " tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (name) WHERE revoked_at = 0 DO NOTHING";
    return db.write(
        (ctx, c) ->
            db.prepared(
                c,
                sql,
                ps -> {
                  ps.setString(1, k.id());
                  ps.setString(2, k.name());
                  ps.setString(3, k.role());
                  ps.setString(4, k.secretHash());
                  ps.setLong(5, k.createdAt());
                  ps.setString(6, k.createdBy());
                  ps.setLong(7, k.lastUsedAt());
                  ps.setLong(8, k.revokedAt());
                  ps.setString(9, k.tenant());
                  return ps.executeUpdate() == 1;
                }));
  }

  @Override
  public List<ApiKeyRow> apiKeys() {
    return db.read(
        (ctx, c) ->
            ctx.select(API_KEY_FIELDS)
                .from(t.apiKeys)
                .orderBy(K_CREATED_AT.desc(), K_ID.desc())
                .fetch(SqlJobStore::toApiKey));
  }

  @Override
  public Optional<ApiKeyRow> apiKey(String id) {
    return db.read(
        (ctx, c) ->
            ctx.select(API_KEY_FIELDS)
                .from(t.apiKeys)
                .where(K_ID.eq(id))
                .fetchOptional(SqlJobStore::toApiKey));
  }

  @Override
  public boolean revokeApiKey(String nameOrId, long now) {
    return db.write(
        (ctx, c) -> {
          int n =
              ctx.update(t.apiKeys)
                  .set(K_REVOKED_AT, now)
                  .where(K_NAME.eq(nameOrId))
                  .and(K_REVOKED_AT.eq(0L))
                  .execute();
          if (n == 0) {
            n =
                ctx.update(t.apiKeys)
                    .set(K_REVOKED_AT, now)
                    .where(K_ID.eq(nameOrId))
                    .and(K_REVOKED_AT.eq(0L))
                    .execute();
          }
          return n > 0;
        });
  }

  @Override
  public void touchApiKey(String id, long now, long notBefore) {
    db.write(
        (ctx, c) ->
            ctx.update(t.apiKeys)
                .set(K_LAST_USED_AT, now)
                .where(K_ID.eq(id))
                .and(K_LAST_USED_AT.lt(notBefore))
                .execute());
  }

  @Override
  public boolean anyActiveApiKey() {
    return db.read(
        (ctx, c) -> ctx.fetchExists(ctx.selectOne().from(t.apiKeys).where(K_REVOKED_AT.eq(0L))));
  }

  private static final List<Field<?>> API_KEY_FIELDS =
      List.of(
          K_ID,
          K_NAME,
          K_ROLE,
          K_SECRET_HASH,
          K_CREATED_AT,
          K_CREATED_BY,
          K_LAST_USED_AT,
          K_REVOKED_AT,
          Tables.K_TENANT);

  private static ApiKeyRow toApiKey(Record r) {
    return new ApiKeyRow(
        r.get(K_ID),
        r.get(K_NAME),
        r.get(K_ROLE),
        r.get(K_SECRET_HASH),
        r.get(K_CREATED_AT),
        r.get(K_CREATED_BY),
        r.get(K_LAST_USED_AT),
        r.get(K_REVOKED_AT),
        r.get(Tables.K_TENANT));
  }

  // ---------------------------------------------------------------- #12 dependencies

  final SqlDependencies deps = new SqlDependencies(this);

  @Override
  public List<InsertResult> insertGraph(
      List<NewJob> jobs, List<dev.jobkit.runtime.internal.store.DependencyEdge> edges, long now) {
    return deps.insertGraph(jobs, edges, now);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.ParentRow> parents(String childId) {
    return deps.parents(childId);
  }

  @Override
  public void onJobsDue(java.util.function.ObjLongConsumer<String> listener) {
    deps.onJobsDue(listener);
  }

  // ---------------------------------------------------------------- end #12 dependencies

  // ---------------------------------------------------------------- #12 batches: SqlBatches

  final SqlBatches batches = new SqlBatches(this);

  @Override
  public List<InsertResult> insertBatch(
      dev.jobkit.runtime.internal.store.NewBatch batch, long now) {
    return batches.insert(batch, now);
  }

  @Override
  public Optional<dev.jobkit.runtime.internal.store.BatchRow> batch(String id) {
    return batches.get(id);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.BatchRow> batches(String tenant, int limit) {
    return batches.list(tenant, limit);
  }

  @Override
  public Optional<String> batchOf(String jobId) {
    return batches.batchOf(jobId);
  }

  @Override
  public List<JobRow> batchMembers(String batchId, int limit) {
    return batches.members(batchId, limit);
  }

  // ---------------------------------------------------------------- end #12 batches

  // ---------------------------------------------------------------- #12 schedules: SqlSchedules

  private final SqlSchedules schedules = new SqlSchedules(this);

  @Override
  public dev.jobkit.runtime.internal.store.ScheduleChange.Result changeSchedule(
      String name, long now, dev.jobkit.runtime.internal.store.ScheduleChange.Decision decision) {
    return schedules.change(name, now, decision);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.ScheduleRow> schedules() {
    return schedules.all();
  }

  @Override
  public Optional<dev.jobkit.runtime.internal.store.ScheduleRow> schedule(String name) {
    return schedules.get(name);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.ScheduleRow> dueSchedules(long now, int limit) {
    return schedules.due(now, limit);
  }

  @Override
  public long nextScheduleFire() {
    return schedules.nextFire();
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.ScheduleFireRow> scheduleFires(
      String name, int limit) {
    return schedules.fires(name, limit);
  }

  // ---------------------------------------------------------------- backup, export, import and
  // migration (issue #16): all in SqlTransfer

  private SqlTransfer transfer;

  private synchronized SqlTransfer transfer() {
    if (transfer == null) {
      transfer = new SqlTransfer(this);
    }
    return transfer;
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.StoredJob> exportJobs(
      JobFilter filter, String afterId, int limit) {
    return transfer().exportJobs(filter, afterId, limit);
  }

  @Override
  public ImportOutcomes importJobs(
      List<dev.jobkit.runtime.internal.store.StoredJob> jobs,
      List<dev.jobkit.runtime.internal.store.StoredBatch> batches,
      boolean replace,
      boolean keepRowIds,
      long now) {
    return transfer().importJobs(jobs, batches, replace, keepRowIds, now);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.StoredBatch> exportBatches(
      JobFilter filter, String afterId, int limit) {
    return transfer().exportBatches(filter, afterId, limit);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.StoredBatch> batchesById(
      java.util.Collection<String> ids) {
    return transfer().batchesById(ids);
  }

  @Override
  public void importApiKeys(List<ApiKeyRow> keys) {
    transfer().importApiKeys(keys);
  }

  @Override
  public dev.jobkit.runtime.internal.store.TableCounts tableCounts() {
    return transfer().tableCounts();
  }

  @Override
  public List<String> liveRunningJobs(long now, int limit) {
    return transfer().liveRunningJobs(now, limit);
  }

  @Override
  public void backup(java.nio.file.Path file, boolean overwrite) {
    transfer().backup(file, overwrite);
  }

  // ---------------------------------------------------------------- end of issue #16's block

  // ---- #12 templates: all in SqlTemplates ----

  private SqlTemplates templates;

  private synchronized SqlTemplates templatesSql() {
    if (templates == null) {
      templates = new SqlTemplates(db, t);
    }
    return templates;
  }

  @Override
  public boolean saveTemplate(dev.jobkit.runtime.internal.store.TemplateRow template) {
    return templatesSql().save(template);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.TemplateRow> templates() {
    return templatesSql().all();
  }

  @Override
  public Optional<dev.jobkit.runtime.internal.store.TemplateRow> template(String name) {
    return templatesSql().get(name);
  }

  @Override
  public boolean deleteTemplate(String name) {
    return templatesSql().delete(name);
  }

  @Override
  public List<ImportOutcome> importTemplates(
      List<dev.jobkit.runtime.internal.store.TemplateRow> rows, boolean replace) {
    return templatesSql().importAll(rows, replace);
  }

  // ---- end #12 templates ----

  // ---- #16 retention and compaction ----

  private static final Field<String> M_TASK = DSL.field(DSL.name("task"), String.class);
  private static final Field<String> M_LEASE_OWNER =
      DSL.field(DSL.name("lease_owner"), String.class);
  private static final Field<Long> M_LEASE_EXPIRES_AT =
      DSL.field(DSL.name("lease_expires_at"), Long.class);
  private static final Field<String> M_SETTINGS = DSL.field(DSL.name("settings"), String.class);
  private static final Field<String> M_RUN_BY = DSL.field(DSL.name("run_by"), String.class);
  private static final Field<Long> M_STARTED_AT = DSL.field(DSL.name("started_at"), Long.class);
  private static final Field<Long> M_FINISHED_AT = DSL.field(DSL.name("finished_at"), Long.class);
  private static final Field<Long> M_DELETED_COMPLETED =
      DSL.field(DSL.name("deleted_completed"), Long.class);
  private static final Field<Long> M_DELETED_FAILED =
      DSL.field(DSL.name("deleted_failed"), Long.class);
  private static final Field<Long> M_DELETED_CANCELLED =
      DSL.field(DSL.name("deleted_cancelled"), Long.class);
  private static final Field<Long> M_DELETED_TIMED_OUT =
      DSL.field(DSL.name("deleted_timed_out"), Long.class);
  private static final Field<Long> M_FREED_BYTES = DSL.field(DSL.name("freed_bytes"), Long.class);
  private static final Field<Long> M_TOTAL_DELETED =
      DSL.field(DSL.name("total_deleted"), Long.class);
  private static final Field<String> M_ERROR = DSL.field(DSL.name("error"), String.class);

  private static final List<String> FAILED_NAMES =
      List.of(JobStatus.FAILED.name(), JobStatus.CANCELLED.name(), JobStatus.TIMED_OUT.name());

  @Override
  public RetentionDeleted deleteExpired(List<RetentionRule> rules, long now, int limit) {
    Condition expired = expiredCondition(rules, now);
    if (expired == null) {
      return RetentionDeleted.NONE;
    }
    return db.write(
        (ctx, c) -> {
          // Oldest first through jobkit_jobs_finished; on PostgreSQL rows that another transaction
          // holds (a retry, a cleanup on another node) are skipped, so a batch never waits.
          List<Record> rows =
              dialect
                  .forUpdateSkipLocked(
                      ctx.select(J_ID, J_STATUS)
                          .from(dialect.jobsByFinishedAt(t))
                          .where(expired)
                          .orderBy(J_FINISHED_AT)
                          .limit(limit))
                  .fetch()
                  .stream()
                  .map(r -> (Record) r)
                  .toList();
          if (rows.isEmpty()) {
            return RetentionDeleted.NONE;
          }
          long[] by = new long[4];
          List<String> ids = new ArrayList<>(rows.size());
          for (Record r : rows) {
            ids.add(r.get(J_ID));
            String st = r.get(J_STATUS);
            by[
                st.equals("COMPLETED")
                    ? 0
                    : st.equals("FAILED") ? 1 : st.equals("CANCELLED") ? 2 : 3]++;
          }
          // Events, logs and tags go with their job through ON DELETE CASCADE.
          for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            ctx.deleteFrom(t.jobs)
                .where(J_ID.in(ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
                .execute();
          }
          return new RetentionDeleted(by[0], by[1], by[2], by[3]);
        });
  }

  @Override
  public long deleteFinishedBatches(long finishedBefore, int limit) {
    return batches.deleteFinished(finishedBefore, limit);
  }

  @Override
  public long deleteIdleLimits(long now, int limit) {
    return limits.deleteIdle(now, limit);
  }

  /**
   * Which jobs {@code rules} no longer keep at {@code now}: finished before the cutoff of their end
   * state under the rule of their job name, else of their queue, else the default rule. Null when
   * no rule deletes anything.
   */
  private static Condition expiredCondition(List<RetentionRule> rules, long now) {
    List<String> names = new ArrayList<>();
    List<String> queues = new ArrayList<>();
    for (RetentionRule r : rules) {
      if (r.name() != null) {
        names.add(r.name());
      } else if (r.queue() != null) {
        queues.add(r.queue());
      }
    }
    List<Condition> any = new ArrayList<>();
    long latestCutoff = Long.MIN_VALUE;
    for (RetentionRule r : rules) {
      List<Condition> states = new ArrayList<>();
      if (r.keepCompletedMs() >= 0) {
        long cutoff = now - r.keepCompletedMs();
        states.add(J_STATUS.eq("COMPLETED").and(J_FINISHED_AT.lt(cutoff)));
        latestCutoff = Math.max(latestCutoff, cutoff);
      }
      if (r.keepFailedMs() >= 0) {
        long cutoff = now - r.keepFailedMs();
        states.add(J_STATUS.in(FAILED_NAMES).and(J_FINISHED_AT.lt(cutoff)));
        latestCutoff = Math.max(latestCutoff, cutoff);
      }
      if (states.isEmpty()) {
        continue;
      }
      Condition scope;
      if (r.name() != null) {
        scope = J_NAME.eq(r.name());
      } else if (r.queue() != null) {
        scope = J_QUEUE.eq(r.queue());
        if (!names.isEmpty()) {
          scope = scope.and(J_NAME.notIn(names));
        }
      } else {
        scope = DSL.noCondition();
        if (!names.isEmpty()) {
          scope = scope.and(J_NAME.notIn(names));
        }
        if (!queues.isEmpty()) {
          scope = scope.and(J_QUEUE.notIn(queues));
        }
      }
      any.add(scope.and(DSL.or(states)));
    }
    if (any.isEmpty()) {
      return null;
    }
    // The range on finished_at lets the partial index jobkit_jobs_finished bound the scan; its
    // "> 0" is inlined, not bound, so that the planner can prove the index's predicate.
    return J_FINISHED_AT.gt(DSL.inline(0L)).and(J_FINISHED_AT.lt(latestCutoff)).and(DSL.or(any));
  }

  @Override
  public boolean leaseMaintenance(String task, String owner, long now, long leaseUntil) {
    return db.write(
            (ctx, c) ->
                ctx.update(t.maintenance)
                    .set(M_LEASE_OWNER, owner)
                    .set(M_LEASE_EXPIRES_AT, leaseUntil)
                    .where(M_TASK.eq(task))
                    .and(
                        M_LEASE_OWNER
                            .isNull()
                            .or(M_LEASE_OWNER.eq(owner))
                            .or(M_LEASE_EXPIRES_AT.lt(now)))
                    .execute())
        == 1;
  }

  @Override
  public boolean recordMaintenance(String task, String owner, MaintenanceRow run) {
    RetentionDeleted d = run.deleted();
    return db.write(
            (ctx, c) ->
                ctx.update(t.maintenance)
                    .set(M_SETTINGS, run.settings())
                    .set(M_RUN_BY, run.runBy())
                    .set(M_STARTED_AT, run.startedAt())
                    .set(M_FINISHED_AT, run.finishedAt())
                    .set(M_DELETED_COMPLETED, d.completed())
                    .set(M_DELETED_FAILED, d.failed())
                    .set(M_DELETED_CANCELLED, d.cancelled())
                    .set(M_DELETED_TIMED_OUT, d.timedOut())
                    .set(M_FREED_BYTES, run.freedBytes())
                    .set(M_TOTAL_DELETED, M_TOTAL_DELETED.plus(d.total()))
                    .set(M_ERROR, run.error())
                    .set(M_LEASE_OWNER, (String) null)
                    .set(M_LEASE_EXPIRES_AT, 0L)
                    .where(M_TASK.eq(task))
                    .and(M_LEASE_OWNER.eq(owner))
                    .execute())
        == 1;
  }

  @Override
  public Optional<MaintenanceRow> maintenance(String task) {
    return db.read(
        (ctx, c) ->
            ctx.select(
                    M_TASK,
                    M_LEASE_OWNER,
                    M_LEASE_EXPIRES_AT,
                    M_SETTINGS,
                    M_RUN_BY,
                    M_STARTED_AT,
                    M_FINISHED_AT,
                    M_DELETED_COMPLETED,
                    M_DELETED_FAILED,
                    M_DELETED_CANCELLED,
                    M_DELETED_TIMED_OUT,
                    M_FREED_BYTES,
                    M_TOTAL_DELETED,
                    M_ERROR)
                .from(t.maintenance)
                .where(M_TASK.eq(task))
                .fetchOptional(
                    r ->
                        new MaintenanceRow(
                            r.get(M_TASK),
                            r.get(M_LEASE_OWNER),
                            r.get(M_LEASE_EXPIRES_AT),
                            r.get(M_SETTINGS),
                            r.get(M_RUN_BY),
                            r.get(M_STARTED_AT),
                            r.get(M_FINISHED_AT),
                            new RetentionDeleted(
                                r.get(M_DELETED_COMPLETED),
                                r.get(M_DELETED_FAILED),
                                r.get(M_DELETED_CANCELLED),
                                r.get(M_DELETED_TIMED_OUT)),
                            r.get(M_FREED_BYTES),
                            r.get(M_TOTAL_DELETED),
                            r.get(M_ERROR))));
  }

  @Override
  public VacuumMode vacuumMode() {
    return db.vacuumMode();
  }

  @Override
  public long incrementalVacuum(int pages) {
    return db.incrementalVacuum(pages);
  }

  @Override
  public void checkpointLog() {
    db.checkpointLog();
  }

  @Override
  public void enableIncrementalVacuum() {
    db.enableIncrementalVacuum();
  }

  // ---- end #16 retention and compaction ----

  @Override
  public StorageInfo storageInfo() {
    return db.storageInfo();
  }

  @Override
  public void close() {
    db.close();
    log.debug("Closed job store on {}", db.location());
  }

  // ---------------------------------------------------------------- events and mapping

  void insertEvent(
      DSLContext ctx,
      String id,
      long at,
      JobEvent.Type type,
      JobStatus from,
      JobStatus to,
      String detail) {
    insertEvent(ctx, id, at, type, from, to, detail, null);
  }

  void insertEvent(
      DSLContext ctx,
      String id,
      long at,
      JobEvent.Type type,
      JobStatus from,
      JobStatus to,
      String detail,
      String actor) {
    ctx.insertInto(t.events, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL, E_ACTOR)
        .values(id, at, type.name(), nameOrNull(from), nameOrNull(to), detail, actor)
        .execute();
  }

  /**
   * A claimed job from a claim query's row, whose columns are, in order: id, name, params, state,
   * state_version, the status it was claimed from, priority, queue, attempts, max_attempts,
   * lease_epoch, timeout_ms, resumed, backoff_ms, run_at, trace_context, tenant (#14 tenants: every
   * claim query returns it, so the attempt and its events name the job's tenant). The transition is
   * checked here; a failure rolls the whole claim back.
   *
   * @param ahead added to attempts and epoch: 1 when the row was read before the claim's update
   */
  static ClaimedJob claimedJob(ResultSet r, ClaimRequest req, int ahead) throws SQLException {
    String id = r.getString(1);
    JobStatus from = JobStatus.valueOf(r.getString(6));
    JobTransitions.check(id, from, JobStatus.RUNNING);
    return new ClaimedJob(
        id,
        r.getString(2),
        r.getBytes(3),
        r.getBytes(4),
        r.getLong(5),
        priorityOf(r.getInt(7)),
        r.getString(8),
        r.getInt(9) + ahead,
        r.getInt(10),
        r.getLong(11) + ahead,
        req.leaseExpiresAt(),
        r.getLong(12),
        r.getBoolean(13),
        from,
        r.getLong(14),
        r.getLong(15),
        r.getString(16),
        r.getString(17));
  }

  /** Adds one row to a batch of {@link #sqlInsertEvent}. */
  static void addEvent(
      PreparedStatement ev,
      String id,
      long at,
      JobEvent.Type type,
      JobStatus from,
      JobStatus to,
      String detail)
      throws SQLException {
    ev.setString(1, id);
    ev.setLong(2, at);
    ev.setString(3, type.name());
    ev.setString(4, nameOrNull(from));
    ev.setString(5, nameOrNull(to));
    ev.setString(6, detail);
    ev.addBatch();
  }

  private static String nameOrNull(JobStatus s) {
    return s == null ? null : s.name();
  }

  private static List<String> terminalNames() {
    return Arrays.stream(JobStatus.values())
        .filter(JobStatus::isTerminal)
        .map(Enum::name)
        .collect(Collectors.toList());
  }

  /**
   * The conditions for one tenant's jobs (#14 tenants). Another tenant than the default one repeats
   * the predicate of the partial index {@code jobkit_jobs_tenant}, so that the database may use it.
   */
  static List<Condition> tenantIs(String tenant) {
    Condition is = Tables.J_TENANT.eq(tenant);
    return tenant.equals(NewJob.DEFAULT_TENANT)
        ? List.of(is)
        : List.of(is, Tables.J_TENANT.ne(NewJob.DEFAULT_TENANT));
  }

  /** {@link #tenantIs} as one condition, or none (true) for every tenant when null (#14). */
  private static Condition ofTenant(String tenant) {
    return tenant == null ? DSL.noCondition() : DSL.and(tenantIs(tenant));
  }

  static JobRow toRow(Record r) {
    Long leaseExpiresAt = r.get(Tables.J_LEASE_EXPIRES_AT);
    return new JobRow(
        r.get(J_ID),
        r.get(J_NAME),
        r.get(Tables.J_PARAMS),
        r.get(Tables.J_STATE),
        r.get(Tables.J_STATE_VERSION),
        JobStatus.valueOf(r.get(J_STATUS)),
        priorityOf(r.get(Tables.J_PRIORITY)),
        r.get(J_QUEUE),
        r.get(J_ATTEMPTS),
        r.get(Tables.J_MAX_ATTEMPTS),
        r.get(J_RUN_AT),
        r.get(J_LEASE_OWNER),
        leaseExpiresAt == null ? 0 : leaseExpiresAt,
        r.get(J_LEASE_EPOCH),
        r.get(J_CANCEL_REQUESTED),
        r.get(J_PAUSE_REQUESTED),
        r.get(J_RESUMED),
        r.get(J_PROGRESS),
        r.get(Tables.J_OUTPUT),
        r.get(J_ERROR),
        decodeTags(r.get(J_TAGS)),
        r.get(J_IDEMPOTENCY_KEY),
        r.get(Tables.J_TIMEOUT_MS),
        r.get(J_CREATED_AT),
        r.get(Tables.J_STARTED_AT),
        r.get(J_FINISHED_AT),
        r.get(J_UPDATED_AT),
        r.get(Tables.J_BACKOFF_MS),
        r.get(Tables.J_CREATED_BY),
        r.get(Tables.J_TENANT));
  }

  /** A row of {@link #sqlGetJob}: the columns of {@code J_ALL}, in its order. */
  static JobRow toRow(ResultSet r) throws SQLException {
    long leaseExpiresAt = r.getLong(13);
    return new JobRow(
        r.getString(1),
        r.getString(2),
        r.getBytes(3),
        r.getBytes(4),
        r.getLong(5),
        JobStatus.valueOf(r.getString(6)),
        priorityOf(r.getInt(7)),
        r.getString(8),
        r.getInt(9),
        r.getInt(10),
        r.getLong(11),
        r.getString(12),
        leaseExpiresAt,
        r.getLong(14),
        r.getBoolean(15),
        r.getBoolean(16),
        r.getBoolean(17),
        r.getString(18),
        r.getString(19),
        r.getString(20),
        decodeTags(r.getString(21)),
        r.getString(22),
        r.getLong(23),
        r.getLong(24),
        r.getLong(25),
        r.getLong(26),
        r.getLong(27),
        r.getLong(28),
        r.getString(29),
        r.getString(30));
  }

  static JobEvent toEvent(Record r) {
    return new JobEvent(
        r.get(E_ID),
        r.get(E_JOB_ID),
        r.get(E_AT),
        JobEvent.Type.valueOf(r.get(E_TYPE)),
        statusOrNull(r.get(E_FROM)),
        statusOrNull(r.get(E_TO)),
        r.get(E_DETAIL),
        r.get(E_ACTOR));
  }

  static LogLine toLogLine(Record r) {
    return new LogLine(
        r.get(L_ID),
        r.get(L_JOB_ID),
        r.get(L_AT),
        levelOf(r.get(L_LEVEL)),
        r.get(L_MESSAGE),
        r.get(L_ATTEMPT),
        r.get(L_TRACE_ID));
  }

  private static JobStatus statusOrNull(String s) {
    return s == null ? null : JobStatus.valueOf(s);
  }

  /** Tags as {@code ,a,b,} for display on the row; matching goes through jobkit_job_tags. */
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
      case LOW:
        return 0;
      case NORMAL:
        return 10;
      case HIGH:
        return 20;
      case CRITICAL:
        return 30;
      default:
        throw new AssertionError(p);
    }
  }

  static Priority priorityOf(int code) {
    switch (code) {
      case 0:
        return Priority.LOW;
      case 10:
        return Priority.NORMAL;
      case 20:
        return Priority.HIGH;
      case 30:
        return Priority.CRITICAL;
      default:
        throw new IllegalStateException("Unknown stored priority " + code);
    }
  }

  static int levelCode(LogLevel l) {
    switch (l) {
      case DEBUG:
        return 10;
      case INFO:
        return 20;
      case WARN:
        return 30;
      case ERROR:
        return 40;
      default:
        throw new AssertionError(l);
    }
  }

  static LogLevel levelOf(int code) {
    switch (code) {
      case 10:
        return LogLevel.DEBUG;
      case 20:
        return LogLevel.INFO;
      case 30:
        return LogLevel.WARN;
      case 40:
        return LogLevel.ERROR;
      default:
        throw new IllegalStateException("Unknown stored log level " + code);
    }
  }

  // ---------------------------------------------------------------- #12 limits

  @Override
  public void defineLimits(List<LimitRow> rows, long now) {
    limits.define(rows);
  }

  @Override
  public Optional<JobLimits> limitsOf(String id, long now) {
    return limits.limitsOf(id, now);
  }

  // ---------------------------------------------------------------- #14 tenants

  @Override
  public Optional<dev.jobkit.runtime.internal.store.TenantRow> tenantSettings(
      String name, long now, long maxAgeMs) {
    return tenants.settings(name, now, maxAgeMs);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.TenantRow> tenants() {
    return tenants.all();
  }

  @Override
  public dev.jobkit.runtime.internal.store.TenantRow putTenant(
      dev.jobkit.runtime.internal.store.TenantRow row,
      dev.jobkit.runtime.internal.store.AuditRow audit) {
    return tenants.put(row, audit);
  }

  @Override
  public boolean deleteTenant(
      String name, long now, dev.jobkit.runtime.internal.store.AuditRow audit) {
    return tenants.delete(name, now, audit);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.TenantCount> tenantCounts(String tenant) {
    return tenants.counts(tenant);
  }

  @Override
  public void audit(dev.jobkit.runtime.internal.store.AuditRow row) {
    tenants.audit(row);
  }

  @Override
  public List<dev.jobkit.runtime.internal.store.AuditRow> auditRows(
      String tenant, String actor, String action, long since, String beforeId, int limit) {
    return tenants.auditRows(tenant, actor, action, since, beforeId, limit);
  }

  @Override
  public long deleteAuditBefore(long before, int limit) {
    return tenants.deleteAuditBefore(before, limit);
  }
}
