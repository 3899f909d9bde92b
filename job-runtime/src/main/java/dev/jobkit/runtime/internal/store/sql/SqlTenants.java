package dev.jobkit.runtime.internal.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.jobkit.runtime.internal.store.AuditRow;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.QuotaRejection;
import dev.jobkit.runtime.internal.store.QuotaRejection.Quota;
import dev.jobkit.runtime.internal.store.TenantCount;
import dev.jobkit.runtime.internal.store.TenantRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * Tenants in {@link SqlJobStore} (#14 tenants): the settings in {@code jobkit_tenants} (with a
 * short cache), the quotas checked in a dispatch's transaction, and the audit trail in {@code
 * jobkit_audit}. The same statements on both databases.
 *
 * <p>Quotas are atomic with the insert across nodes: the dispatch's transaction locks the tenant's
 * row (PostgreSQL: {@code FOR UPDATE}; SQLite: the write lock it already holds), then counts the
 * tenant's waiting jobs in a statement that starts after the lock was granted, so it sees every
 * dispatch into the tenant that committed before, and a concurrent one waits for this one. The
 * count is bounded ({@code LIMIT max_queued + 1}). The submission rate is a GCRA on {@code
 * submit_tat_us}, updated under the same lock. Only tenants that have a quota pay any of this.
 */
final class SqlTenants {
  static final String TENANTS = "jobkit_tenants";
  static final String AUDIT = "jobkit_audit";

  /** Waiting states, counted against max queued (inlined: constant SQL). */
  static final String WAITING_SQL = "status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY', 'WAITING')";

  static final Field<String> N_NAME = field(name("name"), String.class);
  static final Field<Integer> N_WEIGHT = field(name("weight"), Integer.class);
  static final Field<Long> N_MAX_QUEUED = field(name("max_queued"), Long.class);
  static final Field<Integer> N_MAX_RUNNING = field(name("max_running"), Integer.class);
  static final Field<Integer> N_SUBMIT_COUNT = field(name("submit_count"), Integer.class);
  static final Field<Long> N_SUBMIT_PERIOD_MS = field(name("submit_period_ms"), Long.class);
  static final Field<Integer> N_SUBMIT_BURST = field(name("submit_burst"), Integer.class);
  static final Field<Long> N_SUBMIT_TAT_US = field(name("submit_tat_us"), Long.class);
  static final Field<Long> N_MAX_STORED_BYTES = field(name("max_stored_bytes"), Long.class);
  static final Field<String> N_DESCRIPTION = field(name("description"), String.class);
  static final Field<Long> N_CREATED_AT = field(name("created_at"), Long.class);
  static final Field<Long> N_UPDATED_AT = field(name("updated_at"), Long.class);

  private static final List<Field<?>> ALL =
      List.of(
          N_NAME,
          N_WEIGHT,
          N_MAX_QUEUED,
          N_MAX_RUNNING,
          N_SUBMIT_COUNT,
          N_SUBMIT_PERIOD_MS,
          N_SUBMIT_BURST,
          N_SUBMIT_TAT_US,
          N_MAX_STORED_BYTES,
          N_DESCRIPTION,
          N_CREATED_AT,
          N_UPDATED_AT);

  /** A tenant's settings as this store last read them (row null: the tenant has none). */
  private record Cached(TenantRow row, long readAt) {}

  private final SqlJobStore store;
  private final Table<Record> tenants;
  private final String tenantsSql;
  private final String auditSql;
  private final String limitsSql;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  SqlTenants(SqlJobStore store) {
    this.store = store;
    String jobs = store.t.jobsSql;
    String prefix = jobs.substring(0, jobs.length() - Tables.JOBS.length());
    this.tenantsSql = prefix + TENANTS;
    this.auditSql = prefix + AUDIT;
    this.limitsSql = prefix + "jobkit_limits";
    String schema = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
    this.tenants = schema == null ? table(name(TENANTS)) : table(name(schema, TENANTS));
  }

  // ---------------------------------------------------------------- settings

  Optional<TenantRow> settings(String tenant, long now, long maxAgeMs) {
    Cached c = cache.get(tenant);
    if (c != null && now >= c.readAt() && now - c.readAt() < maxAgeMs) {
      return Optional.ofNullable(c.row());
    }
    return Optional.ofNullable(store.db.read((ctx, conn) -> read(ctx, tenant, now)));
  }

  /** {@link #settings} inside a transaction: a miss reads on its connection, not another one. */
  private TenantRow settingsIn(DSLContext ctx, String tenant, long now) {
    Cached c = cache.get(tenant);
    if (c != null && now >= c.readAt() && now - c.readAt() < SqlJobStore.TENANT_CACHE_MS) {
      return c.row();
    }
    return read(ctx, tenant, now);
  }

  private TenantRow read(DSLContext ctx, String tenant, long now) {
    TenantRow row =
        ctx.select(ALL)
            .from(tenants)
            .where(N_NAME.eq(tenant))
            .fetchOptional(SqlTenants::toRow)
            .orElse(null);
    cache.put(tenant, new Cached(row, now));
    return row;
  }

  List<TenantRow> all() {
    return store.db.read(
        (ctx, c) -> ctx.select(ALL).from(tenants).orderBy(N_NAME).fetch(SqlTenants::toRow));
  }

  TenantRow put(TenantRow r, AuditRow audit) {
    TenantRow stored =
        store.db.write(
            (ctx, c) -> {
              store.db.prepared(
                  c,
                  "INSERT INTO "
                      + tenantsSql
                      + " (name, weight, max_queued, max_running, submit_count, submit_period_ms,"
                      + " submit_burst, submit_tat_us, max_stored_bytes, description, created_at,"
                      + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET weight = excluded.weight,"
                      + " max_queued = excluded.max_queued, max_running = excluded.max_running,"
                      + " submit_count = excluded.submit_count,"
                      + " submit_period_ms = excluded.submit_period_ms,"
                      + " submit_burst = excluded.submit_burst,"
                      + " max_stored_bytes = excluded.max_stored_bytes,"
                      + " description = excluded.description, updated_at = excluded.updated_at",
                  ps -> {
                    ps.setString(1, r.name());
                    ps.setInt(2, r.weight());
                    ps.setLong(3, r.maxQueued());
                    ps.setInt(4, r.maxRunning());
                    ps.setInt(5, r.submitCount());
                    ps.setLong(6, r.submitPeriodMs());
                    ps.setInt(7, r.submitBurst());
                    ps.setLong(8, r.maxStoredBytes());
                    ps.setString(9, r.description());
                    ps.setLong(10, r.updatedAt());
                    ps.setLong(11, r.updatedAt());
                    return ps.executeUpdate();
                  });
              setMaxRunning(c, r.name(), r.maxRunning(), r.updatedAt());
              if (audit != null) {
                insertAudit(c, audit);
              }
              return ctx.select(ALL)
                  .from(tenants)
                  .where(N_NAME.eq(r.name()))
                  .fetchOne(SqlTenants::toRow);
            });
    cache.put(r.name(), new Cached(stored, r.updatedAt()));
    store.fair.weights.invalidate(); // this process sees its change at once
    return stored;
  }

  boolean delete(String tenant, long now, AuditRow audit) {
    boolean deleted =
        store.db.write(
            (ctx, c) -> {
              if (ctx.deleteFrom(tenants).where(N_NAME.eq(tenant)).execute() == 0) {
                return false;
              }
              setMaxRunning(c, tenant, 0, now);
              if (audit != null) {
                insertAudit(c, audit);
              }
              return true;
            });
    cache.put(tenant, new Cached(null, now));
    store.fair.weights.invalidate();
    return deleted;
  }

  /**
   * The definition of the limit key {@code tenant:NAME}: created with a quota; without one, an
   * existing definition is kept with no maximum, since jobs dispatched under the quota still carry
   * the key and a key without a definition never starts.
   */
  private void setMaxRunning(Connection c, String tenant, int maxRunning, long now)
      throws SQLException {
    String key = TenantRow.limitKey(tenant);
    if (maxRunning > 0) {
      store.db.prepared(
          c,
          "INSERT INTO "
              + limitsSql
              + " (limit_key, max_running, rate_count, rate_period_ms, burst, rate_tat_us,"
              + " updated_at) VALUES (?, ?, 0, 0, 0, 0, ?) ON CONFLICT (limit_key) DO UPDATE SET"
              + " max_running = excluded.max_running, updated_at = excluded.updated_at",
          ps -> {
            ps.setString(1, key);
            ps.setInt(2, maxRunning);
            ps.setLong(3, now);
            return ps.executeUpdate();
          });
      store.limits.markKnown();
    } else {
      store.db.prepared(
          c,
          "UPDATE " + limitsSql + " SET max_running = 0, updated_at = ? WHERE limit_key = ?",
          ps -> {
            ps.setLong(1, now);
            ps.setString(2, key);
            return ps.executeUpdate();
          });
    }
  }

  List<TenantCount> counts(String tenant) {
    String sql =
        "SELECT tenant, status, count(*) FROM "
            + store.t.jobsSql
            + " WHERE (status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY', 'WAITING', 'RUNNING'))"
            + (tenant == null ? "" : " AND tenant = ?" + partial(tenant))
            + " GROUP BY tenant, status";
    return store.db.read(
        (ctx, c) ->
            store.db.prepared(
                c,
                sql,
                ps -> {
                  if (tenant != null) {
                    ps.setString(1, tenant);
                  }
                  Map<String, long[]> by = new TreeMap<>();
                  try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                      long[] n = by.computeIfAbsent(r.getString(1), k -> new long[2]);
                      n["RUNNING".equals(r.getString(2)) ? 1 : 0] += r.getLong(3);
                    }
                  }
                  List<TenantCount> out = new ArrayList<>(by.size());
                  by.forEach((k, v) -> out.add(new TenantCount(k, v[0], v[1])));
                  return out;
                }));
  }

  /** The partial index's predicate, repeated so that the planner may use it. */
  private static String partial(String tenant) {
    return NewJob.DEFAULT_TENANT.equals(tenant) ? "" : " AND tenant <> 'default'";
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * Whether inserting {@code job} must take the general path: its tenant has a dispatch quota, or a
   * max-running quota and the job has limit keys (it gets the tenant's key too), or the dispatch is
   * audited. A job without limit keys in a tenant with max running keeps the fast paths: the claim
   * counts its tenant's RUNNING jobs whatever their keys.
   */
  boolean needsGeneralPath(NewJob job, long now) {
    return audited(job.createdBy())
        || settings(job.tenant(), now, SqlJobStore.TENANT_CACHE_MS)
            .map(r -> r.checksDispatch() || (r.maxRunning() > 0 && job.limitKeys() != null))
            .orElse(false);
  }

  /** A dispatch with an actor is audited; fires of a schedule (its actor) are not. */
  static boolean audited(String actor) {
    return actor != null && !actor.startsWith("schedule:");
  }

  /**
   * In a dispatch's transaction, before its rows: checks the quotas of the tenants of {@code jobs}
   * that have any, then writes the dispatch's audit row when it has an actor ({@code actor}, else
   * the first job's creator). Returns the jobs to insert: those of a tenant with a max-running
   * quota that have limit keys of their own also carry the tenant's key {@code tenant:NAME}, so
   * that the claim's limited phase enforces the quota for them too; the others keep {@code
   * limit_keys} NULL and are claimed fairly (#14), their quota checked by {@code FairClaim}.
   *
   * @throws QuotaRejection if a quota would be exceeded; nothing is written then
   */
  List<NewJob> admit(DSLContext ctx, Connection c, List<NewJob> jobs, String actor, long now)
      throws SQLException {
    if (jobs.isEmpty()) {
      return jobs;
    }
    Map<String, int[]> perTenant = new TreeMap<>(); // jobs and bytes; name order = lock order
    for (NewJob j : jobs) {
      int[] n = perTenant.computeIfAbsent(j.tenant(), k -> new int[2]);
      n[0]++;
      n[1] += j.params().length;
    }
    Map<String, Long> newTats = new LinkedHashMap<>();
    Set<String> running = null; // tenants with a max-running quota
    for (Map.Entry<String, int[]> e : perTenant.entrySet()) {
      String tenant = e.getKey();
      TenantRow cached = settingsIn(ctx, tenant, now);
      if (cached == null) {
        continue;
      }
      if (cached.checksDispatch()) {
        Long tat = check(ctx, c, tenant, e.getValue()[0], e.getValue()[1], now);
        if (tat != null) {
          newTats.put(tenant, tat);
        }
      }
      if (cached.maxRunning() > 0) {
        if (running == null) {
          running = new HashSet<>();
        }
        running.add(tenant);
      }
    }
    for (Map.Entry<String, Long> e : newTats.entrySet()) {
      store.db.prepared(
          c,
          "UPDATE " + tenantsSql + " SET submit_tat_us = ? WHERE name = ?",
          ps -> {
            ps.setLong(1, e.getValue());
            ps.setString(2, e.getKey());
            return ps.executeUpdate();
          });
    }
    String who = actor != null ? actor : jobs.get(0).createdBy();
    if (audited(who)) {
      NewJob first = jobs.get(0);
      insertAudit(
          c,
          new AuditRow(
              first.id(), // a fresh ULID: time-sortable and unique
              now,
              perTenant.size() == 1 ? first.tenant() : null,
              who,
              "job.submit",
              jobs.size() == 1 ? first.id() : jobs.size() + " jobs",
              jobs.stream()
                  .map(NewJob::name)
                  .distinct()
                  .limit(5)
                  .reduce((a, b) -> a + ", " + b)
                  .orElse(null)));
    }
    if (running == null) {
      return jobs;
    }
    List<NewJob> keyed = new ArrayList<>(jobs.size());
    for (NewJob j : jobs) {
      keyed.add(j.limitKeys() != null && running.contains(j.tenant()) ? withTenantKey(j) : j);
    }
    return keyed;
  }

  /** {@code job} with its tenant's limit key added (once). */
  static NewJob withTenantKey(NewJob job) {
    String key = TenantRow.limitKey(job.tenant());
    String keys = job.limitKeys();
    if (keys == null) {
      return job.withLimitKeys("," + key + ",");
    }
    return keys.contains("," + key + ",") ? job : job.withLimitKeys(keys + key + ",");
  }

  /**
   * Checks one tenant's quotas under its row lock. Returns the submission rate's new state to
   * store, or null when it has no rate.
   */
  private Long check(DSLContext ctx, Connection c, String tenant, int jobs, long bytes, long now)
      throws SQLException {
    TenantRow r =
        store
            .dialect
            .forUpdate(ctx.select(ALL).from(tenants).where(N_NAME.eq(tenant)))
            .fetchOptional(SqlTenants::toRow)
            .orElse(null);
    if (r == null) {
      return null; // deleted since it was cached
    }
    if (r.maxQueued() > 0) {
      long waiting =
          store.db.prepared(
              c,
              "SELECT count(*) FROM (SELECT 1 FROM "
                  + store.t.jobsSql
                  + " WHERE tenant = ?"
                  + partial(tenant)
                  + " AND "
                  + WAITING_SQL
                  + " LIMIT ?) w",
              ps -> {
                ps.setString(1, tenant);
                ps.setLong(2, r.maxQueued() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      if (waiting + jobs > r.maxQueued()) {
        throw new QuotaRejection(tenant, Quota.MAX_QUEUED, r.maxQueued(), -1);
      }
    }
    if (r.maxStoredBytes() > 0) {
      long stored =
          store.db.prepared(
              c,
              "SELECT COALESCE(SUM(length(params)), 0) FROM "
                  + store.t.jobsSql
                  + " WHERE tenant = ?"
                  + partial(tenant),
              ps -> {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      if (stored + bytes > r.maxStoredBytes()) {
        throw new QuotaRejection(tenant, Quota.MAX_STORED_BYTES, r.maxStoredBytes(), -1);
      }
    }
    if (r.submitCount() <= 0) {
      return null;
    }
    // GCRA: each submission moves the theoretical arrival time on by one emission interval; a
    // dispatch is allowed while that time stays within the burst's tolerance of now.
    long intervalUs = Math.max(1, r.submitPeriodMs() * 1000 / r.submitCount());
    int burst = r.submitBurst() > 0 ? r.submitBurst() : r.submitCount();
    long nowUs = now * 1000;
    long tat = Math.max(r.submitTatUs(), nowUs) + jobs * intervalUs;
    long allowedUpTo = nowUs + burst * intervalUs;
    if (tat > allowedUpTo) {
      long retryMs = jobs > burst ? -1 : Math.max(1, (tat - allowedUpTo + 999) / 1000);
      throw new QuotaRejection(tenant, Quota.SUBMISSION_RATE, r.submitCount(), retryMs);
    }
    return tat;
  }

  // ---------------------------------------------------------------- audit

  void insertAudit(Connection c, AuditRow a) throws SQLException {
    store.db.prepared(
        c,
        "INSERT INTO "
            + auditSql
            + " (id, at, tenant, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ps -> {
          bindAudit(ps, a);
          return ps.executeUpdate();
        });
  }

  private static void bindAudit(PreparedStatement ps, AuditRow a) throws SQLException {
    ps.setString(1, a.id());
    ps.setLong(2, a.at());
    ps.setString(3, a.tenant());
    ps.setString(4, a.actor());
    ps.setString(5, a.action());
    ps.setString(6, a.target());
    ps.setString(7, a.detail());
  }

  void audit(AuditRow a) {
    store.db.write(
        (ctx, c) -> {
          insertAudit(c, a);
          return null;
        });
  }

  List<AuditRow> auditRows(
      String tenant, String actor, String action, long since, String beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, at, tenant, actor, action, target, detail FROM " + auditSql + " WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (tenant != null) {
      sql.append(" AND tenant = ?");
      args.add(tenant);
    }
    if (actor != null) {
      sql.append(" AND actor = ?");
      args.add(actor);
    }
    if (action != null) {
      if (action.endsWith(".*")) {
        sql.append(" AND action LIKE ?");
        args.add(action.substring(0, action.length() - 1).replace("%", "").replace("_", "") + "%");
      } else {
        sql.append(" AND action = ?");
        args.add(action);
      }
    }
    if (since > 0) {
      sql.append(" AND at >= ?");
      args.add(since);
    }
    if (beforeId != null) {
      sql.append(" AND id < ?");
      args.add(beforeId);
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(limit);
    return store.db.read(
        (ctx, c) ->
            store.db.prepared(
                c,
                sql.toString(),
                ps -> {
                  for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                  }
                  List<AuditRow> out = new ArrayList<>();
                  try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                      out.add(
                          new AuditRow(
                              r.getString(1),
                              r.getLong(2),
                              r.getString(3),
                              r.getString(4),
                              r.getString(5),
                              r.getString(6),
                              r.getString(7)));
                    }
                  }
                  return out;
                }));
  }

  long deleteAuditBefore(long before, int limit) {
    return store.db.write(
        (ctx, c) ->
            (long)
                store.db.prepared(
                    c,
                    "DELETE FROM "
                        + auditSql
                        + " WHERE id IN (SELECT id FROM "
                        + auditSql
                        + " WHERE at < ? ORDER BY id LIMIT ?)",
                    ps -> {
                      ps.setLong(1, before);
                      ps.setInt(2, limit);
                      return ps.executeUpdate();
                    }));
  }

  private static TenantRow toRow(Record r) {
    return new TenantRow(
        r.get(N_NAME),
        r.get(N_WEIGHT),
        r.get(N_MAX_QUEUED),
        r.get(N_MAX_RUNNING),
        r.get(N_SUBMIT_COUNT),
        r.get(N_SUBMIT_PERIOD_MS),
        r.get(N_SUBMIT_BURST),
        r.get(N_SUBMIT_TAT_US),
        r.get(N_MAX_STORED_BYTES),
        r.get(N_DESCRIPTION),
        r.get(N_CREATED_AT),
        r.get(N_UPDATED_AT));
  }
}
