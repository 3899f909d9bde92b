package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LimitRow;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.internal.store.TenantCount;
import dev.jobkit.runtime.internal.store.TenantRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's max-running quota inside fair claiming (#14), in the store's claim, on both databases
 * ({@link TenantQuotaClaimSqliteTest}, {@link TenantQuotaClaimPostgresTest}), with a settable
 * clock: a tenant with a quota gets at most its free slots and the others the rest, a quota larger
 * than a claim does not take the others' share, jobs dispatched before the quota count, limited
 * jobs respect both their own limit and the quota, and every claim path returns the tenant.
 */
abstract class TenantQuotaClaimStoreTest {
  static final long T0 = 1_700_000_000_000L;
  static final long LEASE = 30_000;
  final SettableClock clock = new SettableClock(T0);
  final JobIds ids = new JobIds(clock);
  private final List<JobStore> opened = new ArrayList<>();
  JobStore store;

  abstract JobStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
    opened.add(store);
  }

  @AfterEach
  void close() {
    opened.forEach(JobStore::close);
  }

  /** Names are TENANT-N, so that a test can count by name whatever a claim says the tenant is. */
  private List<NewJob> jobs(String tenant, int n, String limitKeys) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NewJob j =
          NewJob.of(
                  ids.next(),
                  tenant + "-" + i,
                  "{}".getBytes(StandardCharsets.UTF_8),
                  clock.millis())
              .withTenant(tenant);
      jobs.add(limitKeys == null ? j : j.withLimitKeys(limitKeys));
    }
    return jobs;
  }

  private void dispatch(String tenant, int n) {
    store.insertAll(jobs(tenant, n, null), clock.millis());
  }

  private void maxRunning(String tenant, int max) {
    store.putTenant(
        new TenantRow(tenant, 1, 0, max, 0, 0, 0, 0, 0, null, clock.millis(), clock.millis()),
        null);
  }

  private List<ClaimedJob> claim(int limit) {
    return store.claim(
        new ClaimRequest(
            "node", List.of("default"), limit, clock.millis(), clock.millis() + LEASE));
  }

  private static String tenantOfName(ClaimedJob j) {
    return j.name().substring(0, j.name().lastIndexOf('-'));
  }

  private static Map<String, Integer> byTenant(List<ClaimedJob> jobs) {
    Map<String, Integer> out = new HashMap<>();
    for (ClaimedJob j : jobs) {
      out.merge(tenantOfName(j), 1, Integer::sum);
    }
    return out;
  }

  private long running(String tenant) {
    return store.tenantCounts(tenant).stream().mapToLong(TenantCount::running).sum();
  }

  @Test
  void aTenantAtItsMaxRunningGetsItsFreeSlotsAndTheOthersTheRest() {
    maxRunning("a", 2);
    dispatch("a", 20);
    dispatch("b", 20);
    List<ClaimedJob> first = claim(8);
    assertEquals(Map.of("a", 2, "b", 6), byTenant(first));
    assertEquals(Map.of("b", 8), byTenant(claim(8)), "a has no free slot left");
    assertEquals(2, running("a"));
    ClaimedJob a = first.stream().filter(j -> j.tenant().equals("a")).findFirst().orElseThrow();
    assertTrue(store.complete(a.id(), a.epoch(), null, clock.millis()));
    assertEquals(Map.of("a", 1, "b", 6), byTenant(claim(8)), "a's freed slot, b's last 6");
    assertEquals(2, running("a"));
  }

  @Test
  void aMaxRunningLargerThanTheClaimDoesNotTakeTheOtherTenantsShare() {
    // The usual case: the quota protects the others, so it is larger than what one node claims.
    maxRunning("a", 100);
    dispatch("a", 40);
    dispatch("b", 40);
    assertEquals(Map.of("a", 4, "b", 4), byTenant(claim(8)));
    assertEquals(Map.of("a", 4, "b", 4), byTenant(claim(8)));
  }

  @Test
  void jobsDispatchedBeforeTheQuotaWasSetAreCounted() {
    dispatch("a", 20);
    dispatch("b", 20);
    assertEquals(Map.of("a", 2, "b", 2), byTenant(claim(4)));
    maxRunning("a", 3);
    assertEquals(Map.of("a", 1, "b", 7), byTenant(claim(8)), "a's 2 running count: 1 free slot");
    assertEquals(Map.of("b", 8), byTenant(claim(8)));
    assertEquals(3, running("a"));
  }

  @Test
  void limitedJobsInATenantWithMaxRunningHoldBothLimits() {
    store.defineLimits(
        List.of(new LimitRow("lim[host=h1]", 1, 0, 0, 0), new LimitRow("lim[host=h2]", 1, 0, 0, 0)),
        clock.millis());
    // Dispatched before the quota: they lack the key tenant:a, and count all the same.
    store.insertAll(jobs("a", 3, ",lim[host=h1],"), clock.millis());
    maxRunning("a", 2);
    store.insertAll(jobs("a", 3, ",lim[host=h2],"), clock.millis());
    dispatch("a", 10);
    dispatch("b", 10);
    List<ClaimedJob> got = claim(8);
    assertEquals(Map.of("a", 2, "b", 6), byTenant(got));
    // The limited phase comes first: one job of each host, which fills a's quota.
    assertEquals(
        List.of("a", "a"),
        got.subList(0, 2).stream().map(TenantQuotaClaimStoreTest::tenantOfName).toList());
    assertEquals(Map.of("b", 4), byTenant(claim(8)), "a is full, h1 and h2 too");
    assertEquals(2, running("a"));
    ClaimedJob h1 = got.get(0);
    assertTrue(store.complete(h1.id(), h1.epoch(), null, clock.millis()));
    List<ClaimedJob> next = claim(8);
    assertEquals(Map.of("a", 1), byTenant(next), "one free slot of a, taken by its limited job");
    assertEquals(2, running("a"));
  }

  @Test
  void claimedJobsCarryTheirTenant() {
    store.defineLimits(List.of(new LimitRow("lim", 5, 0, 0, 0)), clock.millis());
    // One tenant (the single-tenant claim), then several (the shares), then limited jobs.
    dispatch("solo", 3);
    List<ClaimedJob> one = claim(3);
    dispatch("x", 3);
    dispatch("y", 3);
    List<ClaimedJob> shared = claim(6);
    store.insertAll(jobs("z", 2, ",lim,"), clock.millis());
    List<ClaimedJob> limited = claim(2);
    for (List<ClaimedJob> claimed : List.of(one, shared, limited)) {
      assertTrue(!claimed.isEmpty());
      for (ClaimedJob j : claimed) {
        assertEquals(tenantOfName(j), j.tenant(), j.name());
      }
    }
    assertEquals(3, one.size());
    assertEquals(6, shared.size());
    assertEquals(2, limited.size());
  }
}
