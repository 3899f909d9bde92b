package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.SqlJobStore.IS_RUNNING;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_CANCEL_REQUESTED;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_EPOCH;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_EXPIRES_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_OWNER;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_PAUSE_REQUESTED;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.LeaseState;
import dev.jobkit.runtime.internal.store.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectForUpdateStep;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * SQLite: one writer at a time per file. Every write transaction starts with {@code BEGIN
 * IMMEDIATE}, which takes the file's write lock, so a claim may select due jobs and then update
 * them: nobody else can write in between, in this process or another. The updates are still guarded
 * by the epoch and status read, so a flaw in that reasoning would show as a skipped job, never as a
 * double claim. Rows need no locks, and other nodes on the same host are woken by polling.
 */
final class SqliteDialect extends Dialect {

  /**
   * The claim query of one tenant's jobs without limits in {@code queues} queues (#14 fair
   * claiming: one range of {@code jobkit_jobs_claim} per tenant); a test checks SQLite serves it
   * from the index in claim order. Columns: those {@link SqlJobStore#claimedJob} reads, the tenant
   * 17th. Parameters: the queues, the tenant, now, the limit.
   */
  static String claimSelectSql(int queues) {
    return "SELECT id, name, params, state, state_version, status, priority, queue, attempts,"
        + " max_attempts, lease_epoch, timeout_ms, resumed, backoff_ms, run_at, trace_context,"
        + " tenant FROM "
        + Tables.JOBS
        + " WHERE "
        + SqlJobStore.CLAIMABLE_SQL
        + " AND queue IN ("
        + String.join(", ", Collections.nCopies(queues, "?"))
        + ")"
        + " AND tenant = ? AND run_at <= ? AND limit_keys IS NULL"
        + " ORDER BY priority DESC, run_at, id LIMIT ?";
  }

  private static final String CLAIM_UPDATE =
      "UPDATE "
          + Tables.JOBS
          + " SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?,"
          + " lease_epoch = ?, attempts = ?,"
          + " started_at = CASE WHEN started_at = 0 THEN ? ELSE started_at END, updated_at = ?"
          + " WHERE id = ? AND lease_epoch = ? AND status = ?";

  private static final String COMPLETE =
      "UPDATE "
          + Tables.JOBS
          + " SET status = 'COMPLETED', output = ?, finished_at = ?,"
          + " updated_at = ?, lease_owner = NULL, lease_expires_at = NULL,"
          + " cancel_requested = FALSE, pause_requested = FALSE"
          + " WHERE id = ? AND lease_epoch = ? AND status = 'RUNNING'";

  // #12 dependencies: the completion of a job without children is COMPLETE with this condition;
  // a job it leaves alone has children (or lost its lease) and goes through COMPLETE_PARENT.
  private static final String COMPLETE_CHILDLESS = COMPLETE + " AND has_children = FALSE";
  private static final String COMPLETE_PARENT = COMPLETE + " AND has_children = TRUE";

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
    // #14 fair claiming: shares of the tenants, each read then updated under the write lock.
    List<ClaimedJob> free =
        store.fair.claim(c, req, locked, shares -> claimShares(store, c, req, shares));
    return SqlLimits.both(limited, free);
  }

  /**
   * Claims each share: its tenant's due jobs read in claim order, one query per tenant (in process:
   * no round trips to save), then all made RUNNING with their events.
   */
  private static FairClaim.Claimed claimShares(
      SqlJobStore store, Connection c, ClaimRequest req, List<FairClaim.Share> shares)
      throws SQLException {
    Database db = store.db;
    List<ClaimedJob> claimed = new ArrayList<>();
    Map<String, Integer> perTenant = new HashMap<>();
    for (FairClaim.Share share : shares) {
      int before = claimed.size();
      db.prepared(
          c,
          claimSelectSql(req.queues().size()),
          q -> {
            int p = 1;
            for (String queue : req.queues()) {
              q.setString(p++, queue);
            }
            q.setString(p++, share.tenant());
            q.setLong(p++, req.now());
            q.setInt(p, share.jobs());
            try (ResultSet r = q.executeQuery()) {
              while (r.next()) {
                // Read before the update below: the claim's attempt and epoch are one more.
                claimed.add(SqlJobStore.claimedJob(r, req, 1));
              }
            }
            return null;
          });
      perTenant.put(share.tenant(), claimed.size() - before);
    }
    if (claimed.isEmpty()) {
      return new FairClaim.Claimed(claimed, perTenant);
    }
    db.prepared(
        c,
        CLAIM_UPDATE,
        update -> {
          for (ClaimedJob j : claimed) {
            update.setString(1, req.owner());
            update.setLong(2, req.leaseExpiresAt());
            update.setLong(3, j.epoch());
            update.setInt(4, j.attempt());
            update.setLong(5, req.now());
            update.setLong(6, req.now());
            update.setString(7, j.id());
            update.setLong(8, j.epoch() - 1);
            update.setString(9, j.previousStatus().name());
            update.addBatch();
          }
          for (int n : update.executeBatch()) {
            // The write lock is held since the select, so nobody can have changed these rows.
            if (n != 1) {
              throw new IllegalStateException(
                  "Claim updated " + n + " rows for one job; the write lock did not hold");
            }
          }
          return null;
        });
    db.prepared(
        c,
        store.sqlInsertEvent,
        ev -> {
          for (ClaimedJob j : claimed) {
            SqlJobStore.addEvent(
                ev,
                j.id(),
                req.now(),
                JobEvent.Type.STATUS_CHANGED,
                j.previousStatus(),
                JobStatus.RUNNING,
                req.owner());
          }
          return ev.executeBatch();
        });
    return new FairClaim.Claimed(claimed, perTenant);
  }

  /**
   * Jobs without idempotency keys in statements of many rows (see {@link
   * SqlJobStore#insertMultiRow}), others as the default; and tells fair claiming which tenants now
   * have jobs (#14).
   */
  @Override
  boolean[] insertRows(
      SqlJobStore store, Connection c, List<NewJob> jobs, long now, Set<String> waiting)
      throws SQLException {
    boolean[] inserted =
        SqlJobStore.anyKeyed(jobs)
            ? super.insertRows(store, c, jobs, now, waiting)
            : store.insertMultiRow(c, jobs, now, waiting);
    store.fair.inserted(jobs, now);
    return inserted;
  }

  @Override
  List<LeaseState> renewLeases(
      SqlJobStore store, DSLContext ctx, Connection c, String owner, long leaseExpiresAt) {
    Tables t = store.t;
    ctx.update(t.jobs)
        .set(J_LEASE_EXPIRES_AT, leaseExpiresAt)
        .where(J_LEASE_OWNER.eq(owner))
        .and(IS_RUNNING)
        .execute();
    return ctx.select(J_ID, J_LEASE_EPOCH, J_CANCEL_REQUESTED, J_PAUSE_REQUESTED)
        .from(t.jobs)
        .where(J_LEASE_OWNER.eq(owner))
        .and(IS_RUNNING)
        .orderBy(J_ID)
        .fetch(
            r ->
                new LeaseState(
                    r.get(J_ID),
                    r.get(J_LEASE_EPOCH),
                    r.get(J_CANCEL_REQUESTED),
                    r.get(J_PAUSE_REQUESTED)));
  }

  @Override
  List<String> completeAll(
      SqlJobStore store,
      Connection c,
      List<Completion> completions,
      long now,
      Set<String> withChildren)
      throws SQLException {
    int[] counts = completeBatch(store, c, COMPLETE_CHILDLESS, completions, now);
    // #12 dependencies: the rest have children, or lost their leases (rare).
    List<Completion> rest = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 1) {
        rest.add(completions.get(i));
      }
    }
    if (!rest.isEmpty()) {
      int[] parents = completeBatch(store, c, COMPLETE_PARENT, rest, now);
      for (int i = 0; i < parents.length; i++) {
        if (parents[i] == 1) {
          withChildren.add(rest.get(i).id());
        }
      }
    }
    List<String> won = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      String id = completions.get(i).id();
      if (counts[i] == 1 || withChildren.contains(id)) {
        won.add(id);
      }
    }
    if (!won.isEmpty()) {
      store.db.prepared(
          c,
          store.sqlInsertEvent,
          ev -> {
            for (String id : won) {
              SqlJobStore.addEvent(
                  ev,
                  id,
                  now,
                  JobEvent.Type.STATUS_CHANGED,
                  JobStatus.RUNNING,
                  JobStatus.COMPLETED,
                  null);
            }
            return ev.executeBatch();
          });
    }
    return won;
  }

  private static int[] completeBatch(
      SqlJobStore store, Connection c, String sql, List<Completion> completions, long now)
      throws SQLException {
    return store.db.prepared(
        c,
        sql,
        update -> {
          for (Completion comp : completions) {
            update.setString(1, comp.outputJson());
            update.setLong(2, now);
            update.setLong(3, now);
            update.setString(4, comp.id());
            update.setLong(5, comp.epoch());
            update.addBatch();
          }
          return update.executeBatch();
        });
  }

  // The write transaction holds the file's lock: rows need none.
  @Override
  <R extends Record> ResultQuery<R> forUpdate(SelectForUpdateStep<R> select) {
    return select;
  }

  @Override
  <R extends Record> ResultQuery<R> forUpdateSkipLocked(SelectForUpdateStep<R> select) {
    return select;
  }

  @Override
  <R extends Record> ResultQuery<R> forShare(SelectForUpdateStep<R> select) {
    return select;
  }

  // ---- migrations

  @Override
  String migrationsRoot() {
    return "/dev/jobkit/runtime/migrations/sqlite/";
  }

  @Override
  List<String> scripts() {
    return Migrations.SQLITE;
  }

  @Override
  void beginMigration(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
  }

  @Override
  void endMigration(Connection c, boolean ok) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(ok ? "COMMIT" : "ROLLBACK");
    }
  }

  /** Release 0.1 named the version table {@code schema_version}; version 4 renames it. */
  private static final String LEGACY_VERSION_TABLE = "schema_version";

  @Override
  int schemaVersion(Connection c, String schema) throws SQLException {
    if (tableExists(c, Migrations.VERSION_TABLE)) {
      return Migrations.recordedVersion(c, Migrations.VERSION_TABLE);
    }
    if (tableExists(c, LEGACY_VERSION_TABLE)) {
      return Migrations.recordedVersion(c, LEGACY_VERSION_TABLE);
    }
    return 0;
  }

  @Override
  void beforeScripts(Connection c, String schema) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (tableExists(c, LEGACY_VERSION_TABLE)) {
        s.execute("ALTER TABLE " + LEGACY_VERSION_TABLE + " RENAME TO " + Migrations.VERSION_TABLE);
      } else {
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + Migrations.VERSION_TABLE
                + " (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                + " applied_at BIGINT NOT NULL)");
      }
    }
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  String describe(String schema, String location) {
    return "Job database " + location;
  }

  // ---- #16 retention ----

  @Override
  Table<Record> jobsByFinishedAt(Tables t) {
    return DSL.table("{0} INDEXED BY jobkit_jobs_finished", t.jobs);
  }

  // ---- end #16 retention ----
}
