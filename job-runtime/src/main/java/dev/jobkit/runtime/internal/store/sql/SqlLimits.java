package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobLimits;
import dev.jobkit.runtime.internal.store.LimitRow;
import dev.jobkit.runtime.internal.store.LimitState;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.TenantRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrency and rate limits (#12 limits): the limited phase of a claim, the definitions in {@code
 * jobkit_limits}, and a job's limit states for its waiting reason.
 *
 * <p>A claim first takes limited jobs here, then the dialect's own claim takes jobs without limit
 * keys as before. The limited phase reads due limited jobs in claim order, locks the {@code
 * jobkit_limits} rows of their keys (PostgreSQL: {@code FOR UPDATE} in key order; SQLite: the write
 * lock), then counts the RUNNING jobs of each key in a statement that starts after the locks were
 * granted, so it sees every claim of these keys that committed before. Jobs are taken in order
 * while all their keys have a free slot and a rate token; a key without room is excluded from the
 * next round's candidates, so a blocked key does not hide the jobs behind it. Counting, not a
 * counter: no status change out of RUNNING (completion, failure, cancel, pause, timeout, recovery,
 * deletion) has to know about limits, so counts cannot drift.
 *
 * <p>A tenant's max running (#14) is the key {@code tenant:NAME}, counted differently: all the
 * tenant's RUNNING jobs by the {@code tenant} column, whatever their keys, since the tenant's jobs
 * without other limits carry no key and are claimed by fair claiming ({@link FairClaim}), which
 * locks the same row and counts the same way. A limited job of a tenant with the quota is held by
 * it even when it was dispatched before the quota was set (without the key).
 */
final class SqlLimits {
  /** Candidate rounds per claim: each excludes the keys found without room in the ones before. */
  private static final int ROUNDS = 3;

  /** How often a store that knows of no limits looks whether another process defined some. */
  static final long PROBE_INTERVAL_MS = 2_000;

  private final SqlJobStore store;
  private final String limitsSql;
  private final String tenantsSql;
  private final String claimUpdate;
  private final Map<String, LimitRow> declared = new ConcurrentHashMap<>();

  /** The keys whose definitions this process wrote, with when (its clock, millis). */
  private final Map<String, Long> written = new ConcurrentHashMap<>();

  /**
   * A definition written longer ago than this is written again by the next insert with its key,
   * which sets its row's {@code updated_at}: so a row that retention may delete ({@link #IDLE_MS})
   * is one that no process is sure of having written, and an insert after its deletion recreates
   * it.
   */
  static final long WRITTEN_TTL_MS = 10 * 60_000L;

  /**
   * Retention deletes a row only when its definition was last written longer ago than this (see
   * {@link #deleteIdle}); far more than {@link #WRITTEN_TTL_MS}, so that clocks that differ by less
   * than the difference between nodes do not matter.
   */
  static final long IDLE_MS = 60 * 60_000L;

  private volatile boolean known;
  private volatile long probedAt = Long.MIN_VALUE;

  /** Most keys without room excluded by name from one round's candidates. */
  private static final int MAX_EXCLUDED = 32;

  SqlLimits(SqlJobStore store) {
    this.store = store;
    String jobs = store.t.jobsSql;
    this.limitsSql = jobs.substring(0, jobs.length() - Tables.JOBS.length()) + "jobkit_limits";
    this.tenantsSql = jobs.substring(0, jobs.length() - Tables.JOBS.length()) + "jobkit_tenants";
    this.claimUpdate =
        "UPDATE "
            + store.t.jobsSql
            + " SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?,"
            + " lease_epoch = ?, attempts = ?,"
            + " started_at = CASE WHEN started_at = 0 THEN ? ELSE started_at END, updated_at = ?"
            + " WHERE id = ? AND lease_epoch = ? AND status = ?";
  }

  // ---------------------------------------------------------------- definitions

  /**
   * Records definitions; each is written (upserted) by the transaction that inserts the first job
   * with its key, so that no insert path needs a transaction of its own for it (schedules fire
   * inside one).
   */
  void define(List<LimitRow> rows) {
    for (LimitRow r : rows) {
      declared.put(r.key(), r);
      written.remove(r.key());
    }
    if (!rows.isEmpty()) {
      known = true;
    }
  }

  /** A limit definition was written here (#14 tenants: a tenant's max running): claims look. */
  void markKnown() {
    known = true;
  }

  /** Whether inserting {@code job} at {@code now} must write a definition first. */
  boolean pending(NewJob job, long now) {
    if (job.limitKeys() == null || declared.isEmpty()) {
      return false;
    }
    for (String k : splitKeys(job.limitKeys())) {
      if (declared.containsKey(k) && !writtenRecently(k, now)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this process wrote {@code key}'s definition less than {@link #WRITTEN_TTL_MS} ago. */
  private boolean writtenRecently(String key, long now) {
    Long at = written.get(key);
    return at != null && now - at < WRITTEN_TTL_MS && now >= at;
  }

  /** Upserts, in the caller's transaction, the definitions that {@code jobs} need and lack. */
  void writePending(Connection c, List<NewJob> jobs, long now) throws SQLException {
    if (declared.isEmpty()) {
      return;
    }
    Map<String, LimitRow> rows = new TreeMap<>(); // in key order, as the claim locks them
    for (NewJob j : jobs) {
      if (j.limitKeys() != null) {
        for (String k : splitKeys(j.limitKeys())) {
          LimitRow r = declared.get(k);
          if (r != null && !writtenRecently(k, now)) {
            rows.put(k, r);
          }
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO "
            + limitsSql
            + " (limit_key, max_running, rate_count, rate_period_ms, burst, rate_tat_us,"
            + " updated_at) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (limit_key) DO UPDATE SET"
            + " max_running = excluded.max_running, rate_count = excluded.rate_count,"
            + " rate_period_ms = excluded.rate_period_ms, burst = excluded.burst,"
            + " updated_at = excluded.updated_at";
    store.db.prepared(
        c,
        sql,
        ps -> {
          for (LimitRow r : rows.values()) {
            ps.setString(1, r.key());
            ps.setInt(2, r.maxRunning());
            ps.setInt(3, r.rateCount());
            ps.setLong(4, r.ratePeriodMs());
            ps.setInt(5, r.burst());
            ps.setLong(6, now);
            ps.addBatch();
          }
          return ps.executeBatch();
        });
  }

  /**
   * After the transaction that inserted {@code jobs} at {@code now} committed: their definitions
   * are stored (written then, or less than {@link #WRITTEN_TTL_MS} before).
   */
  void committed(List<NewJob> jobs, long now) {
    if (declared.isEmpty()) {
      return;
    }
    for (NewJob j : jobs) {
      if (j.limitKeys() != null) {
        for (String k : splitKeys(j.limitKeys())) {
          if (declared.containsKey(k) && !writtenRecently(k, now)) {
            written.put(k, now);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- retention

  /**
   * Deletes the rows of {@code jobkit_limits} that a claim would find no different from a fresh row
   * (#12 limits: keyed rows, one per host ever seen, would accumulate forever), in short
   * transactions of up to {@code limit} rows; returns how many. A row goes when
   *
   * <ul>
   *   <li>no stored job carries its key (so no job can start under it, and none can be retried into
   *       waiting for it),
   *   <li>its definition was last written before {@code now - }{@link #IDLE_MS}: a job inserted
   *       with its key since then rewrote the row in the insert's transaction (a process writes a
   *       definition again once its own write is {@link #WRITTEN_TTL_MS} old), and a job inserted
   *       after the deletion recreates it the same way,
   *   <li>and its rate state has fully replenished ({@code rate_tat_us <= now}), which the claim
   *       treats exactly as the fresh state 0; a concurrency limit has no state of its own (the
   *       claim counts RUNNING jobs).
   * </ul>
   *
   * A tenant's key {@code tenant:NAME} (#14: fair claiming locks it) goes only once the tenant has
   * no settings and the row no max running. The keys in use are read without the write lock (one
   * scan of the jobs that have keys); each delete checks the row's time and rate state again under
   * it (PostgreSQL: after any claim that holds the row committed).
   */
  long deleteIdle(long now, int limit) {
    long idleBefore = now - IDLE_MS;
    long nowUs = now * 1000;
    String candidatesSql =
        "SELECT limit_key, max_running FROM "
            + limitsSql
            + " WHERE updated_at < ? AND rate_tat_us <= ? ORDER BY limit_key";
    List<String> keys =
        store.db.read(
            (ctx, c) -> {
              List<String> candidates =
                  store.db.prepared(
                      c,
                      candidatesSql,
                      ps -> {
                        ps.setLong(1, idleBefore);
                        ps.setLong(2, nowUs);
                        List<String> out = new ArrayList<>();
                        try (ResultSet r = ps.executeQuery()) {
                          while (r.next()) {
                            if (tenantOf(r.getString(1)) == null || r.getInt(2) == 0) {
                              out.add(r.getString(1));
                            }
                          }
                        }
                        return out;
                      });
              if (candidates.isEmpty()) {
                return candidates;
              }
              Set<String> inUse = new java.util.HashSet<>();
              store.db.prepared(
                  c,
                  "SELECT DISTINCT limit_keys FROM "
                      + store.t.jobsSql
                      + " WHERE limit_keys IS NOT NULL",
                  ps -> {
                    try (ResultSet r = ps.executeQuery()) {
                      while (r.next()) {
                        inUse.addAll(splitKeys(r.getString(1)));
                      }
                    }
                    return null;
                  });
              Set<String> tenants = new java.util.HashSet<>();
              store.db.prepared(
                  c,
                  "SELECT name FROM " + tenantsSql,
                  ps -> {
                    try (ResultSet r = ps.executeQuery()) {
                      while (r.next()) {
                        tenants.add(r.getString(1));
                      }
                    }
                    return null;
                  });
              List<String> out = new ArrayList<>();
              for (String k : candidates) {
                String tenant = tenantOf(k);
                if (!inUse.contains(k) && (tenant == null || !tenants.contains(tenant))) {
                  out.add(k);
                }
              }
              return out;
            });
    long deleted = 0;
    for (int i = 0; i < keys.size(); i += limit) {
      List<String> chunk = keys.subList(i, Math.min(keys.size(), i + limit));
      String sql =
          "DELETE FROM "
              + limitsSql
              + " WHERE limit_key IN ("
              + String.join(", ", Collections.nCopies(chunk.size(), "?"))
              + ") AND updated_at < ? AND rate_tat_us <= ?"
              + " AND (max_running = 0 OR limit_key NOT LIKE 'tenant:%')";
      deleted +=
          store.db.write(
              (ctx, c) ->
                  store.db.prepared(
                      c,
                      sql,
                      ps -> {
                        int p = 1;
                        for (String k : chunk) {
                          ps.setString(p++, k);
                        }
                        ps.setLong(p++, idleBefore);
                        ps.setLong(p, nowUs);
                        return ps.executeUpdate();
                      }));
    }
    return deleted;
  }

  // ---------------------------------------------------------------- claim

  /** Whether limits may exist: known here, or found by a probe at most every few seconds. */
  private boolean active(Connection c, long now) throws SQLException {
    if (known) {
      return true;
    }
    if (probedAt != Long.MIN_VALUE && now - probedAt < PROBE_INTERVAL_MS && now >= probedAt) {
      return false;
    }
    probedAt = now;
    boolean any =
        store.db.prepared(
            c,
            "SELECT 1 FROM " + limitsSql + " LIMIT 1",
            ps -> {
              try (ResultSet r = ps.executeQuery()) {
                return r.next();
              }
            });
    if (any) {
      known = true;
    }
    return any;
  }

  /**
   * Claims up to {@code req.limit()} limited jobs in the caller's transaction; see the class
   * comment. Returns them with their events written, and adds the keys whose {@code jobkit_limits}
   * rows this transaction locked to {@code locked} (fair claiming must not wait for a row that
   * sorts before one of them: #14 max running).
   */
  List<ClaimedJob> claim(Connection c, ClaimRequest req, Set<String> locked) throws SQLException {
    if (!active(c, req.now())) {
      return List.of();
    }
    long nowUs = req.now() * 1000;
    Map<String, Slot> slots = new TreeMap<>();
    Set<String> full = new TreeSet<>();
    List<ClaimedJob> claimed = new ArrayList<>();
    for (int round = 0; round < ROUNDS && claimed.size() < req.limit(); round++) {
      int wanted = req.limit() - claimed.size();
      // Limits that do not bind skip nothing: a few more than wanted. After a round that skipped
      // jobs, more, since some keys are full.
      int fetch = round == 0 ? wanted + 8 : wanted * 2 + 8;
      List<Candidate> candidates = candidates(c, req, full, fetch);
      if (candidates.isEmpty()) {
        break;
      }
      Set<String> newKeys = new TreeSet<>();
      for (Candidate cand : candidates) {
        for (String k : cand.keys) {
          if (!slots.containsKey(k)) {
            newKeys.add(k);
          }
        }
      }
      if (!newKeys.isEmpty()) {
        // Round 1 waits for the rows, taken in key order; later rounds already hold some and
        // must not wait (two claimers could each hold what the other wants), so they skip rows
        // another claimer holds and leave their jobs for the next claim.
        for (Slot s : lockRows(c, newKeys, round == 0)) {
          slots.put(s.row.key(), s);
          locked.add(s.row.key());
        }
        // After the locks: sees every RUNNING job that claims of these keys committed.
        countRunning(c, slots);
      }
      List<Candidate> take = new ArrayList<>();
      for (Candidate cand : candidates) {
        if (take.size() == wanted) {
          break;
        }
        String blocked = null;
        for (String k : cand.keys) {
          Slot s = slots.get(k);
          if (s == null && k.equals(cand.derived)) {
            continue; // the quota's row is gone (deleted by hand): nothing to enforce
          }
          if (s == null || !s.canStart(nowUs)) {
            blocked = k;
            break;
          }
        }
        if (blocked != null) {
          full.add(blocked);
          continue;
        }
        for (String k : cand.keys) {
          Slot s = slots.get(k);
          if (s != null) {
            s.start(nowUs);
          }
        }
        take.add(cand);
      }
      if (store.dialect.limitWritesInOneStatement()) {
        claimed.addAll(claimTakenInOneStatement(c, req, take, slots.values()));
      } else {
        claimed.addAll(claimTaken(c, req, take));
      }
      if (candidates.size() < fetch) {
        break;
      }
    }
    if (!store.dialect.limitWritesInOneStatement()) {
      writeRates(c, slots.values());
    }
    return claimed;
  }

  private List<Candidate> candidates(Connection c, ClaimRequest req, Set<String> full, int fetch)
      throws SQLException {
    List<String> excludedKeys = new ArrayList<>();
    List<String> excludedTenants = new ArrayList<>();
    for (String k : full) {
      if (excludedKeys.size() + excludedTenants.size() == MAX_EXCLUDED) {
        break;
      }
      // A tenant's quota counts all its jobs, whether they carry its key or not (#14).
      String tenant = tenantOf(k);
      if (tenant != null) {
        excludedTenants.add(tenant);
      } else {
        excludedKeys.add(k);
      }
    }
    String sql =
        candidatesSql(
            store.t.jobsSql,
            req.queues().size(),
            excludedKeys.size(),
            excludedTenants.size(),
            store.dialect.limitContainsFunction(),
            store.dialect.limitCandidatesLock());
    TenantWeights quotas = store.fair.weights;
    // Read (at most every 2 s) before the rows, so that no statement runs while they are read.
    boolean anyQuota = quotas.anyMaxRunning(c, req.now());
    return store.db.prepared(
        c,
        sql,
        ps -> {
          int p = 1;
          ps.setLong(p++, req.now());
          for (String q : req.queues()) {
            ps.setString(p++, q);
          }
          for (String k : excludedKeys) {
            ps.setString(p++, "," + k + ",");
          }
          for (String t : excludedTenants) {
            ps.setString(p++, t);
          }
          ps.setInt(p, fetch);
          List<Candidate> out = new ArrayList<>();
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              ClaimedJob job = SqlJobStore.claimedJob(r, req, 1);
              List<String> keys = splitKeys(r.getString(18));
              String derived = null;
              if (anyQuota && quotas.maxRunning(c, job.tenant(), req.now()) > 0) {
                // A job dispatched before its tenant's max running was set lacks the key.
                String key = TenantRow.limitKey(job.tenant());
                if (!keys.contains(key)) {
                  keys.add(key);
                  derived = key;
                }
              }
              out.add(new Candidate(job, keys, derived));
            }
          }
          return out;
        });
  }

  /**
   * The limited phase's candidate query: due limited jobs of {@code queues} queues in claim order,
   * without those holding one of {@code excluded} keys or in one of {@code excludedTenants} tenants
   * (whose max running is reached); a test checks SQLite serves it from {@code
   * jobkit_jobs_limited}. Columns: those {@link SqlJobStore#claimedJob} reads (the tenant 17th),
   * then {@code limit_keys}.
   */
  static String candidatesSql(
      String jobsSql, int queues, int excluded, int excludedTenants, String contains, String lock) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, name, params, state, state_version, status, priority, queue, attempts,"
                + " max_attempts, lease_epoch, timeout_ms, resumed, backoff_ms, run_at,"
                + " trace_context, tenant, limit_keys FROM ");
    sql.append(jobsSql)
        .append(" WHERE ")
        .append(SqlJobStore.CLAIMABLE_SQL)
        .append(" AND limit_keys IS NOT NULL AND run_at <= ? AND queue IN (")
        .append(String.join(", ", Collections.nCopies(queues, "?")))
        .append(")");
    for (int i = 0; i < excluded; i++) {
      sql.append(" AND ").append(contains).append("(limit_keys, ?) = 0");
    }
    for (int i = 0; i < excludedTenants; i++) {
      sql.append(" AND tenant <> ?");
    }
    return sql.append(" ORDER BY priority DESC, run_at, id LIMIT ?").append(lock).toString();
  }

  private List<Slot> lockRows(Connection c, Set<String> keys, boolean wait) throws SQLException {
    return selectRows(c, keys, store.dialect.limitRowsLock(wait));
  }

  /**
   * Locks the {@code jobkit_limits} rows of {@code keys} (PostgreSQL: {@code FOR UPDATE} in key
   * order, or skipping rows another transaction holds when not {@code wait}; SQLite: the write lock
   * is held) and returns the max running of each row found (#14: fair claiming's tenant quotas).
   */
  Map<String, Integer> lockMaxRunning(Connection c, Set<String> keys, boolean wait)
      throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    for (Slot s : lockRows(c, keys, wait)) {
      out.put(s.row.key(), s.row.maxRunning());
    }
    return out;
  }

  private static LimitRow row(ResultSet r) throws SQLException {
    return new LimitRow(r.getString(1), r.getInt(2), r.getInt(3), r.getLong(4), r.getInt(5));
  }

  /** Most keys counted by one statement (the statements for 1, 2, 4 and 8 are prepared once). */
  private static final int COUNT_CHUNK = 8;

  /**
   * Sets the running count of each slot with a concurrency limit from the RUNNING limited jobs
   * (few: at most all workers and their buffers), counted by the database, a column per key; of a
   * tenant's key, from all the tenant's RUNNING jobs ({@link #runningOfTenants}).
   */
  private void countRunning(Connection c, Map<String, Slot> slots) throws SQLException {
    List<Slot> limited = new ArrayList<>();
    Map<String, Slot> tenants = new TreeMap<>();
    for (Slot s : slots.values()) {
      if (s.row.maxRunning() > 0) {
        String tenant = tenantOf(s.row.key());
        if (tenant != null) {
          tenants.put(tenant, s);
        } else {
          limited.add(s);
        }
      }
    }
    if (!tenants.isEmpty()) {
      // A tenant's max running counts all its RUNNING jobs, those without its key too (#14).
      Map<String, Integer> running = runningOfTenants(c, tenants.keySet());
      tenants.forEach((t, s) -> s.running = running.getOrDefault(t, 0));
    }
    String contains = store.dialect.limitContainsFunction();
    for (int from = 0; from < limited.size(); from += COUNT_CHUNK) {
      List<Slot> chunk = limited.subList(from, Math.min(limited.size(), from + COUNT_CHUNK));
      int width = Integer.highestOneBit(Math.max(1, chunk.size() - 1)) << 1;
      if (chunk.size() == 1) {
        width = 1;
      }
      StringBuilder sql = new StringBuilder("SELECT ");
      for (int i = 0; i < width; i++) {
        sql.append(i == 0 ? "" : ", ")
            .append("coalesce(sum(CASE WHEN ")
            .append(contains)
            .append("(limit_keys, ?) > 0 THEN 1 ELSE 0 END), 0)");
      }
      sql.append(" FROM ")
          .append(store.t.jobsSql)
          .append(" WHERE status = 'RUNNING' AND limit_keys IS NOT NULL");
      int n = width;
      store.db.prepared(
          c,
          sql.toString(),
          ps -> {
            for (int i = 0; i < n; i++) {
              Slot s = chunk.get(Math.min(i, chunk.size() - 1));
              ps.setString(i + 1, "," + s.row.key() + ",");
            }
            try (ResultSet r = ps.executeQuery()) {
              r.next();
              for (int i = 0; i < chunk.size(); i++) {
                // This transaction's own claims are RUNNING already, and counted.
                chunk.get(i).running = r.getInt(i + 1);
              }
            }
            return null;
          });
    }
  }

  private Map<String, Integer> runningCounts(Connection c) throws SQLException {
    return store.db.prepared(
        c,
        "SELECT limit_keys FROM "
            + store.t.jobsSql
            + " WHERE status = 'RUNNING' AND limit_keys IS NOT NULL",
        ps -> {
          Map<String, Integer> counts = new HashMap<>();
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              for (String k : splitKeys(r.getString(1))) {
                counts.merge(k, 1, Integer::sum);
              }
            }
          }
          return counts;
        });
  }

  private List<ClaimedJob> claimTaken(Connection c, ClaimRequest req, List<Candidate> take)
      throws SQLException {
    if (take.isEmpty()) {
      return List.of();
    }
    store.db.prepared(
        c,
        claimUpdate,
        update -> {
          for (Candidate cand : take) {
            ClaimedJob j = cand.job;
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
            // SQLite holds the write lock since the select, PostgreSQL the row locks.
            if (n != 1) {
              throw new IllegalStateException(
                  "Limited claim updated " + n + " rows for one job; its lock did not hold");
            }
          }
          return null;
        });
    store.db.prepared(
        c,
        store.sqlInsertEvent,
        ev -> {
          for (Candidate cand : take) {
            SqlJobStore.addEvent(
                ev,
                cand.job.id(),
                req.now(),
                JobEvent.Type.STATUS_CHANGED,
                cand.job.previousStatus(),
                JobStatus.RUNNING,
                req.owner());
          }
          return ev.executeBatch();
        });
    List<ClaimedJob> out = new ArrayList<>(take.size());
    for (Candidate cand : take) {
      out.add(cand.job);
    }
    return out;
  }

  /**
   * PostgreSQL: the claim's update, its events and the rate states of the keys in one statement
   * over {@code unnest}ed arrays, one round trip (three as separate batches).
   */
  private List<ClaimedJob> claimTakenInOneStatement(
      Connection c, ClaimRequest req, List<Candidate> take, Iterable<Slot> slots)
      throws SQLException {
    if (take.isEmpty()) {
      return List.of();
    }
    List<Object> rateKeys = new ArrayList<>();
    List<Object> rateTats = new ArrayList<>();
    for (Slot s : slots) {
      if (s.startedHere > 0 && s.row.rateCount() > 0) {
        rateKeys.add(s.row.key());
        rateTats.add(s.tatUs);
      }
    }
    Object[] ids = new Object[take.size()];
    Object[] epochs = new Object[take.size()];
    Object[] statuses = new Object[take.size()];
    for (int i = 0; i < take.size(); i++) {
      ClaimedJob j = take.get(i).job;
      ids[i] = j.id();
      epochs[i] = j.epoch() - 1;
      statuses[i] = j.previousStatus().name();
    }
    String sql =
        "WITH c AS (UPDATE "
            + store.t.jobsSql
            + " AS j SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?,"
            + " lease_epoch = j.lease_epoch + 1, attempts = j.attempts + 1,"
            + " started_at = CASE WHEN j.started_at = 0 THEN ? ELSE j.started_at END,"
            + " updated_at = ? FROM unnest(?::text[], ?::int8[], ?::text[]) AS u(id, epoch, status)"
            + " WHERE j.id = u.id AND j.lease_epoch = u.epoch AND j.status = u.status"
            + " RETURNING j.id, u.status AS from_status),"
            + " ev AS (INSERT INTO "
            + store.t.eventsSql
            + " (job_id, at, type, from_status, to_status, detail)"
            + " SELECT id, ?, 'STATUS_CHANGED', from_status, 'RUNNING', ? FROM c),"
            + " r AS (UPDATE "
            + limitsSql
            + " AS l SET rate_tat_us = v.tat FROM unnest(?::text[], ?::int8[]) AS v(k, tat)"
            + " WHERE l.limit_key = v.k)"
            + " SELECT count(*) FROM c";
    long updated =
        store.db.prepared(
            c,
            sql,
            ps -> {
              ps.setString(1, req.owner());
              ps.setLong(2, req.leaseExpiresAt());
              ps.setLong(3, req.now());
              ps.setLong(4, req.now());
              ps.setArray(5, c.createArrayOf("text", ids));
              ps.setArray(6, c.createArrayOf("int8", epochs));
              ps.setArray(7, c.createArrayOf("text", statuses));
              ps.setLong(8, req.now());
              ps.setString(9, req.owner());
              ps.setArray(10, c.createArrayOf("text", rateKeys.toArray()));
              ps.setArray(11, c.createArrayOf("int8", rateTats.toArray()));
              try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1);
              }
            });
    if (updated != take.size()) {
      // The candidates are locked by this transaction since they were read.
      throw new IllegalStateException(
          "Limited claim updated "
              + updated
              + " of "
              + take.size()
              + " jobs; their locks did not hold");
    }
    List<ClaimedJob> out = new ArrayList<>(take.size());
    for (Candidate cand : take) {
      out.add(cand.job);
    }
    return out;
  }

  private void writeRates(Connection c, Iterable<Slot> slots) throws SQLException {
    List<Slot> changed = new ArrayList<>();
    for (Slot s : slots) {
      if (s.startedHere > 0 && s.row.rateCount() > 0) {
        changed.add(s);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    store.db.prepared(
        c,
        "UPDATE " + limitsSql + " SET rate_tat_us = ? WHERE limit_key = ?",
        ps -> {
          for (Slot s : changed) {
            ps.setLong(1, s.tatUs);
            ps.setString(2, s.row.key());
            ps.addBatch();
          }
          return ps.executeBatch();
        });
  }

  /** {@code req} for the jobs still wanted after {@code taken} limited ones. */
  static ClaimRequest remaining(ClaimRequest req, int taken) {
    return taken == 0
        ? req
        : new ClaimRequest(
            req.owner(), req.queues(), req.limit() - taken, req.now(), req.leaseExpiresAt());
  }

  /** The limited jobs of a claim, then the others. */
  static List<ClaimedJob> both(List<ClaimedJob> limited, List<ClaimedJob> others) {
    if (limited.isEmpty()) {
      return others;
    }
    List<ClaimedJob> all = new ArrayList<>(limited);
    all.addAll(others);
    return all;
  }

  // ---------------------------------------------------------------- waiting reasons

  Optional<JobLimits> limitsOf(String id, long now) {
    return store.db.read(
        (ctx, c) -> {
          String[] job =
              store.db.prepared(
                  c,
                  "SELECT status, run_at, limit_keys, tenant FROM "
                      + store.t.jobsSql
                      + " WHERE id = ?",
                  ps -> {
                    ps.setString(1, id);
                    try (ResultSet r = ps.executeQuery()) {
                      return r.next()
                          ? new String[] {
                            r.getString(1), r.getString(2), r.getString(3), r.getString(4)
                          }
                          : null;
                    }
                  });
          if (job == null) {
            return Optional.<JobLimits>empty();
          }
          List<String> keys = splitKeys(job[2]);
          // #14: a tenant's max running holds its jobs whether they carry its key or not.
          String tenantKey = TenantRow.limitKey(job[3] == null ? NewJob.DEFAULT_TENANT : job[3]);
          Set<String> keySet = new TreeSet<>(keys);
          keySet.add(tenantKey);
          Map<String, Slot> slots = new HashMap<>();
          for (Slot s : selectRows(c, keySet, "")) {
            slots.put(s.row.key(), s);
          }
          Slot quota = slots.get(tenantKey);
          if (!keys.contains(tenantKey) && quota != null && quota.row.maxRunning() > 0) {
            keys.add(tenantKey);
          }
          if (keys.isEmpty()) {
            return Optional.<JobLimits>empty();
          }
          Map<String, Integer> counts = runningCounts(c);
          if (keys.contains(tenantKey)) {
            String tenant = tenantOf(tenantKey);
            counts.put(tenantKey, runningOfTenants(c, Set.of(tenant)).getOrDefault(tenant, 0));
          }
          List<LimitState> states = new ArrayList<>();
          for (String k : keys) {
            Slot s = slots.get(k);
            states.add(
                new LimitState(
                    k,
                    s == null ? null : s.row,
                    counts.getOrDefault(k, 0),
                    s == null ? 0 : s.nextStartAtMillis()));
          }
          return Optional.of(new JobLimits(job[0], Long.parseLong(job[1]), states));
        });
  }

  private List<Slot> selectRows(Connection c, Set<String> keySet, String lock) throws SQLException {
    // Padded to a power of two (repeating the last key), so that few distinct statements are
    // prepared and cached.
    List<String> keys = new ArrayList<>(keySet);
    int size = Integer.highestOneBit(Math.max(1, keys.size() - 1)) << 1;
    while (keys.size() < size) {
      keys.add(keys.get(keys.size() - 1));
    }
    String sql =
        "SELECT limit_key, max_running, rate_count, rate_period_ms, burst, rate_tat_us FROM "
            + limitsSql
            + " WHERE limit_key IN ("
            + String.join(", ", Collections.nCopies(keys.size(), "?"))
            + ") ORDER BY limit_key"
            + lock;
    return store.db.prepared(
        c,
        sql,
        ps -> {
          int p = 1;
          for (String k : keys) {
            ps.setString(p++, k);
          }
          List<Slot> out = new ArrayList<>();
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              out.add(new Slot(row(r), r.getLong(6)));
            }
          }
          return out;
        });
  }

  /** The prefix of a tenant's limit key ({@link TenantRow#limitKey}). */
  private static final String TENANT_KEY_PREFIX = TenantRow.limitKey("");

  /** The tenant whose max running limit key {@code key} is, or null for another key. */
  static String tenantOf(String key) {
    return key.startsWith(TENANT_KEY_PREFIX) ? key.substring(TENANT_KEY_PREFIX.length()) : null;
  }

  /**
   * The RUNNING jobs of each of {@code tenants} (#14 max running): all of them, by the {@code
   * tenant} column, whatever their limit keys; found through {@code jobkit_jobs_status_id} (the
   * RUNNING set is small: the workers and claim buffers of all nodes). Padded to a power of two, so
   * that few distinct statements are prepared.
   */
  Map<String, Integer> runningOfTenants(Connection c, Set<String> tenants) throws SQLException {
    if (tenants.isEmpty()) {
      return Map.of();
    }
    List<String> names = new ArrayList<>(tenants);
    int size = Integer.highestOneBit(Math.max(1, names.size() - 1)) << 1;
    while (names.size() < size) {
      names.add(names.get(names.size() - 1));
    }
    return store.db.prepared(
        c,
        runningOfTenantsSql(store.t.jobsSql, names.size()),
        ps -> {
          for (int i = 0; i < names.size(); i++) {
            ps.setString(i + 1, names.get(i));
          }
          Map<String, Integer> out = new HashMap<>();
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              out.put(r.getString(1), r.getInt(2));
            }
          }
          return out;
        });
  }

  /**
   * The count of the RUNNING jobs of {@code tenants} tenants, by tenant; a test checks that
   * PostgreSQL finds them through an index, not by reading the table.
   */
  static String runningOfTenantsSql(String jobsSql, int tenants) {
    return "SELECT tenant, count(*) FROM "
        + jobsSql
        + " WHERE status = 'RUNNING' AND tenant IN ("
        + String.join(", ", Collections.nCopies(tenants, "?"))
        + ") GROUP BY tenant";
  }

  /** The keys of a {@code limit_keys} value {@code ,a,b,}, in stored order. */
  static List<String> splitKeys(String encoded) {
    List<String> keys = new ArrayList<>(2);
    if (encoded == null) {
      return keys;
    }
    int start = 1;
    while (start < encoded.length()) {
      int end = encoded.indexOf(',', start);
      if (end < 0) {
        break;
      }
      if (end > start) {
        keys.add(encoded.substring(start, end));
      }
      start = end + 1;
    }
    return keys;
  }

  /** The stored form of {@code keys}: {@code ,a,b,} without duplicates, or null for none. */
  static String joinKeys(List<String> keys) {
    if (keys.isEmpty()) {
      return null;
    }
    return "," + String.join(",", new LinkedHashSet<>(keys)) + ",";
  }

  /**
   * A limited job that may be claimed, with its keys; {@code derived} is its tenant's key when the
   * job does not carry it (dispatched before the quota was set), else null.
   */
  private record Candidate(ClaimedJob job, List<String> keys, String derived) {}

  /** A locked key: its definition, RUNNING count and rate state (GCRA). */
  private static final class Slot {
    final LimitRow row;
    long tatUs;
    int running;
    int startedHere;

    Slot(LimitRow row, long tatUs) {
      this.row = row;
      this.tatUs = tatUs;
    }

    private long intervalUs() {
      return Math.max(1, row.ratePeriodMs() * 1000 / row.rateCount());
    }

    boolean canStart(long nowUs) {
      if (row.maxRunning() > 0 && running >= row.maxRunning()) {
        return false;
      }
      if (row.rateCount() > 0) {
        long t = intervalUs();
        return Math.max(tatUs, nowUs) + t <= nowUs + row.burst() * t;
      }
      return true;
    }

    void start(long nowUs) {
      running++;
      startedHere++;
      if (row.rateCount() > 0) {
        tatUs = Math.max(tatUs, nowUs) + intervalUs();
      }
    }

    /** The first time, in millis, at which {@link #canStart} allows a start by the rate. */
    long nextStartAtMillis() {
      if (row.rateCount() == 0) {
        return 0;
      }
      long t = intervalUs();
      long us = tatUs + t - row.burst() * t;
      return Math.floorDiv(us + 999, 1000);
    }
  }
}
