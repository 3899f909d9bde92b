package dev.jobkit.runtime.internal.store.postgres;

import static dev.jobkit.runtime.internal.store.postgres.Tables.E_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.E_DETAIL;
import static dev.jobkit.runtime.internal.store.postgres.Tables.E_FROM;
import static dev.jobkit.runtime.internal.store.postgres.Tables.E_ID;
import static dev.jobkit.runtime.internal.store.postgres.Tables.E_JOB_ID;
import static dev.jobkit.runtime.internal.store.postgres.Tables.E_TO;
import static dev.jobkit.runtime.internal.store.postgres.Tables.E_TYPE;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_CANCEL_REQUESTED;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_CREATED_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_ERROR;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_FINISHED_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_IDEMPOTENCY_KEY;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_LEASE_EPOCH;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_LEASE_EXPIRES_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_LEASE_OWNER;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_MAX_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_NAME;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_OUTPUT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_PARAMS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_PAUSE_REQUESTED;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_PRIORITY;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_PROGRESS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_QUEUE;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_RESUMED;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_RUN_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_STARTED_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_STATE;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_STATE_VERSION;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_TAGS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_TIMEOUT_MS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.J_UPDATED_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.L_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.L_ATTEMPT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.L_ID;
import static dev.jobkit.runtime.internal.store.postgres.Tables.L_JOB_ID;
import static dev.jobkit.runtime.internal.store.postgres.Tables.L_LEVEL;
import static dev.jobkit.runtime.internal.store.postgres.Tables.L_MESSAGE;
import static dev.jobkit.runtime.internal.store.postgres.Tables.N_HEARTBEAT_AT;
import static dev.jobkit.runtime.internal.store.postgres.Tables.N_HOST;
import static dev.jobkit.runtime.internal.store.postgres.Tables.N_ID;
import static dev.jobkit.runtime.internal.store.postgres.Tables.N_LEASE_MS;
import static dev.jobkit.runtime.internal.store.postgres.Tables.N_QUEUES;
import static dev.jobkit.runtime.internal.store.postgres.Tables.N_STARTED_AT;

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
import dev.jobkit.runtime.internal.store.JooqBanner;
import dev.jobkit.runtime.internal.store.NodeRow;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.internal.store.LeaseState;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.Page;
import dev.jobkit.runtime.internal.store.StatusCount;
import dev.jobkit.runtime.internal.store.StorageInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL {@link SharedJobStore}: jOOQ DSL on pgjdbc, with plain SQL for insert, claim, checkpoint
 * and completion.
 *
 * <p>Many processes share one database, so rows are locked, not the database: a claim selects due
 * jobs {@code FOR NO KEY UPDATE SKIP LOCKED} and updates them in the same statement, so two
 * claimers never wait for each other and never get the same job. Statements that lock several
 * rows lock them in id order (or skip locked ones), so two of this store's transactions cannot
 * deadlock. Worker writes are fenced by epoch and status exactly as in SQLite. Control calls read
 * the job {@code FOR NO KEY UPDATE}, so their status check and their update see the same row.
 *
 * <p>Inserts notify {@link PgNotifications#JOBS_CHANNEL} and cancel or pause requests of running
 * jobs notify {@link PgNotifications#CONTROL_CHANNEL}, in the same transaction; {@link #listen}
 * subscribes.
 */
public final class PostgresJobStore implements SharedJobStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresJobStore.class);

  private static final List<Field<?>> ALL_FIELDS =
      List.of(J_ID, J_NAME, J_PARAMS, J_STATE, J_STATE_VERSION, J_STATUS, J_PRIORITY, J_QUEUE,
          J_ATTEMPTS, J_MAX_ATTEMPTS, J_RUN_AT, J_LEASE_OWNER, J_LEASE_EXPIRES_AT, J_LEASE_EPOCH,
          J_CANCEL_REQUESTED, J_PAUSE_REQUESTED, J_RESUMED, J_PROGRESS, J_OUTPUT, J_ERROR, J_TAGS,
          J_IDEMPOTENCY_KEY, J_TIMEOUT_MS, J_CREATED_AT, J_STARTED_AT, J_FINISHED_AT,
          J_UPDATED_AT);

  /** Inlined, not bound, so the planner can prove the claim query implies jobkit_jobs_claim's predicate. */
  private static final String CLAIMABLE_SQL = "status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY')";

  private static final Condition IS_RUNNING = J_STATUS.eq(DSL.inline(JobStatus.RUNNING.name()));

  private final PostgresDatabase db;
  private final Table<Record> jobs;
  private final Table<Record> events;
  private final Table<Record> logs;
  private final Table<Record> nodes;

  // Hot-path statements as plain SQL, qualified by the schema: one round trip each, and no jOOQ
  // rendering per call. pgjdbc prepares them on the server once per connection.
  private final String sqlInsert;
  private final String sqlClaimOneQueue;
  private final String sqlClaimQueues;
  private final String sqlRenew;
  private final String sqlCheckpoint;
  private final String sqlComplete;

  private PostgresJobStore(PostgresDatabase db) {
    this.db = db;
    String s = db.schema();
    this.jobs = Tables.in(s, Tables.JOBS);
    this.events = Tables.in(s, Tables.EVENTS);
    this.logs = Tables.in(s, Tables.LOGS);
    this.nodes = Tables.in(s, Tables.NODES);
    String j = s + "." + Tables.JOBS;
    String e = s + "." + Tables.EVENTS;
    // The job and its CREATED event in one statement. ON CONFLICT only covers the idempotency key
    // (a concurrent insert of the same key waits, then does nothing); a duplicate id still fails.
    this.sqlInsert = "WITH j AS (INSERT INTO " + j + " (id, name, params, status, priority, queue,"
        + " max_attempts, run_at, tags, idempotency_key, timeout_ms, backoff_ms, created_at,"
        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, status)"
        + " INSERT INTO " + e + " (job_id, at, type, to_status)"
        + " SELECT id, ?, 'CREATED', status FROM j";
    this.sqlClaimOneQueue = claimSql(j, e, "queue = ?");
    this.sqlClaimQueues = claimSql(j, e, "queue = ANY (?)");
    // The rows are locked (in id order) by the CTE, whose predicate is rechecked on locking, so
    // the UPDATE joins on id alone: repeating lease_owner and status there made the planner, which
    // expects few RUNNING rows, loop over the CTE for each row (quadratic: minutes for 90,000).
    this.sqlRenew = "WITH mine AS (SELECT id FROM " + j
        + " WHERE lease_owner = ? AND status = 'RUNNING' ORDER BY id FOR NO KEY UPDATE)"
        + " UPDATE " + j + " AS j SET lease_expires_at = ? FROM mine"
        + " WHERE j.id = mine.id"
        + " RETURNING j.id, j.lease_epoch, j.cancel_requested, j.pause_requested";
    this.sqlCheckpoint = "UPDATE " + j + " SET state = ?, state_version = state_version + 1,"
        + " updated_at = ? WHERE id = ? AND lease_epoch = ? AND status = 'RUNNING'";
    // As in sqlRenew, the UPDATE joins the locked rows (rechecked on locking) on id alone, and
    // takes the output from them: with status and epoch repeated, the planner (which expects few
    // RUNNING rows) rescanned every RUNNING row for each row of the batch.
    this.sqlComplete = "WITH c AS (SELECT * FROM unnest(?::text[], ?::int8[], ?::text[])"
        + " AS c (id, epoch, output)),"
        + " locked AS (SELECT j.id, c.output FROM " + j + " AS j JOIN c ON j.id = c.id"
        + " AND j.lease_epoch = c.epoch WHERE j.status = 'RUNNING' ORDER BY j.id"
        + " FOR NO KEY UPDATE OF j),"
        + " done AS (UPDATE " + j + " AS j SET status = 'COMPLETED', output = locked.output,"
        + " finished_at = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL,"
        + " cancel_requested = false, pause_requested = false FROM locked"
        + " WHERE j.id = locked.id RETURNING j.id),"
        + " ev AS (INSERT INTO " + e + " (job_id, at, type, from_status, to_status)"
        + " SELECT id, ?, 'STATUS_CHANGED', 'RUNNING', 'COMPLETED' FROM done)"
        + " SELECT id FROM done";
  }

  /**
   * Selects due jobs, skipping those another claimer has locked, and makes them RUNNING with their
   * events, in one statement. Returns the claimed rows with the status each was claimed from.
   */
  private static String claimSql(String j, String e, String queueCondition) {
    return "WITH due AS (SELECT id, status FROM " + j
        + " WHERE " + CLAIMABLE_SQL + " AND " + queueCondition + " AND run_at <= ?"
        + " ORDER BY priority DESC, run_at, id LIMIT ? FOR NO KEY UPDATE SKIP LOCKED),"
        + " claimed AS (UPDATE " + j + " AS j SET status = 'RUNNING', lease_owner = ?,"
        + " lease_expires_at = ?, lease_epoch = j.lease_epoch + 1, attempts = j.attempts + 1,"
        + " started_at = CASE WHEN j.started_at = 0 THEN ? ELSE j.started_at END, updated_at = ?"
        + " FROM due WHERE j.id = due.id"
        + " RETURNING j.id, j.name, j.params, j.state, j.state_version, due.status AS from_status,"
        + " j.priority, j.queue, j.attempts, j.max_attempts, j.lease_epoch, j.timeout_ms,"
        + " j.resumed, j.backoff_ms, j.run_at),"
        + " ev AS (INSERT INTO " + e + " (job_id, at, type, from_status, to_status, detail)"
        + " SELECT id, ?, 'STATUS_CHANGED', from_status, 'RUNNING', ? FROM claimed)"
        + " SELECT * FROM claimed ORDER BY priority DESC, run_at, id";
  }

  /**
   * Opens a store on {@code dataSource}, taking one connection per call (so it should pool), and
   * migrates the schema.
   *
   * @param clock only used to stamp applied migrations
   * @throws dev.jobkit.runtime.internal.store.StorageException if the database cannot be used
   */
  public static PostgresJobStore open(DataSource dataSource, PostgresOptions options, Clock clock) {
    JooqBanner.silence();
    PostgresJobStore store =
        new PostgresJobStore(PostgresDatabase.open(dataSource, options, clock));
    log.debug("Opened job store on {} schema {}", store.db.location(), options.schema());
    return store;
  }

  /**
   * Opens a store on {@code jdbcUrl} with its own pool of {@link PostgresOptions#poolSize()}
   * connections, and migrates the schema.
   *
   * @param user the login, or null to take it from the URL
   * @param password the password, or null to take it from the URL (or for none)
   * @param clock only used to stamp applied migrations
   * @throws dev.jobkit.runtime.internal.store.StorageException if the database cannot be used
   */
  public static PostgresJobStore open(String jdbcUrl, String user, String password,
      PostgresOptions options, Clock clock) {
    JooqBanner.silence();
    PostgresJobStore store = new PostgresJobStore(
        PostgresDatabase.open(jdbcUrl, user, password, options, clock));
    log.debug("Opened job store on {} schema {}", store.db.location(), options.schema());
    return store;
  }

  /**
   * The database server's clock, epoch millis, so that a caller can measure its own clock's skew
   * against the one clock all nodes share.
   */
  @Override
  public long databaseTimeMillis() {
    return db.read((ctx, c) -> ctx.fetchOne(
        "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint").get(0, Long.class));
  }

  /**
   * Listens on {@code channels} (see {@link PgNotifications#JOBS_CHANNEL} and {@link
   * PgNotifications#CONTROL_CHANNEL}) with a dedicated connection outside the store's pool. Close
   * the result to stop; it is not closed with the store.
   *
   * @throws dev.jobkit.runtime.internal.store.StorageException if it cannot connect
   */
  public PgNotifications listen(List<String> channels, PgNotifications.Listener listener) {
    return PgNotifications.start(db::dedicatedConnection, db.location(), channels, listener);
  }

  @Override
  public AutoCloseable listen(Signals signals) {
    return listen(List.of(PgNotifications.JOBS_CHANNEL, PgNotifications.CONTROL_CHANNEL),
        new PgNotifications.Listener() {
          @Override
          public void onNotification(String channel, String payload) {
            if (PgNotifications.JOBS_CHANNEL.equals(channel)) {
              signals.jobsDue(payload);
            } else if (PgNotifications.CONTROL_CHANNEL.equals(channel)) {
              signals.controlRequested(payload);
            }
          }

          @Override
          public void onReconnect() {
            signals.missedSignals();
          }
        });
  }

  // ---------------------------------------------------------------- nodes

  @Override
  public void registerNode(NodeRow n) {
    db.write((ctx, c) -> ctx.insertInto(nodes)
        .set(N_ID, n.id()).set(N_HOST, n.host()).set(N_QUEUES, n.queues())
        .set(N_STARTED_AT, n.startedAt()).set(N_HEARTBEAT_AT, n.heartbeatAt())
        .set(N_LEASE_MS, n.leaseMs())
        .onConflict(N_ID).doUpdate()
        .set(N_HEARTBEAT_AT, n.heartbeatAt()).set(N_QUEUES, n.queues())
        .set(N_LEASE_MS, n.leaseMs())
        .execute());
  }

  @Override
  public boolean heartbeatNode(String id, long now) {
    return db.write((ctx, c) -> ctx.update(nodes).set(N_HEARTBEAT_AT, now)
        .where(N_ID.eq(id)).execute()) == 1;
  }

  @Override
  public List<NodeRow> staleNodes(long now) {
    return db.read((ctx, c) -> ctx.select(N_ID, N_HOST, N_QUEUES, N_STARTED_AT, N_HEARTBEAT_AT,
            N_LEASE_MS).from(nodes).where(N_HEARTBEAT_AT.lt(DSL.val(now).minus(N_LEASE_MS)))
        .orderBy(N_HEARTBEAT_AT, N_ID).fetch(PostgresJobStore::toNode));
  }

  @Override
  public boolean removeNode(String id) {
    return db.write((ctx, c) -> ctx.deleteFrom(nodes).where(N_ID.eq(id)).execute()) == 1;
  }

  @Override
  public List<NodeRow> nodes() {
    return db.read((ctx, c) -> ctx.select(N_ID, N_HOST, N_QUEUES, N_STARTED_AT, N_HEARTBEAT_AT,
            N_LEASE_MS).from(nodes).orderBy(N_ID).fetch(PostgresJobStore::toNode));
  }

  private static NodeRow toNode(Record r) {
    return new NodeRow(r.get(N_ID), r.get(N_HOST), r.get(N_QUEUES), r.get(N_STARTED_AT),
        r.get(N_HEARTBEAT_AT), r.get(N_LEASE_MS));
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
    return db.write((ctx, c) -> {
      // A later job in the list with the key of an earlier one is not sent: it gets that job's id.
      Set<String> keys = new HashSet<>();
      List<NewJob> sent = new ArrayList<>(jobs.size());
      for (NewJob j : jobs) {
        if (j.idempotencyKey() == null || keys.add(j.idempotencyKey())) {
          sent.add(j);
        }
      }
      int[] counts;
      try (PreparedStatement ins = c.prepareStatement(sqlInsert)) {
        for (NewJob j : sent) {
          JobStatus status = j.runAt() <= now ? JobStatus.QUEUED : JobStatus.SCHEDULED;
          ins.setString(1, j.id());
          ins.setString(2, j.name());
          ins.setBytes(3, j.params());
          ins.setString(4, status.name());
          ins.setInt(5, priorityCode(j.priority()));
          ins.setString(6, j.queue());
          ins.setInt(7, j.maxAttempts());
          ins.setLong(8, j.runAt());
          ins.setArray(9, c.createArrayOf("text", j.tags().toArray()));
          ins.setString(10, j.idempotencyKey());
          ins.setLong(11, j.timeoutMs());
          ins.setLong(12, j.backoffMs());
          ins.setLong(13, now);
          ins.setLong(14, now);
          ins.setLong(15, now);
          ins.addBatch();
        }
        counts = ins.executeBatch(); // each count is the CREATED events written: 1, or 0 on a key
      }
      Set<String> created = new HashSet<>();
      Map<String, String> idOfKey = new HashMap<>();
      List<String> storedKeys = new ArrayList<>();
      Set<String> queues = new LinkedHashSet<>();
      for (int i = 0; i < sent.size(); i++) {
        NewJob j = sent.get(i);
        if (counts[i] == 1) {
          created.add(j.id());
          queues.add(j.queue());
          if (j.idempotencyKey() != null) {
            idOfKey.put(j.idempotencyKey(), j.id());
          }
        } else if (j.idempotencyKey() != null) {
          storedKeys.add(j.idempotencyKey());
        } else {
          throw new IllegalStateException(
              "Insert of job " + j.id() + " wrote " + counts[i] + " events; expected 1");
        }
      }
      if (!storedKeys.isEmpty()) {
        ctx.select(J_IDEMPOTENCY_KEY, J_ID).from(this.jobs)
            .where(J_IDEMPOTENCY_KEY.eq(DSL.any(storedKeys.toArray(String[]::new))))
            .fetch().forEach(r -> idOfKey.put(r.get(J_IDEMPOTENCY_KEY), r.get(J_ID)));
      }
      notify(c, PgNotifications.JOBS_CHANNEL, queues);
      List<InsertResult> results = new ArrayList<>(jobs.size());
      for (NewJob j : jobs) {
        results.add(created.contains(j.id())
            ? new InsertResult(j.id(), true)
            : new InsertResult(idOfKey.get(j.idempotencyKey()), false));
      }
      return results;
    });
  }

  /** Notifies {@code channel} once per payload, delivered when the transaction commits. */
  private static void notify(Connection c, String channel, Set<String> payloads)
      throws SQLException {
    if (payloads.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")) {
      ps.setString(1, channel);
      ps.setArray(2, c.createArrayOf("text", payloads.toArray()));
      ps.execute();
    }
  }

  // ---------------------------------------------------------------- claiming

  @Override
  public List<ClaimedJob> claim(ClaimRequest req) {
    return db.write((ctx, c) -> {
      boolean one = req.queues().size() == 1;
      List<ClaimedJob> claimed = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement(one ? sqlClaimOneQueue : sqlClaimQueues)) {
        int p = 1;
        if (one) {
          q.setString(p++, req.queues().get(0));
        } else {
          q.setArray(p++, c.createArrayOf("text", req.queues().toArray()));
        }
        q.setLong(p++, req.now());
        q.setInt(p++, req.limit());
        q.setString(p++, req.owner());
        q.setLong(p++, req.leaseExpiresAt());
        q.setLong(p++, req.now());
        q.setLong(p++, req.now());
        q.setLong(p++, req.now());
        q.setString(p, req.owner());
        try (ResultSet r = q.executeQuery()) {
          // columns as in claimSql: id, name, params, state, state_version, from_status,
          // priority, queue, attempts, max_attempts, lease_epoch, timeout_ms, resumed, backoff_ms
          while (r.next()) {
            String id = r.getString(1);
            JobStatus from = JobStatus.valueOf(r.getString(6));
            // Checked after the statement; a failure rolls the whole claim back.
            JobTransitions.check(id, from, JobStatus.RUNNING);
            claimed.add(new ClaimedJob(id, r.getString(2), r.getBytes(3), r.getBytes(4),
                r.getLong(5), priorityOf(r.getInt(7)), r.getString(8), r.getInt(9), r.getInt(10),
                r.getLong(11), req.leaseExpiresAt(), r.getLong(12), r.getBoolean(13), from,
                r.getLong(14)));
          }
        }
      }
      return claimed;
    });
  }

  @Override
  public List<LeaseState> renewLeases(String owner, long leaseExpiresAt, long now) {
    return db.write((ctx, c) -> {
      List<LeaseState> held = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sqlRenew)) {
        ps.setString(1, owner);
        ps.setLong(2, leaseExpiresAt);
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            held.add(new LeaseState(r.getString(1), r.getLong(2), r.getBoolean(3),
                r.getBoolean(4)));
          }
        }
      }
      held.sort(Comparator.comparing(LeaseState::id));
      return held;
    });
  }

  @Override
  public boolean checkpoint(String id, long epoch, byte[] state, long now) {
    return db.write((ctx, c) -> {
      try (PreparedStatement ps = c.prepareStatement(sqlCheckpoint)) {
        ps.setBytes(1, state);
        ps.setLong(2, now);
        ps.setString(3, id);
        ps.setLong(4, epoch);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateProgress(String id, long epoch, String progressJson, long now) {
    return db.write((ctx, c) -> ctx.update(jobs)
        .set(J_PROGRESS, progressJson)
        .set(J_UPDATED_AT, now)
        .where(held(id, epoch))
        .execute() == 1);
  }

  @Override
  public boolean appendLogs(String id, long epoch, List<LogLine> lines) {
    return db.write((ctx, c) -> {
      // FOR SHARE holds off a recovery or takeover of the job until the lines are in.
      if (ctx.selectOne().from(jobs).where(held(id, epoch)).forShare().fetchOne() == null) {
        return false;
      }
      if (lines.isEmpty()) {
        return true;
      }
      BatchBindStep batch = ctx.batch(ctx.insertInto(logs, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE,
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
    return db.write((ctx, c) -> {
      Set<String> won = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement(sqlComplete)) {
        ps.setArray(1, c.createArrayOf("text",
            completions.stream().map(Completion::id).toArray()));
        ps.setArray(2, c.createArrayOf("int8",
            completions.stream().map(Completion::epoch).toArray()));
        ps.setArray(3, c.createArrayOf("text",
            completions.stream().map(Completion::outputJson).toArray()));
        ps.setLong(4, now);
        ps.setLong(5, now);
        ps.setLong(6, now);
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            won.add(r.getString(1));
          }
        }
      }
      List<String> inOrder = new ArrayList<>(won.size());
      for (Completion comp : completions) {
        if (won.remove(comp.id())) {
          inOrder.add(comp.id());
        } else if (!inOrder.contains(comp.id())) {
          log.debug("Lease lost on completion of {}", comp.id());
        }
      }
      return inOrder;
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
    return db.write((ctx, c) -> {
      Map<Field<?>, Object> all = new LinkedHashMap<>(set);
      all.put(J_STATUS, to.name());
      all.put(J_LEASE_OWNER, null);
      all.put(J_LEASE_EXPIRES_AT, null);
      all.put(J_CANCEL_REQUESTED, false);
      all.put(J_PAUSE_REQUESTED, false);
      all.put(J_UPDATED_AT, now);
      int n = ctx.update(jobs).set(all).where(held(id, epoch)).execute();
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
    return db.write((ctx, c) -> {
      Record r = lockForControl(ctx, id, J_STATUS);
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from == JobStatus.CANCELLED) {
        return new ControlResult(Outcome.UNCHANGED, from);
      }
      if (from == JobStatus.RUNNING) {
        return requestFlag(ctx, c, id, J_CANCEL_REQUESTED, JobEvent.Type.CANCEL_REQUESTED, now);
      }
      return changeStatus(ctx, id, from, JobStatus.CANCELLED, now, Map.of(J_FINISHED_AT, now));
    });
  }

  @Override
  public ControlResult requestPause(String id, long now) {
    return db.write((ctx, c) -> {
      Record r = lockForControl(ctx, id, J_STATUS);
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from == JobStatus.PAUSED) {
        return new ControlResult(Outcome.UNCHANGED, from);
      }
      if (from == JobStatus.RUNNING) {
        return requestFlag(ctx, c, id, J_PAUSE_REQUESTED, JobEvent.Type.PAUSE_REQUESTED, now);
      }
      return changeStatus(ctx, id, from, JobStatus.PAUSED, now, Map.of());
    });
  }

  @Override
  public ControlResult resume(String id, long now) {
    return db.write((ctx, c) -> {
      Record r = lockForControl(ctx, id, J_STATUS, J_RUN_AT, J_PAUSE_REQUESTED);
      if (r == null) {
        return new ControlResult(Outcome.NOT_FOUND, null);
      }
      JobStatus from = JobStatus.valueOf(r.get(J_STATUS));
      if (from == JobStatus.RUNNING) {
        // A pause not yet acted on is simply withdrawn.
        int n = ctx.update(jobs).set(J_PAUSE_REQUESTED, false).set(J_UPDATED_AT, now)
            .where(J_ID.eq(id)).and(IS_RUNNING).and(J_PAUSE_REQUESTED.isTrue()).execute();
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
    return db.write((ctx, c) -> {
      Record r = lockForControl(ctx, id, J_STATUS);
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

  /** Reads a job for a control call, locking it until the transaction ends; null if absent. */
  private Record lockForControl(DSLContext ctx, String id, Field<?>... fields) {
    return ctx.select(fields).from(jobs).where(J_ID.eq(id)).forNoKeyUpdate().fetchOne();
  }

  private ControlResult requestFlag(DSLContext ctx, Connection c, String id, Field<Boolean> flag,
      JobEvent.Type type, long now) throws SQLException {
    int n = ctx.update(jobs).set(flag, true).set(J_UPDATED_AT, now)
        .where(J_ID.eq(id)).and(IS_RUNNING).and(flag.isFalse()).execute();
    if (n == 0) {
      return new ControlResult(Outcome.UNCHANGED, JobStatus.RUNNING);
    }
    insertEvent(ctx, id, now, type, null, null, null);
    notify(c, PgNotifications.CONTROL_CHANNEL, Set.of(id));
    return new ControlResult(Outcome.REQUESTED, JobStatus.RUNNING);
  }

  /** A checked status change of a job not held by a worker, locked by {@link #lockForControl}. */
  private ControlResult changeStatus(DSLContext ctx, String id, JobStatus from,
      JobStatus to, long now, Map<Field<?>, Object> extra) {
    JobTransitions.check(id, from, to);
    Map<Field<?>, Object> set = new LinkedHashMap<>(extra);
    set.put(J_STATUS, to.name());
    set.put(J_CANCEL_REQUESTED, false);
    set.put(J_PAUSE_REQUESTED, false);
    set.put(J_UPDATED_AT, now);
    int n = ctx.update(jobs).set(set).where(J_ID.eq(id)).and(J_STATUS.eq(from.name())).execute();
    if (n != 1) {
      throw new IllegalStateException("Job " + id + " changed status under its row lock");
    }
    insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, from, to, null);
    if (to == JobStatus.QUEUED) {
      // Wakes idle workers of the job's queue on every node (on commit).
      notifyJobsDue(ctx, Set.of(ctx.select(J_QUEUE).from(jobs).where(J_ID.eq(id)).fetchOne(J_QUEUE)));
    }
    return new ControlResult(Outcome.APPLIED, to);
  }

  /** Notifies {@link PgNotifications#JOBS_CHANNEL} once per queue, on commit. */
  private static void notifyJobsDue(DSLContext ctx, Set<String> queues) {
    for (String q : queues) {
      ctx.execute("SELECT pg_notify(?, ?)", PgNotifications.JOBS_CHANNEL, q);
    }
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
  public List<String> recoverDeadNode(String owner, long now) {
    return recover(J_LEASE_OWNER.eq(owner).and(J_LEASE_EXPIRES_AT.lt(now)), now,
        "owner " + owner + " gone");
  }

  @Override
  public List<String> runningOwners() {
    return db.read((ctx, c) -> ctx.selectDistinct(J_LEASE_OWNER).from(jobs).where(IS_RUNNING)
        .and(J_LEASE_OWNER.isNotNull()).orderBy(J_LEASE_OWNER).fetch(J_LEASE_OWNER));
  }

  /**
   * The one recovery path for restarts and dead workers: RUNNING jobs go back to QUEUED marked
   * resumed, or straight to CANCELLED / PAUSED when a user asked for that before the worker died.
   * Jobs locked at this moment (a worker finishing them, or another node recovering them) are
   * skipped; a later pass sees them if they are still expired.
   */
  private List<String> recover(Condition which, long now, String reason) {
    return db.write((ctx, c) -> {
      var rows = ctx.select(J_ID, J_LEASE_EPOCH, J_CANCEL_REQUESTED, J_PAUSE_REQUESTED, J_QUEUE)
          .from(jobs).where(IS_RUNNING).and(which).orderBy(J_ID)
          .forNoKeyUpdate().skipLocked().fetch();
      List<String> ids = new ArrayList<>(rows.size());
      List<Query> updates = new ArrayList<>(rows.size());
      EventBatch batch = new EventBatch(ctx, events);
      Set<String> queues = new HashSet<>();
      for (var r : rows) {
        String id = r.get(J_ID);
        JobStatus to = r.get(J_CANCEL_REQUESTED) ? JobStatus.CANCELLED
            : r.get(J_PAUSE_REQUESTED) ? JobStatus.PAUSED : JobStatus.QUEUED;
        if (to == JobStatus.QUEUED) {
          queues.add(r.get(J_QUEUE));
        }
        JobTransitions.check(id, JobStatus.RUNNING, to);
        updates.add(ctx.update(jobs)
            .set(J_STATUS, to.name())
            .set(J_LEASE_OWNER, (String) null)
            .set(J_LEASE_EXPIRES_AT, (Long) null)
            .set(J_CANCEL_REQUESTED, false)
            .set(J_PAUSE_REQUESTED, false)
            .set(J_RESUMED, true)
            .set(J_RUN_AT, now)
            .set(J_FINISHED_AT, to.isTerminal() ? now : 0L)
            .set(J_UPDATED_AT, now)
            .where(held(id, r.get(J_LEASE_EPOCH))));
        batch.add(id, now, JobEvent.Type.RECOVERED, JobStatus.RUNNING, to, reason);
        ids.add(id);
      }
      if (!updates.isEmpty()) {
        ctx.batch(updates).execute();
      }
      batch.execute();
      notifyJobsDue(ctx, queues);
      if (!ids.isEmpty()) {
        log.info("Recovered {} running jobs ({})", ids.size(), reason);
      }
      return ids;
    });
  }

  // ---------------------------------------------------------------- queries

  @Override
  public Optional<JobRow> get(String id) {
    return db.read((ctx, c) -> ctx.select(ALL_FIELDS).from(jobs).where(J_ID.eq(id))
        .fetchOptional(PostgresJobStore::toRow));
  }

  @Override
  public Optional<JobRow> findByIdPrefix(String prefix) {
    String p = prefix.toUpperCase(Locale.ROOT);
    if (p.isEmpty() || !JobIds.isIdChars(p)) {
      return Optional.empty();
    }
    // A range on the primary key (collation "C"); up to three rows name candidates when ambiguous.
    List<JobRow> rows = db.read((ctx, c) -> ctx.select(ALL_FIELDS).from(jobs)
        .where(J_ID.ge(p)).and(J_ID.lt(p + '\u007f')).orderBy(J_ID).limit(3)
        .fetch(PostgresJobStore::toRow));
    if (rows.size() > 1) {
      throw new AmbiguousJobIdException(prefix,
          rows.stream().map(JobRow::id).collect(Collectors.toList()));
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
      where.add(J_STATUS.in(f.statuses().stream().map(Enum::name).sorted()
          .collect(Collectors.toList())));
    }
    if (!f.names().isEmpty()) {
      where.add(J_NAME.in(f.names()));
    }
    if (f.tag() != null) {
      // The inlined tags <> '{}' lets the planner use the partial GIN index jobkit_jobs_tags.
      where.add(DSL.condition("{0} <> '{}'::text[] AND {0} @> ARRAY[{1}]::text[]", J_TAGS,
          DSL.val(f.tag())));
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
    List<JobRow> rows = db.read((ctx, c) -> ctx.select(ALL_FIELDS).from(jobs).where(where)
        .orderBy(J_ID.desc()).limit(limit + 1).fetch(PostgresJobStore::toRow));
    if (rows.size() > limit) {
      List<JobRow> page = rows.subList(0, limit);
      return new Page<>(page, page.get(limit - 1).id());
    }
    return new Page<>(rows, null);
  }

  @Override
  public List<JobEvent> events(String jobId) {
    return db.read((ctx, c) -> ctx.select(E_ID, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL)
        .from(events).where(E_JOB_ID.eq(jobId)).orderBy(E_ID)
        .fetch(r -> new JobEvent(r.get(E_ID), r.get(E_JOB_ID), r.get(E_AT),
            JobEvent.Type.valueOf(r.get(E_TYPE)), statusOrNull(r.get(E_FROM)),
            statusOrNull(r.get(E_TO)), r.get(E_DETAIL))));
  }

  @Override
  public List<LogLine> logs(String jobId, LogLevel minLevel, long afterId, int limit) {
    return db.read((ctx, c) -> ctx.select(L_ID, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE, L_ATTEMPT)
        .from(logs)
        .where(L_JOB_ID.eq(jobId)).and(L_LEVEL.ge(levelCode(minLevel))).and(L_ID.gt(afterId))
        .orderBy(L_ID).limit(limit)
        .fetch(r -> new LogLine(r.get(L_ID), r.get(L_JOB_ID), r.get(L_AT),
            levelOf(r.get(L_LEVEL)), r.get(L_MESSAGE), r.get(L_ATTEMPT))));
  }

  @Override
  public List<StatusCount> countByNameAndStatus() {
    Field<Long> count = DSL.count().cast(Long.class);
    return db.read((ctx, c) -> ctx.select(J_NAME, J_STATUS, count).from(jobs)
        .groupBy(J_NAME, J_STATUS).orderBy(J_NAME, J_STATUS)
        .fetch(r -> new StatusCount(r.get(J_NAME), JobStatus.valueOf(r.get(J_STATUS)),
            r.get(count))));
  }

  @Override
  public long cleanup(long finishedBefore, boolean dryRun) {
    Condition old = J_STATUS.in(terminalNames()).and(J_FINISHED_AT.gt(0L))
        .and(J_FINISHED_AT.lt(finishedBefore));
    if (dryRun) {
      return db.read((ctx, c) -> (long) ctx.fetchCount(jobs, old));
    }
    // Events and logs go with their job through ON DELETE CASCADE.
    long n = db.write((ctx, c) -> (long) ctx.deleteFrom(jobs).where(old).execute());
    log.info("Cleaned up {} finished jobs from {} schema {}", n, db.location(), db.schema());
    return n;
  }

  /**
   * Sizes of jobkit's three tables with their indexes and TOAST: {@code sizeBytes} their total,
   * {@code pageSize} the server's block size, {@code pageCount} the blocks they take. Free space
   * inside them and the WAL are the server's business (the WAL is shared by all databases), so
   * {@code freePages} and {@code walBytes} are 0.
   */
  @Override
  public StorageInfo storageInfo() {
    String s = db.schema();
    long[] sizes = db.read((ctx, c) -> {
      Record r = ctx.fetchOne("SELECT current_setting('block_size')::bigint,"
          + " pg_total_relation_size({0}::regclass) + pg_total_relation_size({1}::regclass)"
          + " + pg_total_relation_size({2}::regclass)",
          DSL.val(s + "." + Tables.JOBS), DSL.val(s + "." + Tables.EVENTS),
          DSL.val(s + "." + Tables.LOGS));
      return new long[] {r.get(0, Long.class), r.get(1, Long.class)};
    });
    return new StorageInfo(db.location(), sizes[1], sizes[0], sizes[1] / sizes[0], 0, 0);
  }

  @Override
  public void close() {
    db.close();
    log.debug("Closed job store on {}", db.location());
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
        r.get(J_CANCEL_REQUESTED), r.get(J_PAUSE_REQUESTED), r.get(J_RESUMED),
        r.get(J_PROGRESS), r.get(J_OUTPUT), r.get(J_ERROR), List.of(r.get(J_TAGS)),
        r.get(J_IDEMPOTENCY_KEY), r.get(J_TIMEOUT_MS), r.get(J_CREATED_AT), r.get(J_STARTED_AT),
        r.get(J_FINISHED_AT), r.get(J_UPDATED_AT));
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static JobStatus statusOrNull(String s) {
    return s == null ? null : JobStatus.valueOf(s);
  }

  // Stored codes are explicit, with gaps, so reordering or adding enum constants never changes
  // the meaning of existing rows. The same codes as SQLite's, so data can move between dialects.
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

  private void insertEvent(DSLContext ctx, String id, long at, JobEvent.Type type,
      JobStatus from, JobStatus to, String detail) {
    ctx.insertInto(events, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL)
        .values(id, at, type.name(), from == null ? null : from.name(),
            to == null ? null : to.name(), detail)
        .execute();
  }

  /** Event rows collected during a transaction and written as one JDBC batch. */
  private static final class EventBatch {
    private final BatchBindStep batch;
    private int size;

    EventBatch(DSLContext ctx, Table<Record> events) {
      this.batch = ctx.batch(ctx.insertInto(events, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL)
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
