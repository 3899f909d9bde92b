package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobLimits;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LimitRow;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency and rate limits in the store's claim (#12 limits), on both databases ({@link
 * LimitsStoreSqliteTest}, {@link LimitsStorePostgresTest}), with a settable clock.
 */
abstract class LimitsStoreTest {
  static final long T0 = 1_700_000_000_000L;
  static final long LEASE = 30_000;
  final SettableClock clock = new SettableClock(T0);
  final JobIds ids = new JobIds(clock);
  JobStore store;

  abstract JobStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private String dispatch(String name, String queue, String keys) {
    NewJob j =
        NewJob.of(ids.next(), name, "{}".getBytes(StandardCharsets.UTF_8), clock.millis())
            .withQueue(queue)
            .withLimitKeys(keys);
    return store.insert(j, clock.millis()).id();
  }

  private String dispatch(String keys) {
    return dispatch("job", "default", keys);
  }

  private List<String> claim(int limit) {
    return claim(store, limit);
  }

  private List<String> claim(JobStore s, int limit) {
    List<String> out = new ArrayList<>();
    for (ClaimedJob j :
        s.claim(
            new ClaimRequest(
                "node", List.of("default"), limit, clock.millis(), clock.millis() + LEASE))) {
      out.add(j.id());
    }
    return out;
  }

  private ClaimedJob claimOne() {
    return store
        .claim(
            new ClaimRequest("node", List.of("default"), 1, clock.millis(), clock.millis() + LEASE))
        .get(0);
  }

  @Test
  void aConcurrencyLimitIsHonouredAndItsSlotFreedByCompletion() {
    store.defineLimits(List.of(new LimitRow("deploy", 2, 0, 0, 0)), clock.millis());
    for (int i = 0; i < 5; i++) {
      dispatch(",deploy,");
    }
    List<String> first = claim(10);
    assertEquals(2, first.size());
    assertEquals(List.of(), claim(10));
    store.complete(first.get(0), 1, null, clock.millis());
    assertEquals(1, claim(10).size());
    assertEquals(List.of(), claim(10));
  }

  @Test
  void aLimitedJobIsClaimedWithItsRunAtAndTraceContext() {
    // The limited phase reads its own candidate rows: they must carry what the plain claim does.
    store.defineLimits(List.of(new LimitRow("deploy", 1, 0, 0, 0)), clock.millis());
    long runAt = clock.millis() - 5_000;
    NewJob j =
        NewJob.of(ids.next(), "job", "{}".getBytes(StandardCharsets.UTF_8), runAt)
            .withLimitKeys(",deploy,")
            .withTraceContext(
                "{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}");
    store.insert(j, clock.millis());
    ClaimedJob c = claimOne();
    assertEquals(j.id(), c.id());
    assertEquals(runAt, c.runAt());
    assertEquals(j.traceContext(), c.traceContext());
  }

  @Test
  void aKeyedLimitIsIndependentPerKey() {
    store.defineLimits(
        List.of(
            new LimitRow("deploy[host=db1]", 1, 0, 0, 0),
            new LimitRow("deploy[host=db2]", 1, 0, 0, 0)),
        clock.millis());
    String a1 = dispatch(",deploy[host=db1],");
    dispatch(",deploy[host=db1],");
    String b1 = dispatch(",deploy[host=db2],");
    dispatch(",deploy[host=db2],");
    assertEquals(Set.of(a1, b1), new TreeSet<>(claim(10)));
    assertEquals(List.of(), claim(10));
  }

  @Test
  void aJobWithTwoKeysNeedsRoomInBoth() {
    store.defineLimits(
        List.of(new LimitRow("deploy", 5, 0, 0, 0), new LimitRow("queue:default", 1, 0, 0, 0)),
        clock.millis());
    dispatch(",deploy,queue:default,");
    dispatch(",deploy,queue:default,");
    assertEquals(1, claim(10).size());
    assertEquals(List.of(), claim(10));
  }

  @Test
  void aBlockedKeyDoesNotStarveUnlimitedOrOtherLimitedJobs() {
    store.defineLimits(
        List.of(new LimitRow("a", 1, 0, 0, 0), new LimitRow("b", 1, 0, 0, 0)), clock.millis());
    for (int i = 0; i < 40; i++) {
      dispatch(",a,"); // first in claim order: the same priority, earlier run_at and ids
    }
    clock.advance(1);
    String b = dispatch(",b,");
    String free = dispatch(null);
    List<String> claimed = claim(3);
    assertEquals(3, claimed.size(), claimed.toString());
    assertTrue(claimed.contains(b), "the job of key b behind 40 jobs of key a: " + claimed);
    assertTrue(claimed.contains(free), "the unlimited job: " + claimed);
    // a is full now: the next claim still finds nothing of a, and returns at once.
    assertEquals(List.of(), claim(3));
  }

  @Test
  void aRateLimitAllowsItsBurstThenOneStartPerInterval() {
    // 2 per second, burst 3: 3 at once, then one each 500 ms.
    store.defineLimits(List.of(new LimitRow("mail", 0, 2, 1000, 3)), clock.millis());
    for (int i = 0; i < 10; i++) {
      dispatch(",mail,");
    }
    assertEquals(3, claim(10).size());
    assertEquals(0, claim(10).size());
    clock.advance(499);
    assertEquals(0, claim(10).size());
    clock.advance(1);
    assertEquals(1, claim(10).size());
    assertEquals(0, claim(10).size());
    clock.advance(1000);
    assertEquals(2, claim(10).size());
    // Idle for long: the bucket fills up to its burst, no more.
    clock.advance(60_000);
    assertEquals(3, claim(10).size());
  }

  @Test
  void slotsAreFreedByFailureCancelPauseAndLeaseExpiryRecovery() {
    store.defineLimits(List.of(new LimitRow("k", 1, 0, 0, 0)), clock.millis());
    for (int i = 0; i < 5; i++) {
      dispatch(",k,");
    }
    ClaimedJob j = claimOne();
    assertEquals(List.of(), claim(5));
    assertTrue(store.finish(j.id(), j.epoch(), JobStatus.FAILED, "boom", clock.millis()));
    j = claimOne();
    assertEquals(List.of(), claim(5));
    assertTrue(store.finish(j.id(), j.epoch(), JobStatus.CANCELLED, null, clock.millis()));
    j = claimOne();
    assertEquals(List.of(), claim(5));
    assertTrue(store.release(j.id(), j.epoch(), JobStatus.PAUSED, clock.millis()));
    j = claimOne();
    assertEquals(List.of(), claim(5));
    assertTrue(
        store.scheduleRetry(j.id(), j.epoch(), "again", clock.millis() + 1000, clock.millis()));
    j = claimOne();
    assertEquals(List.of(), claim(5));
    clock.advance(LEASE + 1);
    assertEquals(List.of(j.id()), store.recoverExpiredLeases(clock.millis()));
    assertEquals(1, claim(5).size());
  }

  @Test
  void anotherStoreOnTheSameDatabaseSeesTheLimitsAndTheRunningJobs() {
    JobStore other = openStore();
    try {
      store.defineLimits(List.of(new LimitRow("k", 1, 0, 0, 0)), clock.millis());
      dispatch(",k,");
      dispatch(",k,");
      assertEquals(1, claim(other, 5).size());
      assertEquals(List.of(), claim(5));
      assertEquals(List.of(), claim(other, 5));
    } finally {
      other.close();
    }
  }

  @Test
  void limitsOfAJobSayWhichKeyIsFullAndWhenTheRateAllowsTheNextStart() {
    store.defineLimits(
        List.of(
            new LimitRow("deploy[host=db1]", 1, 0, 0, 0), new LimitRow("mail", 0, 1, 10_000, 1)),
        clock.millis());
    dispatch(",deploy[host=db1],");
    String waiting = dispatch(",deploy[host=db1],");
    dispatch(",mail,");
    String mail = dispatch(",mail,");
    assertEquals(2, claim(10).size());
    JobLimits l = store.limitsOf(waiting, clock.millis()).orElseThrow();
    assertEquals("QUEUED", l.status());
    assertEquals(1, l.keys().size());
    assertEquals("deploy[host=db1]", l.keys().get(0).key());
    assertEquals(1, l.keys().get(0).running());
    assertEquals(1, l.keys().get(0).row().maxRunning());
    JobLimits m = store.limitsOf(mail, clock.millis()).orElseThrow();
    assertEquals(T0 + 10_000, m.keys().get(0).nextStartAt());
    assertTrue(store.limitsOf(dispatch(null), clock.millis()).isEmpty());
  }

  @Test
  void priorityStillOrdersLimitedJobs() {
    store.defineLimits(List.of(new LimitRow("k", 1, 0, 0, 0)), clock.millis());
    dispatch(",k,");
    NewJob high =
        NewJob.of(ids.next(), "job", "{}".getBytes(StandardCharsets.UTF_8), clock.millis())
            .withPriority(Priority.HIGH)
            .withLimitKeys(",k,");
    store.insert(high, clock.millis());
    assertEquals(List.of(high.id()), claim(5));
  }

  // ---------------------------------------------------------------- retention of limit rows

  private long limitRows() {
    SqlJobStore s = (SqlJobStore) store;
    String sql = "SELECT count(*) FROM " + s.t.jobsSql.replace(Tables.JOBS, "jobkit_limits");
    return s.db.read(
        (ctx, c) ->
            s.db.prepared(
                c,
                sql,
                ps -> {
                  try (java.sql.ResultSet r = ps.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                  }
                }));
  }

  private void deleteAllFinishedJobs() {
    store.deleteExpired(
        List.of(dev.jobkit.runtime.internal.store.RetentionRule.defaults(0, 0)),
        clock.millis() + 1,
        10_000);
  }

  @Test
  void idleKeyedRowsAreDeletedOnceNoJobCarriesTheirKeyAndALimitStillHoldsAfterwards() {
    List<LimitRow> defs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      defs.add(new LimitRow("deploy[host=h" + i + "]", 1, 0, 0, 0));
    }
    // A rate of one start per two hours: its state needs two hours to replenish.
    defs.add(new LimitRow("slow", 0, 1, 2 * 3_600_000L, 1));
    store.defineLimits(defs, clock.millis());
    for (int i = 0; i < 30; i++) {
      dispatch(",deploy[host=h" + i + "],");
    }
    dispatch(",slow,");
    List<String> ran = claim(100);
    assertEquals(31, ran.size());
    for (String id : ran) {
      store.complete(id, 1, null, clock.millis());
    }
    assertEquals(31, limitRows());

    // An hour on, the finished jobs still carry the keys (a retry would need the rows).
    clock.advance(3_600_001L);
    assertEquals(0, store.deleteIdleLimits(clock.millis(), 500));
    deleteAllFinishedJobs();
    // No job left: the keyed rows go; the rate row's state has not replenished yet.
    assertEquals(30, store.deleteIdleLimits(clock.millis(), 7));
    assertEquals(1, limitRows());
    clock.advance(3_600_000L);
    assertEquals(1, store.deleteIdleLimits(clock.millis(), 500));
    assertEquals(0, limitRows());

    // The same process dispatches again: its definition is written again with the job, so the
    // limit holds (without the row the jobs would never start).
    String a = dispatch(",deploy[host=h1],");
    dispatch(",deploy[host=h1],");
    assertEquals(List.of(a), claim(10));
    assertEquals(List.of(), claim(10), "one running deploy per host, as before");
    assertEquals(1, limitRows());
  }

  @Test
  void aRowWrittenWithinTheHourOrCarriedByAWaitingJobStays() {
    store.defineLimits(List.of(new LimitRow("deploy[host=a]", 1, 0, 0, 0)), clock.millis());
    String first = dispatch(",deploy[host=a],");
    dispatch(",deploy[host=a],");
    clock.advance(3_600_001L);
    assertEquals(0, store.deleteIdleLimits(clock.millis(), 500), "a job waits for the key");
    assertEquals(List.of(first), claim(10));
    assertEquals(List.of(), claim(10));
    // A second process that defines the key and dispatches now rewrites the row's time.
    JobStore other = openStore();
    try {
      other.defineLimits(List.of(new LimitRow("deploy[host=a]", 1, 0, 0, 0)), clock.millis());
      NewJob j =
          NewJob.of(ids.next(), "job", "{}".getBytes(StandardCharsets.UTF_8), clock.millis())
              .withLimitKeys(",deploy[host=a],");
      other.insert(j, clock.millis());
    } finally {
      other.close();
    }
    store.complete(first, 1, null, clock.millis());
    deleteAllFinishedJobs();
    claim(10).forEach(id -> store.complete(id, 1, null, clock.millis()));
    claim(10).forEach(id -> store.complete(id, 1, null, clock.millis()));
    deleteAllFinishedJobs();
    assertEquals(0, store.deleteIdleLimits(clock.millis(), 500), "written less than an hour ago");
    clock.advance(3_600_001L);
    assertEquals(1, store.deleteIdleLimits(clock.millis(), 500));
  }
}
