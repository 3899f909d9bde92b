package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.LeaseState;
import dev.jobkit.runtime.internal.store.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectForUpdateStep;

/**
 * PostgreSQL: many nodes share one database, so rows are locked, not the database. A claim selects
 * due jobs {@code FOR NO KEY UPDATE SKIP LOCKED} and updates them in the same statement, so two
 * claimers never wait for each other and never get the same job. Statements that lock several rows
 * lock them in id order (or skip locked ones), so two of the store's transactions cannot deadlock.
 * New work and control requests are announced with {@code pg_notify}, delivered on commit ({@link
 * PgNotifications}).
 */
final class PostgresDialect extends Dialect {
  /**
   * The first key of the two-key advisory lock taken while migrating ("jk" in ASCII); the second is
   * the hash of the schema name, so schemas migrate independently.
   */
  static final int LOCK_CLASS = 0x6a6b;

  /**
   * Selects the due jobs of one tenant, skipping those another claimer has locked, and makes them
   * RUNNING with their events, in one statement: one range of {@code jobkit_jobs_claim}, read in
   * claim order. Returns the claimed rows with the status each was claimed from. Parameters: the
   * queue (or the array of queues), the tenant, now, the limit, then those of {@link #claimTail}.
   */
  static String claimSql(Tables t, boolean oneQueue) {
    return "WITH due AS (SELECT id, status FROM "
        + t.jobsSql
        + " WHERE "
        + SqlJobStore.CLAIMABLE_SQL
        + (oneQueue ? " AND queue = ?" : " AND queue = ANY (?)")
        + " AND tenant = ? AND run_at <= ? AND limit_keys IS NULL"
        + " ORDER BY priority DESC, run_at, id LIMIT ? FOR NO KEY UPDATE SKIP LOCKED),"
        + claimTail(t);
  }

  /**
   * As {@link #claimSql} for {@code tenants} tenants at once (#14 fair claiming), still one
   * statement: a CTE per tenant takes its share of the tenant's due jobs in claim order, each the
   * same index range as one tenant's claim with its own bound {@code LIMIT} (so the planner knows
   * how few rows each gives: with the counts in an array joined {@code LATERAL}, it expected a
   * thousand per tenant and made the update read the whole table). Parameters: per tenant, the
   * queue (or the array of queues), the tenant, now, its count; then those of {@link #claimTail}.
   */
  static String claimSharesSql(Tables t, boolean oneQueue, int tenants) {
    StringBuilder sql = new StringBuilder("WITH ");
    for (int i = 0; i < tenants; i++) {
      sql.append("d")
          .append(i)
          .append(" AS (SELECT id, status FROM ")
          .append(t.jobsSql)
          .append(" WHERE ")
          .append(SqlJobStore.CLAIMABLE_SQL)
          .append(oneQueue ? " AND queue = ?" : " AND queue = ANY (?)")
          .append(" AND tenant = ? AND run_at <= ? AND limit_keys IS NULL")
          .append(" ORDER BY priority DESC, run_at, id LIMIT ? FOR NO KEY UPDATE SKIP LOCKED), ");
    }
    sql.append("due AS (");
    for (int i = 0; i < tenants; i++) {
      sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT * FROM d").append(i);
    }
    return sql.append("),").append(claimTail(t)).toString();
  }

  /**
   * The update and events of a claim over the CTE {@code due}; returns the claimed rows in claim
   * order, each with its tenant last. Parameters: owner, lease expiry, now (started), now
   * (updated), now (event), owner (event detail).
   */
  private static String claimTail(Tables t) {
    return " claimed AS (UPDATE "
        + t.jobsSql
        + " AS j SET status = 'RUNNING', lease_owner = ?,"
        + " lease_expires_at = ?, lease_epoch = j.lease_epoch + 1, attempts = j.attempts + 1,"
        + " started_at = CASE WHEN j.started_at = 0 THEN ? ELSE j.started_at END, updated_at = ?"
        + " FROM due WHERE j.id = due.id"
        + " RETURNING j.id, j.name, j.params, j.state, j.state_version, due.status AS from_status,"
        + " j.priority, j.queue, j.attempts, j.max_attempts, j.lease_epoch, j.timeout_ms,"
        + " j.resumed, j.backoff_ms, j.run_at, j.trace_context, j.tenant),"
        + " ev AS (INSERT INTO "
        + t.eventsSql
        + " (job_id, at, type, from_status, to_status, detail)"
        + " SELECT id, ?, 'STATUS_CHANGED', from_status, 'RUNNING', ? FROM claimed)"
        + " SELECT * FROM claimed ORDER BY priority DESC, run_at, id";
  }

  @Override
  List<ClaimedJob> claim(SqlJobStore store, Connection c, ClaimRequest request)
      throws SQLException {
    // #12 limits: limited jobs first (SqlLimits), then the others as before.
    Set<String> locked = new TreeSet<>(); // jobkit_limits rows held (#14 max running)
    List<ClaimedJob> limited = store.limits.claim(c, request, locked);
    if (limited.size() >= request.limit()) {
      return limited;
    }
    ClaimRequest req = SqlLimits.remaining(request, limited.size());
    // #14 fair claiming: the shares of the tenants, all in one statement.
    List<ClaimedJob> free =
        store.fair.claim(c, req, locked, shares -> claimShares(store, c, req, shares));
    return SqlLimits.both(limited, free);
  }

  private static FairClaim.Claimed claimShares(
      SqlJobStore store, Connection c, ClaimRequest req, List<FairClaim.Share> shares)
      throws SQLException {
    boolean one = req.queues().size() == 1;
    boolean oneTenant = shares.size() == 1;
    return store.db.prepared(
        c,
        oneTenant ? claimSql(store.t, one) : claimSharesSql(store.t, one, shares.size()),
        q -> {
          int p = 1;
          for (FairClaim.Share share : shares) {
            p = bindQueues(c, q, p, req);
            q.setString(p++, share.tenant());
            q.setLong(p++, req.now());
            q.setInt(p++, share.jobs());
          }
          q.setString(p++, req.owner());
          q.setLong(p++, req.leaseExpiresAt());
          q.setLong(p++, req.now());
          q.setLong(p++, req.now());
          q.setLong(p++, req.now());
          q.setString(p, req.owner());
          List<ClaimedJob> claimed = new ArrayList<>();
          Map<String, Integer> perTenant = new HashMap<>();
          try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
              // Returned by the update: attempt and epoch are the claim's already.
              claimed.add(SqlJobStore.claimedJob(r, req, 0));
              perTenant.merge(r.getString(17), 1, Integer::sum);
            }
          }
          return new FairClaim.Claimed(claimed, perTenant);
        });
  }

  private static int bindQueues(Connection c, PreparedStatement q, int p, ClaimRequest req)
      throws SQLException {
    if (req.queues().size() == 1) {
      q.setString(p, req.queues().get(0));
    } else {
      q.setArray(p, c.createArrayOf("text", req.queues().toArray()));
    }
    return p + 1;
  }

  /**
   * Alone, one statement in autocommit (see {@link #insertAlone}); when other threads of this store
   * dispatch at the same moment, their jobs share one transaction ({@link InsertCombiner}).
   */
  @Override
  InsertResult insertOne(SqlJobStore store, NewJob job, long now) {
    return store
        .combiner(
            () ->
                new InsertCombiner(
                    (j, at) -> insertAlone(store, j, at),
                    (jobs, at) ->
                        store.db.write((ctx, c) -> store.insertRowsIn(ctx, c, jobs, at, Set.of()))))
        .insert(job, now);
  }

  /**
   * One statement in autocommit, one round trip: the row and its tags commit together. A repeated
   * idempotency key inserts nothing and returns no row; then the stored job's id is read. A job
   * with neither key nor tags is a plain {@code INSERT}: no {@code ON CONFLICT}, which makes the
   * server insert the row speculatively, and no tags statement. Other nodes are told afterwards
   * ({@link PgWakeups}).
   */
  private static InsertResult insertAlone(SqlJobStore store, NewJob job, long now) {
    boolean plain = job.idempotencyKey() == null && job.tags().isEmpty();
    String sql =
        plain
            ? store.sqlInsertJobPlain
            : "WITH j AS ("
                + store.sqlInsertJob
                + " RETURNING id),"
                + " t AS (INSERT INTO "
                + store.t.tagsSql
                + " (tag, job_id)"
                + " SELECT DISTINCT unnest(?::text[]), id FROM j)"
                + " SELECT id FROM j";
    PostgresDatabase db = (PostgresDatabase) store.db;
    boolean inserted =
        db.autocommit(
            (ctx, c) ->
                db.prepared(
                    c,
                    sql,
                    ps -> {
                      SqlJobStore.bindInsert(ps, job, now, Set.of());
                      if (plain) {
                        return ps.executeUpdate() == 1;
                      }
                      ps.setArray(19, c.createArrayOf("text", job.tags().toArray()));
                      try (ResultSet r = ps.executeQuery()) {
                        return r.next();
                      }
                    }));
    if (inserted) {
      store.fair.inserted(List.of(job), now); // #14 fair claiming
      return new InsertResult(job.id(), true);
    }
    if (job.idempotencyKey() == null) {
      throw new IllegalStateException("Insert of job " + job.id() + " inserted no row");
    }
    String existing =
        db.read((ctx, c) -> store.idsOfKeys(ctx, List.of(job.idempotencyKey())))
            .get(job.idempotencyKey());
    if (existing == null) {
      // The stored job was deleted since the conflict: insert again, through the general path.
      return null;
    }
    return new InsertResult(existing, false);
  }

  /**
   * All rows in one statement: the columns as arrays, {@code unnest}ed, which the server plans and
   * runs once (a JDBC batch runs one statement per row). {@code RETURNING} names the rows that a
   * stored idempotency key did not stop. When no job has a key, nothing can stop one and the
   * statement has neither: {@code ON CONFLICT} makes the server insert each row speculatively (one
   * more WAL record per row) even where the key is null.
   */
  @Override
  boolean[] insertRows(
      SqlJobStore store, Connection c, List<NewJob> jobs, long now, Set<String> waiting)
      throws SQLException {
    boolean keyed = SqlJobStore.anyKeyed(jobs);
    String sql =
        "INSERT INTO "
            + store.t.jobsSql
            + " (id, name, params, status, priority, queue,"
            + " max_attempts, run_at, tags, idempotency_key, timeout_ms, backoff_ms, created_by,"
            + " trace_context, limit_keys, tenant, created_at, updated_at)"
            + " SELECT u.*, ?::int8, ?::int8 FROM unnest(?::text[], ?::text[], ?::bytea[],"
            + " ?::text[], ?::int2[], ?::text[], ?::int4[], ?::int8[], ?::text[], ?::text[],"
            + " ?::int8[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u"
            + (keyed
                ? " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
                    + " RETURNING id"
                : "");
    int n = jobs.size();
    Object[] ids = new Object[n];
    Object[] names = new Object[n];
    byte[][] params = new byte[n][];
    Object[] statuses = new Object[n];
    Object[] priorities = new Object[n];
    Object[] queues = new Object[n];
    Object[] maxAttempts = new Object[n];
    Object[] runAts = new Object[n];
    Object[] tags = new Object[n];
    Object[] keys = new Object[n];
    Object[] timeouts = new Object[n];
    Object[] backoffs = new Object[n];
    Object[] createdBys = new Object[n];
    Object[] traceContexts = new Object[n]; // #13 tracing
    Object[] limitKeys = new Object[n];
    Object[] tenants = new Object[n]; // #14 tenants
    for (int i = 0; i < n; i++) {
      NewJob j = jobs.get(i);
      ids[i] = j.id();
      names[i] = j.name();
      params[i] = j.params();
      statuses[i] = SqlJobStore.initialStatus(j, now, waiting).name();
      priorities[i] = (short) SqlJobStore.priorityCode(j.priority());
      queues[i] = j.queue();
      maxAttempts[i] = j.maxAttempts();
      runAts[i] = j.runAt();
      tags[i] = SqlJobStore.encodeTags(j.tags());
      keys[i] = j.idempotencyKey();
      timeouts[i] = j.timeoutMs();
      backoffs[i] = j.backoffMs();
      createdBys[i] = j.createdBy();
      traceContexts[i] = j.traceContext();
      limitKeys[i] = j.limitKeys();
      tenants[i] = j.tenant();
    }
    Set<String> inserted = new HashSet<>();
    store.db.prepared(
        c,
        sql,
        ps -> {
          ps.setLong(1, now);
          ps.setLong(2, now);
          ps.setArray(3, c.createArrayOf("text", ids));
          ps.setArray(4, c.createArrayOf("text", names));
          ps.setArray(5, c.createArrayOf("bytea", params));
          ps.setArray(6, c.createArrayOf("text", statuses));
          ps.setArray(7, c.createArrayOf("int2", priorities));
          ps.setArray(8, c.createArrayOf("text", queues));
          ps.setArray(9, c.createArrayOf("int4", maxAttempts));
          ps.setArray(10, c.createArrayOf("int8", runAts));
          ps.setArray(11, c.createArrayOf("text", tags));
          ps.setArray(12, c.createArrayOf("text", keys));
          ps.setArray(13, c.createArrayOf("int8", timeouts));
          ps.setArray(14, c.createArrayOf("int8", backoffs));
          ps.setArray(15, c.createArrayOf("text", createdBys));
          ps.setArray(16, c.createArrayOf("text", traceContexts));
          ps.setArray(17, c.createArrayOf("text", limitKeys));
          ps.setArray(18, c.createArrayOf("text", tenants));
          if (!keyed) {
            ps.executeUpdate(); // inserts every row, or fails
            return null;
          }
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              inserted.add(r.getString(1));
            }
          }
          return null;
        });
    store.fair.inserted(jobs, now); // #14 fair claiming
    boolean[] result = new boolean[n];
    for (int i = 0; i < n; i++) {
      // A job's id is new, so its row was inserted exactly when its id came back.
      result[i] = !keyed || inserted.contains(jobs.get(i).id());
    }
    return result;
  }

  @Override
  List<LeaseState> renewLeases(
      SqlJobStore store, DSLContext ctx, Connection c, String owner, long leaseExpiresAt)
      throws SQLException {
    // The rows are locked (in id order) by the CTE, whose predicate is rechecked on locking, so
    // the UPDATE joins on id alone: repeating lease_owner and status there made the planner, which
    // expects few RUNNING rows, loop over the CTE for each row (quadratic: minutes for 90,000).
    String j = store.t.jobsSql;
    String sql =
        "WITH mine AS (SELECT id FROM "
            + j
            + " WHERE lease_owner = ? AND status = 'RUNNING' ORDER BY id FOR NO KEY UPDATE)"
            + " UPDATE "
            + j
            + " AS j SET lease_expires_at = ? FROM mine WHERE j.id = mine.id"
            + " RETURNING j.id, j.lease_epoch, j.cancel_requested, j.pause_requested";
    List<LeaseState> held = new ArrayList<>();
    store.db.prepared(
        c,
        sql,
        ps -> {
          ps.setString(1, owner);
          ps.setLong(2, leaseExpiresAt);
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              held.add(
                  new LeaseState(r.getString(1), r.getLong(2), r.getBoolean(3), r.getBoolean(4)));
            }
          }
          return null;
        });
    held.sort(Comparator.comparing(LeaseState::id));
    return held;
  }

  @Override
  List<String> completeAll(
      SqlJobStore store,
      Connection c,
      List<Completion> completions,
      long now,
      Set<String> withChildren)
      throws SQLException {
    // As in renewLeases, the UPDATE joins the locked rows (rechecked on locking) on id alone, and
    // takes the output from them: with status and epoch repeated, the planner (which expects few
    // RUNNING rows) rescanned every RUNNING row for each row of the batch.
    String j = store.t.jobsSql;
    String sql =
        "WITH c AS (SELECT * FROM unnest(?::text[], ?::int8[], ?::text[]) AS c (id, epoch, output)),"
            + " locked AS (SELECT j.id, c.output FROM "
            + j
            + " AS j JOIN c ON j.id = c.id"
            + " AND j.lease_epoch = c.epoch WHERE j.status = 'RUNNING' ORDER BY j.id"
            + " FOR NO KEY UPDATE OF j),"
            + " done AS (UPDATE "
            + j
            + " AS j SET status = 'COMPLETED', output = locked.output,"
            + " finished_at = ?, updated_at = ?, lease_owner = NULL, lease_expires_at = NULL,"
            + " cancel_requested = false, pause_requested = false FROM locked"
            + " WHERE j.id = locked.id RETURNING j.id, j.has_children),"
            + " ev AS (INSERT INTO "
            + store.t.eventsSql
            + " (job_id, at, type, from_status, to_status)"
            + " SELECT id, ?, 'STATUS_CHANGED', 'RUNNING', 'COMPLETED' FROM done)"
            + " SELECT id, has_children FROM done";
    Set<String> won = new HashSet<>();
    store.db.prepared(
        c,
        sql,
        ps -> {
          ps.setArray(
              1, c.createArrayOf("text", completions.stream().map(Completion::id).toArray()));
          ps.setArray(
              2, c.createArrayOf("int8", completions.stream().map(Completion::epoch).toArray()));
          ps.setArray(
              3,
              c.createArrayOf("text", completions.stream().map(Completion::outputJson).toArray()));
          ps.setLong(4, now);
          ps.setLong(5, now);
          ps.setLong(6, now);
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              won.add(r.getString(1));
              if (r.getBoolean(2)) {
                withChildren.add(r.getString(1)); // #12 dependencies
              }
            }
          }
          return null;
        });
    List<String> inOrder = new ArrayList<>(won.size());
    for (Completion comp : completions) {
      if (won.remove(comp.id())) {
        inOrder.add(comp.id());
      }
    }
    return inOrder;
  }

  @Override
  <R extends Record> ResultQuery<R> forUpdate(SelectForUpdateStep<R> select) {
    return select.forNoKeyUpdate();
  }

  @Override
  <R extends Record> ResultQuery<R> forUpdateSkipLocked(SelectForUpdateStep<R> select) {
    return select.forNoKeyUpdate().skipLocked();
  }

  @Override
  <R extends Record> ResultQuery<R> forShare(SelectForUpdateStep<R> select) {
    return select.forShare();
  }

  @Override
  void jobsDue(Connection c, Set<String> queues) throws SQLException {
    notify(c, PgNotifications.JOBS_CHANNEL, queues);
  }

  @Override
  void controlRequested(Connection c, String id) throws SQLException {
    notify(c, PgNotifications.CONTROL_CHANNEL, Set.of(id));
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

  // ---- migrations

  @Override
  String migrationsRoot() {
    return "/dev/jobkit/runtime/migrations/postgres/";
  }

  @Override
  List<String> scripts() {
    return Migrations.POSTGRES;
  }

  /** The caller's transaction; the advisory lock ends with it. */
  @Override
  void beginMigration(Connection c, String schema) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_CLASS);
      lock.setString(2, schema);
      lock.execute();
    }
  }

  @Override
  void endMigration(Connection c, boolean ok) {
    // The caller commits or rolls back its transaction.
  }

  @Override
  int schemaVersion(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?")) {
      ps.setString(1, schema);
      ps.setString(2, Migrations.VERSION_TABLE);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
      }
    }
    return Migrations.recordedVersion(c, schema + "." + Migrations.VERSION_TABLE);
  }

  @Override
  void beforeScripts(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement()) {
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs the right to create even when it exists.
      boolean exists;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        s.execute("CREATE SCHEMA " + schema);
      }
      // Unqualified names in the scripts land in the schema; SET LOCAL ends with the transaction.
      s.execute("SET LOCAL search_path TO " + schema);
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + Migrations.VERSION_TABLE
              + " (version integer PRIMARY KEY, description text NOT NULL,"
              + " applied_at bigint NOT NULL)");
    }
  }

  @Override
  String describe(String schema, String location) {
    return "PostgreSQL schema " + schema + " at " + location;
  }

  // ---- copying rows with their ids (issue #16, see Dialect)

  @Override
  String overridingIds() {
    return " OVERRIDING SYSTEM VALUE";
  }

  @Override
  void idsInserted(Connection c, Tables t) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String table : new String[] {t.eventsSql, t.logsSql}) {
        // is_called = false when the table is empty: the next id is then 1, as on a new table.
        s.execute(
            "SELECT setval(pg_get_serial_sequence('"
                + table
                + "', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM "
                + table);
      }
    }
  }

  // ---- #12 limits (SqlLimits) ----

  @Override
  String limitCandidatesLock() {
    return " FOR NO KEY UPDATE SKIP LOCKED";
  }

  @Override
  String limitRowsLock(boolean wait) {
    return wait ? " FOR UPDATE" : " FOR UPDATE SKIP LOCKED";
  }

  @Override
  String limitContainsFunction() {
    return "strpos";
  }

  @Override
  boolean limitWritesInOneStatement() {
    return true;
  }
}
