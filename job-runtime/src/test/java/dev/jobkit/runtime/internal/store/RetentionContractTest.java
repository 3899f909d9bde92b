package dev.jobkit.runtime.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.LogLevel;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.worker.RetentionTask;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic retention (#16) on the store and the {@link RetentionTask} over it, on both databases
 * (a subclass per dialect): which jobs a policy deletes, in batches, with their events, logs and
 * tags, and one process at a time through the lease in {@code jobkit_maintenance}. Times come from
 * a settable clock.
 */
public abstract class RetentionContractTest {
  protected static final long DAY = 86_400_000L;
  protected static final long T0 = 1_700_000_000_000L;

  protected final SettableClock clock = new SettableClock(T0);
  protected final JobIds ids = new JobIds(clock);
  protected JobStore store;
  private final List<JobStore> opened = new ArrayList<>();

  /** A store on this test's database; each call is another instance (another process or node). */
  protected abstract JobStore openStore();

  @BeforeEach
  void openFirst() {
    store = open();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(JobStore::close);
  }

  protected final JobStore open() {
    JobStore s = openStore();
    opened.add(s);
    return s;
  }

  /** A job of {@code name} in {@code queue} that ended in {@code end} at {@code at}. */
  protected String finished(String name, String queue, JobStatus end, long at) {
    clock.set(at);
    NewJob j = NewJob.of(ids.next(), name, name.getBytes(StandardCharsets.UTF_8), at);
    j = j.withQueue(queue).withTags(List.of("t-" + name));
    store.insert(j, at);
    if (end == JobStatus.CANCELLED) {
      store.requestCancel(j.id(), at);
      return j.id();
    }
    List<ClaimedJob> c = store.claim(new ClaimRequest("w", List.of(queue), 1, at, at + 30_000));
    assertEquals(j.id(), c.get(0).id());
    long epoch = c.get(0).epoch();
    store.appendLogs(j.id(), epoch, List.of(new LogLine(0, j.id(), at, LogLevel.INFO, "x", 1)));
    if (end == JobStatus.COMPLETED) {
      assertTrue(store.complete(j.id(), epoch, null, at));
    } else if (end != JobStatus.RUNNING) {
      assertTrue(store.finish(j.id(), epoch, end, "boom", at));
    }
    return j.id();
  }

  private Set<String> remaining(List<String> idsToCheck) {
    Set<String> left = new TreeSet<>();
    for (String id : idsToCheck) {
      if (store.get(id).isPresent()) {
        left.add(id);
      }
    }
    return left;
  }

  private static List<RetentionRule> defaults() {
    return List.of(RetentionRule.defaults(7 * DAY, 30 * DAY));
  }

  @Test
  void defaultsDeleteByEndStateAndKeepQuarantinedAndUnfinished() {
    long now = T0 + 100 * DAY;
    String oldDone = finished("a", "q", JobStatus.COMPLETED, now - 8 * DAY);
    String newDone = finished("a", "q", JobStatus.COMPLETED, now - 6 * DAY);
    String oldFailed = finished("a", "q", JobStatus.FAILED, now - 31 * DAY);
    String midFailed = finished("a", "q", JobStatus.FAILED, now - 8 * DAY);
    String oldCancelled = finished("a", "q", JobStatus.CANCELLED, now - 31 * DAY);
    String oldTimedOut = finished("a", "q", JobStatus.TIMED_OUT, now - 31 * DAY);
    String quarantined = finished("a", "q", JobStatus.QUARANTINED, now - 90 * DAY);
    String running = finished("a", "q", JobStatus.RUNNING, now - 90 * DAY);
    clock.set(now - 90 * DAY);
    NewJob waiting = NewJob.of(ids.next(), "a", new byte[] {1}, now - 90 * DAY).withQueue("idle");
    store.insert(waiting, now - 90 * DAY);
    List<String> all =
        List.of(
            oldDone,
            newDone,
            oldFailed,
            midFailed,
            oldCancelled,
            oldTimedOut,
            quarantined,
            running,
            waiting.id());

    RetentionDeleted d = store.deleteExpired(defaults(), now, 500);
    assertEquals(new RetentionDeleted(1, 1, 1, 1), d);
    assertEquals(
        new TreeSet<>(List.of(newDone, midFailed, quarantined, running, waiting.id())),
        remaining(all));
    // What is left is not expired: a second batch finds nothing.
    assertEquals(RetentionDeleted.NONE, store.deleteExpired(defaults(), now, 500));
  }

  @Test
  void jobRuleWinsOverQueueRuleWinsOverDefault() {
    long now = T0 + 100 * DAY;
    String reportsOld = finished("report", "reports", JobStatus.COMPLETED, now - 20 * DAY);
    String reportsFailed = finished("report", "reports", JobStatus.FAILED, now - 99 * DAY);
    String mailInReports = finished("mail", "reports", JobStatus.COMPLETED, now - 2 * DAY);
    String mailElsewhere = finished("mail", "default", JobStatus.COMPLETED, now - 2 * DAY);
    String mailRecent = finished("mail", "default", JobStatus.COMPLETED, now - DAY / 2);
    String plainOld = finished("other", "default", JobStatus.COMPLETED, now - 8 * DAY);
    List<RetentionRule> rules =
        List.of(
            new RetentionRule(null, "mail", DAY, DAY),
            new RetentionRule("reports", null, 90 * DAY, -1),
            RetentionRule.defaults(7 * DAY, 30 * DAY));

    RetentionDeleted d = store.deleteExpired(rules, now, 500);
    assertEquals(3, d.total());
    assertEquals(
        new TreeSet<>(List.of(reportsOld, reportsFailed, mailRecent)),
        remaining(
            List.of(
                reportsOld, reportsFailed, mailInReports, mailElsewhere, mailRecent, plainOld)));
  }

  @Test
  void foreverEverywhereDeletesNothing() {
    String old = finished("a", "q", JobStatus.COMPLETED, T0);
    assertEquals(
        RetentionDeleted.NONE,
        store.deleteExpired(List.of(RetentionRule.defaults(-1, -1)), T0 + 9999 * DAY, 500));
    assertTrue(store.get(old).isPresent());
  }

  @Test
  void batchesDeleteOldestFirstWithEventsLogsAndTags() {
    long now = T0 + 100 * DAY;
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      old.add(finished("a", "q", JobStatus.COMPLETED, now - 50 * DAY + i));
    }
    assertEquals(5, store.deleteExpired(defaults(), now, 5).total());
    assertEquals(new TreeSet<>(old.subList(5, 12)), remaining(old));
    assertEquals(5, store.deleteExpired(defaults(), now, 5).total());
    assertEquals(2, store.deleteExpired(defaults(), now, 5).total());
    assertEquals(0, store.deleteExpired(defaults(), now, 5).total());
    for (String id : old) {
      assertTrue(store.events(id).isEmpty(), "events of " + id);
      assertTrue(store.logs(id, LogLevel.DEBUG, 0, 10).isEmpty(), "logs of " + id);
    }
    assertTrue(store.list(JobFilter.all().withTag("t-a"), null, 10).items().isEmpty());
  }

  @Test
  void maintenanceLeaseIsHeldByOneOwnerUntilItLapses() {
    JobStore other = open();
    long now = T0;
    assertTrue(store.leaseMaintenance(RetentionTask.TASK, "a", now, now + 1_000));
    assertFalse(other.leaseMaintenance(RetentionTask.TASK, "b", now + 500, now + 1_500));
    assertTrue(store.leaseMaintenance(RetentionTask.TASK, "a", now + 900, now + 1_900));
    assertFalse(other.leaseMaintenance(RetentionTask.TASK, "b", now + 1_500, now + 2_500));
    assertEquals("a", other.maintenance(RetentionTask.TASK).orElseThrow().leaseOwner());
    // a stops renewing (died): b takes over once the lease lapsed, and a's late record is refused.
    assertTrue(other.leaseMaintenance(RetentionTask.TASK, "b", now + 2_000, now + 3_000));
    MaintenanceRow run =
        new MaintenanceRow(
            RetentionTask.TASK, null, 0, "p", "a", now, now, RetentionDeleted.NONE, 0, 0, null);
    assertFalse(store.recordMaintenance(RetentionTask.TASK, "a", run));
    assertTrue(other.recordMaintenance(RetentionTask.TASK, "b", run));
    MaintenanceRow row = store.maintenance(RetentionTask.TASK).orElseThrow();
    assertNull(row.leaseOwner());
    assertEquals("a", row.runBy());
  }

  private RetentionTask task(JobStore s, String owner, RetentionTask.Pauser pauser, int batch) {
    RetentionTask.Settings defaults =
        RetentionTask.Settings.of(defaults(), "completed 7d, failed/cancelled/timed out 30d");
    RetentionTask.Settings settings =
        new RetentionTask.Settings(
            defaults.rules(),
            defaults.description(),
            batch,
            0,
            defaults.vacuumPages(),
            defaults.leaseMs(),
            defaults.convertMaxBytes(),
            defaults.intervalMs());
    return new RetentionTask(s, clock, owner, settings, pauser, () -> false);
  }

  @Test
  void aPassDeletesInBatchesAndRecordsWhatItDid() throws Exception {
    long now = T0 + 100 * DAY;
    for (int i = 0; i < 7; i++) {
      finished("a", "q", JobStatus.COMPLETED, now - 10 * DAY);
    }
    finished("a", "q", JobStatus.CANCELLED, now - 40 * DAY);
    String kept = finished("a", "q", JobStatus.COMPLETED, now - DAY);
    clock.set(now);
    List<Long> pauses = new ArrayList<>();
    MaintenanceRow row =
        task(
                store,
                "node-1",
                ms -> {
                  pauses.add(ms);
                  return false;
                },
                3)
            .runOnce();
    assertEquals(new RetentionDeleted(7, 0, 1, 0), row.deleted());
    assertEquals(8, row.totalDeleted());
    assertEquals("node-1", row.runBy());
    assertEquals(now, row.startedAt());
    assertEquals("completed 7d, failed/cancelled/timed out 30d", row.settings());
    assertNull(row.leaseOwner(), "the lease is released at the end");
    assertNull(row.error());
    // 8 jobs in batches of 3: 3, 3, 2, with a pause after each full batch.
    assertEquals(2, pauses.size());
    assertTrue(store.get(kept).isPresent());
  }

  @Test
  void onlyOneProcessRunsAPassAtATime() throws Exception {
    long now = T0 + 100 * DAY;
    for (int i = 0; i < 6; i++) {
      finished("a", "q", JobStatus.COMPLETED, now - 10 * DAY);
    }
    clock.set(now);
    JobStore otherNode = open();
    CountDownLatch inPause = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RetentionTask first =
        task(
            store,
            "node-1",
            ms -> {
              inPause.countDown();
              assertTrue(release.await(30, TimeUnit.SECONDS));
              return false;
            },
            2);
    ExecutorService exec = Executors.newSingleThreadExecutor();
    try {
      Future<MaintenanceRow> running = exec.submit(first::runOnce);
      assertTrue(inPause.await(30, TimeUnit.SECONDS), "the first pass reached its first pause");
      // node-2 finds the lease held and does nothing; the jobs of node-1's next batches stay.
      assertNull(task(otherNode, "node-2", ms -> false, 2).runOnce());
      assertEquals(4, countLeft());
      assertEquals("node-1", otherNode.maintenance(RetentionTask.TASK).orElseThrow().leaseOwner());
      release.countDown();
      MaintenanceRow done = running.get(30, TimeUnit.SECONDS);
      assertEquals(6, done.deleted().total());
      assertEquals("node-1", done.runBy());
    } finally {
      exec.shutdownNow();
    }
    // Now free: node-2 runs the next pass (nothing left to delete).
    MaintenanceRow second = task(otherNode, "node-2", ms -> false, 2).runOnce();
    assertEquals("node-2", second.runBy());
    assertEquals(0, second.deleted().total());
    assertEquals(6, second.totalDeleted());
  }

  private long countLeft() {
    return store.countByNameAndStatus().stream().mapToLong(StatusCount::count).sum();
  }

  /** Claims the one due job of queue {@code q} at {@code at} and completes it; returns its id. */
  private String runOne(String q, long at) {
    List<ClaimedJob> c = store.claim(new ClaimRequest("w", List.of(q), 1, at, at + 30_000));
    assertEquals(1, c.size(), "one due job in " + q);
    assertTrue(store.complete(c.get(0).id(), c.get(0).epoch(), null, at));
    return c.get(0).id();
  }

  private NewJob job(String queue, long at) {
    return NewJob.of(ids.next(), "b", new byte[] {1}, at).withQueue(queue);
  }

  @Test
  void aFinalBatchIsDeletedOnceItsAgeHasPassedAndNoMemberOrCallbackIsLeft() throws Exception {
    clock.set(T0);
    NewJob m1 = job("m", T0);
    NewJob m2 = job("m", T0);
    NewJob success = job("cb", T0);
    NewJob failure = job("cb", T0);
    String done = ids.next();
    store.insertBatch(
        new NewBatch(done, "b", null, null, List.of(m1, m2), List.of(), success, failure, null),
        T0);
    // Another batch that still runs: an old member of it waits.
    String running = ids.next();
    store.insertBatch(
        new NewBatch(
            running, "r", null, null, List.of(job("idle", T0)), List.of(), null, null, null),
        T0);
    runOne("m", T0);
    runOne("m", T0);
    assertEquals("SUCCEEDED", store.batch(done).orElseThrow().state());
    assertEquals(success.id(), runOne("cb", T0)); // the failure callback was cancelled
    RetentionTask.Settings settings =
        RetentionTask.Settings.of(defaults(), "completed 7d, failed/cancelled/timed out 30d");

    // 8 days on: the members and the success callback are gone, the cancelled failure callback
    // stays 30 days, and so does the batch (its age is the longest of the policy).
    clock.set(T0 + 8 * DAY);
    new RetentionTask(store, clock, "n", settings, ms -> false, () -> false).runOnce();
    assertTrue(store.get(m1.id()).isEmpty());
    assertTrue(store.get(failure.id()).isPresent());
    assertTrue(store.batch(done).isPresent());

    // 31 days on, with a callback still stored the batch would stay: checked on the store.
    assertEquals(0, store.deleteFinishedBatches(T0 + DAY, 100), "its failure callback is stored");
    clock.set(T0 + 31 * DAY);
    new RetentionTask(store, clock, "n", settings, ms -> false, () -> false).runOnce();
    assertTrue(store.get(failure.id()).isEmpty());
    assertTrue(store.batch(done).isEmpty(), "final, old, and nothing of it left");
    assertTrue(store.batch(running).isPresent(), "a running batch is never deleted");
  }
}
