package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.TenantRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fair claiming across tenants (#14): the claim of jobs without limits, shared out between the
 * tenants that have due jobs in a queue by weighted round-robin. One per store; the dialects run
 * the SQL of each share ({@link ShareClaim}).
 *
 * <p>Per queue it keeps, in memory ({@link Rotation}): the tenants that have claimable jobs, found
 * by a loose index scan over {@code jobkit_jobs_claim} (one seek per tenant) at most every {@link
 * #TENANTS_MAX_AGE_MS}, when a claim comes back short, and told at once by this store's own
 * dispatches; where the rotation stopped; and each tenant's fractional carry, so that shares stay
 * proportional to the weights ({@link TenantWeights}) over many claims. Fairness is per node: two
 * nodes each rotate on their own.
 *
 * <p>A claim of n jobs serves at most {@link #MAX_TENANTS_PER_CLAIM} tenants (and at most n), from
 * where the last one stopped; each gets at least one job and the rest in proportion to its weight.
 * A tenant that has fewer due jobs than its share leaves the rest to the others in a second round.
 * A queue with one tenant claims as before, plus {@code tenant = ?}: one range of the index, read
 * in claim order.
 *
 * <p>A tenant with a max-running quota gets at most its free slots: its share is capped at the
 * quota less its RUNNING jobs, counted under the lock of its {@code jobkit_limits} row (see {@link
 * Quotas}), and the rest of its share goes to the others like the share of a tenant that ran short.
 */
final class FairClaim {
  /** How long a queue's list of tenants is trusted before a claim looks again. */
  static final long TENANTS_MAX_AGE_MS = 250;

  /** Most tenants served by one claim (one subquery each). */
  static final int MAX_TENANTS_PER_CLAIM = 16;

  /** Most tenants one loose index scan reads; the next scan goes on after the last one read. */
  static final int MAX_TENANTS_SCANNED = 1_000;

  /** Rounds of one claim: the shares, the shares left by tenants that ran short, new tenants. */
  private static final int MAX_ROUNDS = 3;

  /** Claim order: priority (highest first), then run-at, then id. */
  static final Comparator<ClaimedJob> CLAIM_ORDER =
      Comparator.comparingInt((ClaimedJob j) -> -SqlJobStore.priorityCode(j.priority()))
          .thenComparingLong(ClaimedJob::runAt)
          .thenComparing(ClaimedJob::id);

  private final SqlJobStore store;

  /** The weights and max-running quotas of tenants (the limited phase reads the quotas too). */
  final TenantWeights weights;

  private final Map<List<String>, Rotation> rotations = new ConcurrentHashMap<>();
  private volatile String tenantsSql;

  FairClaim(SqlJobStore store) {
    this.store = store;
    this.weights = new TenantWeights(store);
  }

  /** A number of jobs to claim from one tenant. */
  record Share(String tenant, int jobs) {}

  /**
   * The dialect's claim of some shares, in the caller's transaction.
   *
   * <p>Implementations claim up to {@link Share#jobs()} due jobs without limits of each share's
   * tenant, in claim order, and return them with how many each tenant gave.
   */
  interface ShareClaim {
    Claimed claim(List<Share> shares) throws SQLException;
  }

  /** Jobs claimed by a {@link ShareClaim}, and how many of them each tenant gave. */
  record Claimed(List<ClaimedJob> jobs, Map<String, Integer> perTenant) {}

  /**
   * Claims up to {@code req.limit()} jobs without limits through {@code dialect}, shared out
   * between the tenants of {@code req.queues()}; see the class comment. A tenant with a max-running
   * quota gets at most its free slots ({@link Quotas}); {@code locked} holds the {@code
   * jobkit_limits} keys this transaction has locked already (the limited phase's), and gets those
   * locked here. Returns the jobs in claim order.
   */
  List<ClaimedJob> claim(Connection c, ClaimRequest req, Set<String> locked, ShareClaim dialect)
      throws SQLException {
    Rotation r = rotations.computeIfAbsent(List.copyOf(req.queues()), q -> new Rotation());
    long now = req.now();
    Quotas quotas = new Quotas(c, now, locked);
    boolean scanned = false;
    if (r.stale(now)) {
      r.scanned(scan(c, req.queues(), r.scanFrom()), now);
      scanned = true;
    }
    List<ClaimedJob> out = new ArrayList<>();
    Set<String> tenants = new HashSet<>();
    Set<String> shortOnes = new HashSet<>();
    for (int round = 0; round < MAX_ROUNDS && out.size() < req.limit(); round++) {
      int wanted = req.limit() - out.size();
      List<Share> plan = r.plan(wanted, weights, c, shortOnes, round == 0, now);
      if (plan.isEmpty() && !scanned) {
        // Short: maybe tenants came that this node has not seen (another node dispatched them).
        r.scanned(scan(c, req.queues(), r.scanFrom()), now);
        scanned = true;
        plan = r.plan(wanted, weights, c, shortOnes, false, now);
      }
      if (plan.isEmpty()) {
        break;
      }
      List<Share> capped = quotas.cap(plan);
      Claimed got = capped.isEmpty() ? new Claimed(List.of(), Map.of()) : dialect.claim(capped);
      out.addAll(got.jobs());
      quotas.claimed(got.perTenant());
      for (Share s : plan) {
        int n = got.perTenant().getOrDefault(s.tenant(), 0);
        if (n > 0) {
          tenants.add(s.tenant());
        }
        if (n < s.jobs()) {
          // Ran short, or its quota capped it: later rounds give the rest to the others.
          shortOnes.add(s.tenant());
          if (n == 0 && quotas.room(s.tenant()) > 0) {
            r.empty(s.tenant(), now);
          }
        }
      }
    }
    if (tenants.size() > 1) {
      out.sort(CLAIM_ORDER);
    }
    return out;
  }

  /**
   * The max-running quotas of the tenants of one claim (#14): the free slots of each tenant with a
   * quota, known from when its share was first planned. Tenants without one pay nothing (no lock,
   * no count: {@link TenantWeights} says which have one).
   *
   * <p>A tenant's slots are checked under the lock of its row {@code tenant:NAME} in {@code
   * jobkit_limits}, the row the limited phase locks for the tenant's limited jobs, so both phases
   * and all nodes serialise on it: PostgreSQL {@code SELECT ... FOR UPDATE} in key order (SQLite:
   * the write lock is held). Then a statement that starts after the lock counts the tenant's
   * RUNNING jobs, whatever their limit keys: it sees every claim of the tenant that committed
   * before, and this transaction's own. Deadlocks: this transaction waits only for rows after every
   * row it holds already (the limited phase's); rows before one of those are taken with {@code SKIP
   * LOCKED}, and a tenant whose row another claimer holds gets nothing from this claim.
   */
  private final class Quotas {
    private final Connection c;
    private final long now;
    private final Set<String> locked;
    private final Map<String, Integer> room = new HashMap<>(); // tenants with a quota only

    Quotas(Connection c, long now, Set<String> locked) {
      this.c = c;
      this.now = now;
      this.locked = locked;
    }

    /**
     * The free slots of {@code tenant} left in this claim ({@link Integer#MAX_VALUE}: no quota).
     */
    int room(String tenant) {
      return room.getOrDefault(tenant, Integer.MAX_VALUE);
    }

    /** {@code plan} with each share capped at its tenant's free slots; shares of 0 are left out. */
    List<Share> cap(List<Share> plan) throws SQLException {
      TreeMap<String, String> fresh = new TreeMap<>(); // key -> tenant, in key order
      for (Share s : plan) {
        if (!room.containsKey(s.tenant()) && weights.maxRunning(c, s.tenant(), now) > 0) {
          fresh.put(TenantRow.limitKey(s.tenant()), s.tenant());
        }
      }
      if (!fresh.isEmpty()) {
        check(fresh);
      }
      List<Share> out = new ArrayList<>(plan.size());
      for (Share s : plan) {
        int jobs = Math.min(s.jobs(), room(s.tenant()));
        if (jobs > 0) {
          out.add(jobs == s.jobs() ? s : new Share(s.tenant(), jobs));
        }
      }
      return out;
    }

    private void check(TreeMap<String, String> fresh) throws SQLException {
      String last = locked.isEmpty() ? null : Collections.max(locked);
      Set<String> waitFor = new TreeSet<>();
      Set<String> skipHeld = new TreeSet<>();
      for (String key : fresh.keySet()) {
        if (last == null || key.compareTo(last) > 0 || locked.contains(key)) {
          waitFor.add(key);
        } else {
          skipHeld.add(key);
        }
      }
      Map<String, Integer> max = new HashMap<>();
      if (!waitFor.isEmpty()) {
        max.putAll(store.limits.lockMaxRunning(c, waitFor, true));
      }
      if (!skipHeld.isEmpty()) {
        max.putAll(store.limits.lockMaxRunning(c, skipHeld, false));
      }
      locked.addAll(max.keySet());
      Set<String> count = new TreeSet<>();
      for (Map.Entry<String, String> e : fresh.entrySet()) {
        String key = e.getKey();
        String tenant = e.getValue();
        Integer m = max.get(key);
        if (m == null && waitFor.contains(key)) {
          // No row although the settings have a quota (Tenants.put writes it; removed by hand):
          // the cached quota, counted without a lock.
          m = weights.maxRunning(c, tenant, now);
        }
        if (m == null) {
          room.put(tenant, 0); // another claimer holds the row: the tenant waits for a later claim
        } else if (m > 0) {
          room.put(tenant, m);
          count.add(tenant);
        }
      }
      // After the locks: sees every claim of these tenants that committed, and this one's.
      Map<String, Integer> running = store.limits.runningOfTenants(c, count);
      for (String tenant : count) {
        room.put(tenant, Math.max(0, room.get(tenant) - running.getOrDefault(tenant, 0)));
      }
    }

    /** A dialect claimed {@code perTenant} jobs: they use slots. */
    void claimed(Map<String, Integer> perTenant) {
      perTenant.forEach(
          (tenant, n) -> {
            Integer free = room.get(tenant);
            if (free != null) {
              room.put(tenant, Math.max(0, free - n));
            }
          });
    }
  }

  /**
   * After {@code jobs} were inserted (maybe not yet committed): their tenants have jobs in their
   * queues. Costs no statement; a claim that finds nothing for such a tenant tries again while the
   * hint is recent, since the insert may not have committed yet.
   */
  void inserted(List<NewJob> jobs, long now) {
    if (rotations.isEmpty()) {
      return;
    }
    String lastQueue = null;
    String lastTenant = null;
    for (NewJob j : jobs) {
      if (j.queue().equals(lastQueue) && j.tenant().equals(lastTenant)) {
        continue;
      }
      lastQueue = j.queue();
      lastTenant = j.tenant();
      for (Map.Entry<List<String>, Rotation> e : rotations.entrySet()) {
        if (e.getKey().contains(lastQueue)) {
          e.getValue().hint(lastTenant, now);
        }
      }
    }
  }

  /**
   * The tenants with claimable jobs (due or not) in {@code queues}, in name order, after {@code
   * from}, at most {@link #MAX_TENANTS_SCANNED} per queue: a loose index scan over {@code
   * jobkit_jobs_claim}.
   */
  private List<String> scan(Connection c, List<String> queues, String from) throws SQLException {
    String sql = tenantsSql;
    if (sql == null) {
      tenantsSql = sql = tenantsSql(store.t.jobsSql);
    }
    TreeSet<String> found = new TreeSet<>();
    for (String queue : queues) {
      store.db.prepared(
          c,
          sql,
          ps -> {
            ps.setString(1, queue);
            ps.setString(2, from);
            ps.setString(3, queue);
            ps.setInt(4, MAX_TENANTS_SCANNED);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.add(rs.getString(1));
              }
            }
            return null;
          });
    }
    return new ArrayList<>(found);
  }

  /**
   * The loose index scan: each step seeks the first tenant after the one before in {@code
   * jobkit_jobs_claim}; the status and limit predicates are those of the index, inlined, so that
   * both planners use it. Parameters: queue, the tenant to start after, queue, most tenants.
   */
  static String tenantsSql(String jobsSql) {
    String claimable =
        " WHERE " + SqlJobStore.CLAIMABLE_SQL + " AND limit_keys IS NULL AND j.queue = ?";
    return "WITH RECURSIVE t (tenant, n) AS (SELECT (SELECT j.tenant FROM "
        + jobsSql
        + " j"
        + claimable
        + " AND j.tenant > ? ORDER BY j.tenant LIMIT 1), 1"
        + " UNION ALL SELECT (SELECT j.tenant FROM "
        + jobsSql
        + " j"
        + claimable
        + " AND j.tenant > t.tenant ORDER BY j.tenant LIMIT 1), t.n + 1"
        + " FROM t WHERE t.tenant IS NOT NULL AND t.n < ?)"
        + " SELECT tenant FROM t WHERE tenant IS NOT NULL";
  }

  /**
   * The fair-claiming state of one queue (or one list of queues): its tenants, where the rotation
   * stopped, the carries of the weighted shares, and tenants found empty lately. Thread-safe.
   */
  static final class Rotation {
    private List<String> tenants = List.of();
    private long scannedAt = Long.MIN_VALUE;
    private String scanFrom = "";
    private String next = "";
    private final Map<String, Double> carry = new HashMap<>();
    private final Map<String, Long> emptyAt = new HashMap<>();
    private final Map<String, Long> hintedAt = new HashMap<>();

    /** Whether the tenants must be looked up again before a claim at {@code now}. */
    synchronized boolean stale(long now) {
      return scannedAt == Long.MIN_VALUE
          || now - scannedAt >= TENANTS_MAX_AGE_MS
          || now < scannedAt;
    }

    /** Where the next scan starts: after the last tenant of one that read its maximum. */
    synchronized String scanFrom() {
      return scanFrom;
    }

    /** The tenants a scan found at {@code now}; they are no longer taken to be empty. */
    synchronized void scanned(List<String> found, long now) {
      scannedAt = now;
      List<String> all = new ArrayList<>(found);
      // Told by dispatches of this node and maybe not committed when the scan read: kept a while.
      for (Map.Entry<String, Long> h : hintedAt.entrySet()) {
        if (recent(h.getValue(), now) && Collections.binarySearch(found, h.getKey()) < 0) {
          all.add(h.getKey());
        }
      }
      Collections.sort(all);
      tenants = List.copyOf(all);
      scanFrom = found.size() >= MAX_TENANTS_SCANNED ? found.get(found.size() - 1) : "";
      for (String t : found) {
        emptyAt.remove(t);
      }
      Set<String> known = new HashSet<>(all);
      carry.keySet().retainAll(known);
      emptyAt.keySet().retainAll(known);
      hintedAt.values().removeIf(at -> !recent(at, now));
    }

    /** {@code tenant} has jobs in this queue since {@code now}. */
    synchronized void hint(String tenant, long now) {
      hintedAt.put(tenant, now);
      emptyAt.remove(tenant);
      int at = Collections.binarySearch(tenants, tenant);
      if (at < 0) {
        List<String> more = new ArrayList<>(tenants);
        more.add(-at - 1, tenant);
        tenants = List.copyOf(more);
      }
    }

    /** A claim at {@code now} found no due job of {@code tenant}. */
    synchronized void empty(String tenant, long now) {
      emptyAt.put(tenant, now);
    }

    private static boolean recent(long at, long now) {
      return now >= at && now - at < TENANTS_MAX_AGE_MS;
    }

    /** Whether a claim at {@code now} skips {@code tenant}: found empty lately, not told since. */
    private boolean skipped(String tenant, long now) {
      Long empty = emptyAt.get(tenant);
      if (empty == null || !recent(empty, now)) {
        return false;
      }
      Long hinted = hintedAt.get(tenant);
      return hinted == null || !recent(hinted, now);
    }

    /**
     * The shares of a claim of {@code wanted} jobs at {@code now}: the next tenants of the rotation
     * (at most {@link #MAX_TENANTS_PER_CLAIM} and {@code wanted}) without those in {@code exclude},
     * each at least one job, the rest by weight. {@code first} is the first round of a claim: it
     * moves the rotation on and keeps the fractions each tenant was given too few or too many (its
     * carry) for the next claims; later rounds share out what tenants left and change neither.
     */
    synchronized List<Share> plan(
        int wanted,
        TenantWeights weights,
        Connection c,
        Set<String> exclude,
        boolean first,
        long now)
        throws SQLException {
      if (wanted <= 0 || tenants.isEmpty()) {
        return List.of();
      }
      int size = tenants.size();
      int start = Collections.binarySearch(tenants, next);
      if (start < 0) {
        start = (-start - 1) % size;
      }
      int cap = Math.min(MAX_TENANTS_PER_CLAIM, wanted);
      List<String> window = new ArrayList<>(Math.min(cap, size));
      int last = -1;
      for (int i = 0; i < size && window.size() < cap; i++) {
        int at = (start + i) % size;
        String t = tenants.get(at);
        if (!exclude.contains(t) && !skipped(t, now)) {
          window.add(t);
          last = at;
        }
      }
      if (window.isEmpty()) {
        return List.of();
      }
      if (first) {
        // When every tenant got a share, start one further next time, so ties take turns.
        boolean all = window.size() == eligible(exclude, now);
        next = tenants.get(((all ? start : last) + 1) % size);
      }
      if (window.size() == 1) {
        return List.of(new Share(window.get(0), wanted));
      }
      double[] w = new double[window.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = weights.weight(c, window.get(i), now);
      }
      int[] jobs = shares(wanted, w, first ? carries(window) : new double[w.length]);
      List<Share> plan = new ArrayList<>(window.size());
      for (int i = 0; i < jobs.length; i++) {
        plan.add(new Share(window.get(i), jobs[i]));
        if (first) {
          double exact = wanted * w[i] / sum(w) + carry.getOrDefault(window.get(i), 0.0);
          carry.put(window.get(i), Math.max(-1.0, Math.min(1.0, exact - jobs[i])));
        }
      }
      return plan;
    }

    private int eligible(Set<String> exclude, long now) {
      int n = 0;
      for (String t : tenants) {
        if (!exclude.contains(t) && !skipped(t, now)) {
          n++;
        }
      }
      return n;
    }

    private double[] carries(List<String> window) {
      double[] out = new double[window.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = carry.getOrDefault(window.get(i), 0.0);
      }
      return out;
    }

    /** The tenants known, in name order (for tests). */
    synchronized List<String> tenants() {
      return tenants;
    }
  }

  private static double sum(double[] w) {
    double s = 0;
    for (double x : w) {
      s += x;
    }
    return s;
  }

  /**
   * {@code n} jobs shared out by {@code weights} (largest remainder, after adding each one's {@code
   * carry}), at least one each; {@code n} is at least the number of weights. Ties go to the earlier
   * one.
   */
  static int[] shares(int n, double[] weights, double[] carry) {
    int k = weights.length;
    double total = sum(weights);
    double[] exact = new double[k];
    int[] out = new int[k];
    int given = 0;
    for (int i = 0; i < k; i++) {
      exact[i] = n * weights[i] / total + carry[i];
      out[i] = Math.max(1, (int) Math.floor(exact[i]));
      given += out[i];
    }
    while (given > n) {
      // Too many after the minimum of one: take from the one furthest above its exact share.
      int most = -1;
      for (int i = 0; i < k; i++) {
        if (out[i] > 1 && (most < 0 || out[i] - exact[i] > out[most] - exact[most])) {
          most = i;
        }
      }
      out[most]--;
      given--;
    }
    while (given < n) {
      int most = 0;
      for (int i = 1; i < k; i++) {
        if (exact[i] - out[i] > exact[most] - out[most]) {
          most = i;
        }
      }
      out[most]++;
      given++;
    }
    return out;
  }
}
