package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fair claiming across tenants in the store's claim (#14), on both databases ({@link
 * FairClaimSqliteTest}, {@link FairClaimPostgresTest}), with a settable clock: weighted shares,
 * shares left by a tenant going to the others, rotation when there are more tenants than a claim
 * takes, priorities within a tenant, and tenants dispatched by another store.
 */
abstract class FairClaimStoreTest {
  static final long T0 = 1_700_000_000_000L;
  static final long LEASE = 30_000;
  final SettableClock clock = new SettableClock(T0);
  final JobIds ids = new JobIds(clock);
  private final List<JobStore> opened = new ArrayList<>();
  JobStore store;

  abstract JobStore openStore();

  /** Runs one statement on the test's database, outside any store. */
  abstract void execute(String sql) throws Exception;

  @BeforeEach
  void open() {
    store = another();
  }

  JobStore another() {
    JobStore s = openStore();
    opened.add(s);
    return s;
  }

  @AfterEach
  void close() {
    opened.forEach(JobStore::close);
  }

  private NewJob job(String tenant, String name) {
    return NewJob.of(ids.next(), name, "{}".getBytes(StandardCharsets.UTF_8), clock.millis())
        .withTenant(tenant);
  }

  private void dispatch(JobStore s, String tenant, int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(job(tenant, tenant + "-" + i));
    }
    s.insertAll(jobs, clock.millis());
  }

  private void weight(String tenant, int weight) throws Exception {
    execute(
        "INSERT INTO jobkit_tenants (name, weight, created_at, updated_at) VALUES ('"
            + tenant
            + "', "
            + weight
            + ", 0, 0)");
  }

  private List<ClaimedJob> claim(JobStore s, int limit) {
    return s.claim(
        new ClaimRequest(
            "node", List.of("default"), limit, clock.millis(), clock.millis() + LEASE));
  }

  /** Names are TENANT-N: the tenant of each claimed job, counted. */
  private static Map<String, Integer> byTenant(List<ClaimedJob> jobs, Map<String, Integer> into) {
    for (ClaimedJob j : jobs) {
      into.merge(j.name().substring(0, j.name().lastIndexOf('-')), 1, Integer::sum);
    }
    return into;
  }

  @Test
  void weightsThreeToOneShareEachClaimThreeToOne() throws Exception {
    weight("heavy", 3);
    dispatch(store, "heavy", 400);
    dispatch(store, "light", 400);
    Map<String, Integer> got = new HashMap<>();
    for (int i = 0; i < 25; i++) {
      List<ClaimedJob> c = claim(store, 8);
      assertEquals(8, c.size());
      // Every claim of 8: 6 and 2.
      assertEquals(Map.of("heavy", 6, "light", 2), byTenant(c, new HashMap<>()));
      byTenant(c, got);
    }
    assertEquals(Map.of("heavy", 150, "light", 50), got);
  }

  @Test
  void weightsHoldOverClaimsTooSmallToSplitExactly() throws Exception {
    weight("heavy", 3);
    dispatch(store, "heavy", 400);
    dispatch(store, "light", 400);
    Map<String, Integer> got = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      byTenant(claim(store, 5), got);
    }
    // 200 jobs at 3:1 are 150 and 50; the carry keeps each within a job or two of that.
    assertEquals(200, got.get("heavy") + got.get("light"));
    assertTrue(Math.abs(got.get("heavy") - 150) <= 2, got::toString);
  }

  @Test
  void sharesATenantCannotUseGoToTheOthers() {
    dispatch(store, "big", 100);
    dispatch(store, "small", 2);
    Map<String, Integer> got = byTenant(claim(store, 10), new HashMap<>());
    assertEquals(Map.of("big", 8, "small", 2), got);
    assertEquals(Map.of("big", 10), byTenant(claim(store, 10), new HashMap<>()));
  }

  @Test
  void moreTenantsThanAClaimTakesAreServedInTurn() {
    for (int t = 0; t < 20; t++) {
      dispatch(store, String.format("t%02d", t), 5);
    }
    Set<String> served = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      Map<String, Integer> got = byTenant(claim(store, 4), new HashMap<>());
      assertEquals(4, got.size(), "one job each of four tenants: " + got);
      served.addAll(got.keySet());
    }
    assertEquals(20, served.size(), "every tenant once in five claims of four: " + served);
  }

  @Test
  void oneTenantClaimsInPriorityThenFifoOrder() {
    NewJob low = job("acme", "low").withPriority(Priority.LOW);
    NewJob n1 = job("acme", "n1");
    NewJob high = job("acme", "high").withPriority(Priority.HIGH);
    NewJob n2 = job("acme", "n2");
    store.insertAll(List.of(low, n1, high, n2), clock.millis());
    assertEquals(
        List.of("high", "n1", "n2", "low"),
        claim(store, 10).stream().map(ClaimedJob::name).collect(Collectors.toList()));
  }

  @Test
  void priorityOrdersWithinATenantAndTheClaimIsInClaimOrder() {
    store.insertAll(
        List.of(
            job("a", "a-low").withPriority(Priority.LOW),
            job("a", "a-normal"),
            job("a", "a-high").withPriority(Priority.HIGH),
            job("b", "b-normal"),
            job("b", "b-critical").withPriority(Priority.CRITICAL)),
        clock.millis());
    // Two each: a's two highest and b's two, the claim sorted by priority, then run-at and id.
    assertEquals(
        List.of("b-critical", "a-high", "a-normal", "b-normal"),
        claim(store, 4).stream().map(ClaimedJob::name).collect(Collectors.toList()));
    assertEquals(
        List.of("a-low"),
        claim(store, 4).stream().map(ClaimedJob::name).collect(Collectors.toList()));
  }

  @Test
  void aTenantDispatchedByAnotherNodeIsServedWithinTheListsMaximumAge() {
    dispatch(store, "a", 200);
    assertEquals(Map.of("a", 8), byTenant(claim(store, 8), new HashMap<>()));
    dispatch(another(), "b", 10);
    // This store has not seen b yet, and its claims are full: its list of tenants is current.
    assertEquals(Map.of("a", 8), byTenant(claim(store, 8), new HashMap<>()));
    clock.advance(FairClaim.TENANTS_MAX_AGE_MS);
    assertEquals(Map.of("a", 4, "b", 4), byTenant(claim(store, 8), new HashMap<>()));
  }

  @Test
  void aTenantDispatchedByAnotherNodeIsServedAtOnceWhenTheQueueRunsShort() {
    dispatch(store, "a", 3);
    assertEquals(Map.of("a", 3), byTenant(claim(store, 8), new HashMap<>()));
    dispatch(another(), "b", 10);
    assertEquals(Map.of("b", 8), byTenant(claim(store, 8), new HashMap<>()));
  }

  @Test
  void aTenantDispatchedHereIsServedByTheNextClaim() {
    dispatch(store, "a", 200);
    assertEquals(Map.of("a", 8), byTenant(claim(store, 8), new HashMap<>()));
    dispatch(store, "b", 10);
    assertEquals(Map.of("a", 4, "b", 4), byTenant(claim(store, 8), new HashMap<>()));
  }
}
