package dev.jobkit.runtime.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobException;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.IllegalJobTransitionException;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ControlResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobStore} dialect must have. A subclass per dialect supplies stores on
 * one fresh database per test.
 */
public abstract class JobStoreContractTest {
  protected static final long T0 = 1_700_000_000_000L;
  protected static final long LEASE = 30_000;

  protected final SettableClock clock = new SettableClock(T0);
  protected final JobIds ids = new JobIds(clock);
  protected JobStore store;
  private final List<JobStore> opened = new ArrayList<>();

  /** Opens a store on this test's database; each call is a separate instance on the same data. */
  protected abstract JobStore openStore();

  @BeforeEach
  void openFirstStore() {
    store = open();
  }

  @AfterEach
  void closeStores() {
    for (JobStore s : opened) {
      s.close();
    }
  }

  protected final JobStore open() {
    JobStore s = openStore();
    opened.add(s);
    return s;
  }

  protected long now() {
    return clock.millis();
  }

  protected NewJob job(String name) {
    return NewJob.of(ids.next(), name, bytes(name), now());
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected List<ClaimedJob> claim(JobStore s, int limit, String... queues) {
    return s.claim(
        new ClaimRequest(
            "worker-1",
            List.of(queues.length == 0 ? new String[] {"default"} : queues),
            limit,
            now(),
            now() + LEASE));
  }

  protected ClaimedJob claimOne() {
    List<ClaimedJob> c = claim(store, 1);
    assertEquals(1, c.size());
    return c.get(0);
  }

  protected List<JobStatus> eventStatuses(String id) {
    return store.events(id).stream().map(JobEvent::to).collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ dispatch

  @Test
  void insertThenGet() {
    NewJob j =
        job("copy")
            .withPriority(Priority.HIGH)
            .withQueue("io")
            .withTags(List.of("a", "b"))
            .withMaxAttempts(5);
    InsertResult r = store.insert(j, now());
    assertTrue(r.created());
    assertEquals(j.id(), r.id());

    JobRow row = store.get(j.id()).orElseThrow();
    assertEquals("copy", row.name());
    assertArrayEquals(bytes("copy"), row.params());
    assertNull(row.state());
    assertEquals(JobStatus.QUEUED, row.status());
    assertEquals(Priority.HIGH, row.priority());
    assertEquals("io", row.queue());
    assertEquals(List.of("a", "b"), row.tags());
    assertEquals(5, row.maxAttempts());
    assertEquals(0, row.attempts());
    assertEquals(0, row.leaseEpoch());
    assertEquals(now(), row.createdAt());
    assertTrue(store.get("nope").isEmpty());
  }

  @Test
  void futureRunAtIsScheduled() {
    NewJob j = NewJob.of(ids.next(), "later", bytes("x"), now() + 1000);
    store.insert(j, now());
    assertEquals(JobStatus.SCHEDULED, store.get(j.id()).orElseThrow().status());
  }

  @Test
  void insertAllIsAllOrNothing() {
    NewJob a = job("a");
    NewJob b = job("b");
    NewJob dup =
        new NewJob(
            a.id(),
            "dup",
            bytes("d"),
            Priority.NORMAL,
            "default",
            1,
            now(),
            List.of(),
            null,
            0,
            0,
            null);
    assertThrows(StorageException.class, () -> store.insertAll(List.of(a, b, dup), now()));
    assertTrue(store.get(a.id()).isEmpty());
    assertTrue(store.get(b.id()).isEmpty());
    assertTrue(store.events(a.id()).isEmpty());

    List<InsertResult> ok = store.insertAll(List.of(a, b), now());
    assertEquals(
        List.of(a.id(), b.id()), ok.stream().map(InsertResult::id).collect(Collectors.toList()));
  }

  /**
   * A batch large enough for every statement shape SQLite's multi-row insert uses (64, 16 and 4
   * rows, then single rows): each job is stored with its own fields, in its own row.
   */
  @Test
  void insertAllOfManyJobsStoresEachWithItsOwnFields() {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 151; i++) {
      jobs.add(
          NewJob.of(
                  ids.next(), "many-" + i, bytes("many-" + i), i % 7 == 0 ? now() + 60_000 : now())
              .withPriority(Priority.values()[i % Priority.values().length])
              .withQueue("q" + (i % 3))
              .withTags(i % 5 == 0 ? List.of("t" + i) : List.of())
              .withMaxAttempts(1 + i % 4));
    }
    List<InsertResult> results = store.insertAll(jobs, now());
    assertEquals(jobs.size(), results.size());
    for (int i = 0; i < jobs.size(); i++) {
      NewJob j = jobs.get(i);
      assertEquals(j.id(), results.get(i).id());
      assertTrue(results.get(i).created());
      JobRow row = store.get(j.id()).orElseThrow();
      assertEquals("many-" + i, row.name(), "job " + i);
      assertArrayEquals(bytes("many-" + i), row.params(), "job " + i);
      assertEquals(j.priority(), row.priority(), "job " + i);
      assertEquals(j.queue(), row.queue(), "job " + i);
      assertEquals(j.tags(), row.tags(), "job " + i);
      assertEquals(j.maxAttempts(), row.maxAttempts(), "job " + i);
      assertEquals(i % 7 == 0 ? JobStatus.SCHEDULED : JobStatus.QUEUED, row.status(), "job " + i);
    }
  }

  @Test
  void insertAllOfManyJobsIsAllOrNothing() {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      jobs.add(job("n" + i));
    }
    NewJob first = jobs.get(0);
    jobs.add(90, NewJob.of(first.id(), "dup", bytes("d"), now())); // inside a 16-row statement
    assertThrows(StorageException.class, () -> store.insertAll(jobs, now()));
    for (NewJob j : jobs) {
      assertTrue(store.get(j.id()).isEmpty(), j.name());
    }
  }

  @Test
  void idempotencyKeyReturnsTheFirstJob() {
    NewJob first = job("a").withIdempotencyKey("order-42");
    NewJob second = job("a").withIdempotencyKey("order-42");
    assertEquals(new InsertResult(first.id(), true), store.insert(first, now()));
    assertEquals(new InsertResult(first.id(), false), store.insert(second, now()));
    assertTrue(store.get(second.id()).isEmpty());

    // Within one batch, and against the store.
    NewJob x1 = job("x").withIdempotencyKey("k");
    NewJob x2 = job("x").withIdempotencyKey("k");
    NewJob again = job("a").withIdempotencyKey("order-42");
    List<InsertResult> rs = store.insertAll(List.of(x1, x2, again), now());
    assertEquals(
        List.of(
            new InsertResult(x1.id(), true),
            new InsertResult(x1.id(), false),
            new InsertResult(first.id(), false)),
        rs);
  }

  // ------------------------------------------------------------------ claiming

  @Test
  void claimsByPriorityThenFifoAndOnlyDueJobs() {
    NewJob low = job("low").withPriority(Priority.LOW);
    NewJob n1 = job("n1");
    NewJob high = job("high").withPriority(Priority.HIGH);
    NewJob n2 = job("n2");
    NewJob future =
        NewJob.of(ids.next(), "future", bytes("f"), now() + 5_000).withPriority(Priority.CRITICAL);
    NewJob otherQueue = job("other").withQueue("other").withPriority(Priority.CRITICAL);
    store.insertAll(List.of(low, n1, high, n2, future, otherQueue), now());

    List<ClaimedJob> claimed = claim(store, 10);
    assertEquals(
        List.of("high", "n1", "n2", "low"),
        claimed.stream().map(ClaimedJob::name).collect(Collectors.toList()));
    ClaimedJob c = claimed.get(0);
    assertEquals(1, c.attempt());
    assertEquals(1, c.epoch());
    assertEquals(JobStatus.QUEUED, c.previousStatus());
    JobRow row = store.get(high.id()).orElseThrow();
    assertEquals(JobStatus.RUNNING, row.status());
    assertEquals("worker-1", row.leaseOwner());
    assertEquals(now() + LEASE, row.leaseExpiresAt());
    assertEquals(now(), row.startedAt());

    assertTrue(claim(store, 10).isEmpty());
    clock.advance(5_000);
    assertEquals(
        List.of("future"),
        claim(store, 10).stream().map(ClaimedJob::name).collect(Collectors.toList()));
    assertEquals(
        List.of("other"),
        claim(store, 10, "other", "default").stream()
            .map(ClaimedJob::name)
            .collect(Collectors.toList()));
  }

  @Test
  void claimCarriesTheJobsOwnSettings() {
    NewJob j =
        new NewJob(
            ids.next(),
            "tuned",
            bytes("t"),
            Priority.NORMAL,
            "default",
            7,
            now(),
            List.of(),
            null,
            1_500,
            250,
            null);
    store.insert(j, now());
    ClaimedJob c = claimOne();
    assertEquals(7, c.maxAttempts());
    assertEquals(1_500, c.timeoutMs());
    assertEquals(250, c.backoffMs());
  }

  @Test
  void claimRespectsLimit() {
    for (int i = 0; i < 5; i++) {
      store.insert(job("j" + i), now());
    }
    assertEquals(3, claim(store, 3).size());
    assertEquals(2, claim(store, 3).size());
  }

  @Test
  void twoStoresClaimingConcurrentlyNeverShareAJob() throws Exception {
    int total = 2_000;
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      jobs.add(job("j"));
    }
    store.insertAll(jobs, now());
    JobStore other = open();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> fs = new ArrayList<>();
      for (JobStore s : List.of(store, other, store, other)) {
        fs.add(
            pool.submit(
                () -> {
                  List<String> mine = new ArrayList<>();
                  while (true) {
                    List<ClaimedJob> got = claim(s, 7);
                    if (got.isEmpty()) {
                      return mine;
                    }
                    got.forEach(c -> mine.add(c.id()));
                  }
                }));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : fs) {
        all.addAll(f.get());
      }
      assertEquals(total, all.size());
      assertEquals(total, new HashSet<>(all).size());
    } finally {
      pool.shutdown();
    }
  }

  // ------------------------------------------------------------------ fencing

  @Test
  void staleEpochWritesLoseAndChangeNothing() {
    NewJob j = job("fenced");
    store.insert(j, now());
    ClaimedJob first = claimOne();
    assertTrue(store.checkpoint(j.id(), first.epoch(), bytes("s1"), now()));

    clock.advance(LEASE + 1);
    assertEquals(List.of(j.id()), store.recoverExpiredLeases(now()));
    ClaimedJob second = claimOne();
    assertEquals(first.epoch() + 1, second.epoch());
    assertTrue(second.resumed());
    assertArrayEquals(bytes("s1"), second.state());

    assertFalse(store.checkpoint(j.id(), first.epoch(), bytes("stale"), now()));
    assertFalse(store.updateProgress(j.id(), first.epoch(), "{\"p\":1}", now()));
    assertFalse(
        store.appendLogs(
            j.id(),
            first.epoch(),
            List.of(new LogLine(0, j.id(), now(), LogLevel.INFO, "stale", 1))));
    assertFalse(store.complete(j.id(), first.epoch(), "{}", now()));
    assertFalse(store.finish(j.id(), first.epoch(), JobStatus.FAILED, "x", now()));
    assertFalse(store.scheduleRetry(j.id(), first.epoch(), "x", now(), now()));
    assertFalse(store.release(j.id(), first.epoch(), JobStatus.QUEUED, now()));
    assertEquals(
        List.of(), store.completeAll(List.of(new Completion(j.id(), first.epoch(), "{}")), now()));

    JobRow row = store.get(j.id()).orElseThrow();
    assertEquals(JobStatus.RUNNING, row.status());
    assertArrayEquals(bytes("s1"), row.state());
    assertEquals(1, row.stateVersion());
    assertNull(row.progress());
    assertTrue(store.logs(j.id(), LogLevel.DEBUG, 0, 10).isEmpty());

    assertTrue(store.checkpoint(j.id(), second.epoch(), bytes("s2"), now()));
    assertTrue(store.complete(j.id(), second.epoch(), "{\"ok\":true}", now()));
    row = store.get(j.id()).orElseThrow();
    assertEquals(JobStatus.COMPLETED, row.status());
    assertEquals("{\"ok\":true}", row.output());
    assertEquals(2, row.stateVersion());
    assertNull(row.leaseOwner());
  }

  @Test
  void completeAllReportsOnlyTheWinners() {
    store.insertAll(List.of(job("a"), job("b"), job("c")), now());
    List<ClaimedJob> c = claim(store, 3);
    List<String> won =
        store.completeAll(
            List.of(
                new Completion(c.get(0).id(), c.get(0).epoch(), "1"),
                new Completion(c.get(1).id(), c.get(1).epoch() + 7, "2"),
                new Completion(c.get(2).id(), c.get(2).epoch(), null)),
            now());
    assertEquals(List.of(c.get(0).id(), c.get(2).id()), won);
    assertEquals(JobStatus.RUNNING, store.get(c.get(1).id()).orElseThrow().status());
  }

  // ------------------------------------------------------------------ events and transitions

  @Test
  void everyStatusChangeWritesOneEvent() {
    NewJob j = job("ev");
    store.insert(j, now());
    ClaimedJob c1 = claimOne();
    assertTrue(store.scheduleRetry(j.id(), c1.epoch(), "boom", now() + 100, now()));
    assertEquals(JobStatus.WAITING_RETRY, store.get(j.id()).orElseThrow().status());
    assertTrue(claim(store, 1).isEmpty());
    clock.advance(100);
    ClaimedJob c2 = claimOne();
    assertEquals(2, c2.attempt());
    assertEquals(JobStatus.WAITING_RETRY, c2.previousStatus());
    assertTrue(store.complete(j.id(), c2.epoch(), null, now()));

    List<JobEvent> events = store.events(j.id());
    assertEquals(
        List.of(
            JobEvent.Type.CREATED,
            JobEvent.Type.STATUS_CHANGED,
            JobEvent.Type.STATUS_CHANGED,
            JobEvent.Type.STATUS_CHANGED,
            JobEvent.Type.STATUS_CHANGED),
        events.stream().map(JobEvent::type).collect(Collectors.toList()));
    assertEquals(
        java.util.Arrays.asList(
            JobStatus.QUEUED,
            JobStatus.RUNNING,
            JobStatus.WAITING_RETRY,
            JobStatus.RUNNING,
            JobStatus.COMPLETED),
        eventStatuses(j.id()));
    assertEquals("boom", events.get(2).detail());
    assertNull(events.get(0).from());
    assertEquals(JobStatus.RUNNING, events.get(4).from());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i - 1).id() < events.get(i).id());
    }
  }

  @Test
  void theCreatedEventNamesTheStatusTheJobWasCreatedIn() {
    NewJob later = NewJob.of(ids.next(), "later", bytes("l"), now() + 1_000);
    store.insert(later, now());
    JobEvent created = store.events(later.id()).get(0);
    assertEquals(JobEvent.Type.CREATED, created.type());
    assertEquals(JobStatus.SCHEDULED, created.to());
    assertEquals(now(), created.at());
    clock.advance(1_000);
    claimOne();
    List<JobEvent> events = store.events(later.id());
    assertEquals(JobStatus.SCHEDULED, events.get(0).to(), "still, after it ran");
    assertEquals(JobStatus.SCHEDULED, events.get(1).from());
    assertTrue(store.events("no-such-job").isEmpty());
  }

  @Test
  void illegalTransitionIsRejectedAndWritesNothing() {
    NewJob j = job("done");
    store.insert(j, now());
    ClaimedJob c = claimOne();
    store.complete(j.id(), c.epoch(), null, now());
    int before = store.events(j.id()).size();

    IllegalJobTransitionException e =
        assertThrows(IllegalJobTransitionException.class, () -> store.requestCancel(j.id(), now()));
    assertEquals(JobStatus.COMPLETED, e.from());
    assertEquals(JobStatus.CANCELLED, e.to());
    assertThrows(IllegalJobTransitionException.class, () -> store.retry(j.id(), now()));
    assertThrows(IllegalJobTransitionException.class, () -> store.requestPause(j.id(), now()));
    assertThrows(JobException.class, () -> store.resume(j.id(), now()));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.finish(j.id(), c.epoch(), JobStatus.COMPLETED, null, now()));
    assertEquals(before, store.events(j.id()).size());
    assertEquals(JobStatus.COMPLETED, store.get(j.id()).orElseThrow().status());
  }

  // ------------------------------------------------------------------ control

  @Test
  void cancelAndRetryAWaitingJob() {
    NewJob j = job("c");
    store.insert(j, now());
    assertEquals(
        new ControlResult(Outcome.APPLIED, JobStatus.CANCELLED),
        store.requestCancel(j.id(), now()));
    assertEquals(
        new ControlResult(Outcome.UNCHANGED, JobStatus.CANCELLED),
        store.requestCancel(j.id(), now()));
    assertEquals(now(), store.get(j.id()).orElseThrow().finishedAt());
    assertTrue(claim(store, 1).isEmpty());

    assertEquals(new ControlResult(Outcome.APPLIED, JobStatus.QUEUED), store.retry(j.id(), now()));
    assertEquals(0, store.get(j.id()).orElseThrow().finishedAt());
    assertEquals(1, claim(store, 1).size());
    assertEquals(new ControlResult(Outcome.NOT_FOUND, null), store.requestCancel("missing", now()));
  }

  @Test
  void cancelOfARunningJobSetsAFlagTheWorkerSees() {
    NewJob j = job("r");
    store.insert(j, now());
    ClaimedJob c = claimOne();
    JobStore cli = open(); // another process, e.g. the CLI
    assertEquals(
        new ControlResult(Outcome.REQUESTED, JobStatus.RUNNING), cli.requestCancel(j.id(), now()));
    assertEquals(
        new ControlResult(Outcome.UNCHANGED, JobStatus.RUNNING), cli.requestCancel(j.id(), now()));

    List<LeaseState> leases = store.renewLeases("worker-1", now() + 2 * LEASE, now());
    assertEquals(List.of(new LeaseState(j.id(), c.epoch(), true, false)), leases);
    assertEquals(now() + 2 * LEASE, store.get(j.id()).orElseThrow().leaseExpiresAt());
    assertTrue(store.finish(j.id(), c.epoch(), JobStatus.CANCELLED, "cancelled by user", now()));
    JobRow row = store.get(j.id()).orElseThrow();
    assertEquals(JobStatus.CANCELLED, row.status());
    assertFalse(row.cancelRequested());
    assertTrue(
        store.events(j.id()).stream().anyMatch(e -> e.type() == JobEvent.Type.CANCEL_REQUESTED));
    assertTrue(store.renewLeases("worker-1", now() + LEASE, now()).isEmpty());
  }

  @Test
  void pauseAndResume() {
    NewJob running = job("r");
    NewJob waiting = job("w");
    store.insertAll(List.of(running, waiting), now());
    ClaimedJob c = claimOne();
    assertEquals(running.id(), c.id());

    assertEquals(Outcome.APPLIED, store.requestPause(waiting.id(), now()).outcome());
    assertEquals(JobStatus.PAUSED, store.get(waiting.id()).orElseThrow().status());
    assertTrue(claim(store, 1).isEmpty());
    assertEquals(
        new ControlResult(Outcome.APPLIED, JobStatus.QUEUED), store.resume(waiting.id(), now()));
    assertEquals(
        new ControlResult(Outcome.UNCHANGED, JobStatus.QUEUED), store.resume(waiting.id(), now()));

    assertEquals(Outcome.REQUESTED, store.requestPause(running.id(), now()).outcome());
    assertTrue(store.get(running.id()).orElseThrow().pauseRequested());
    assertTrue(store.release(running.id(), c.epoch(), JobStatus.PAUSED, now()));
    JobRow paused = store.get(running.id()).orElseThrow();
    assertEquals(JobStatus.PAUSED, paused.status());
    assertEquals(0, paused.attempts()); // a pause does not spend an attempt
    assertTrue(paused.resumed());
  }

  @Test
  void releaseOnShutdownDoesNotSpendAnAttempt() {
    NewJob j = job("s");
    store.insert(j, now());
    ClaimedJob c = claimOne();
    store.checkpoint(j.id(), c.epoch(), bytes("half"), now());
    assertTrue(store.release(j.id(), c.epoch(), JobStatus.QUEUED, now()));
    ClaimedJob again = claimOne();
    assertEquals(1, again.attempt());
    assertTrue(again.resumed());
    assertArrayEquals(bytes("half"), again.state());
  }

  // ------------------------------------------------------------------ recovery

  @Test
  void recoversExpiredLeasesAndDeadOwners() {
    NewJob a = job("a");
    NewJob b = job("b");
    NewJob c = job("c");
    store.insertAll(List.of(a, b, c), now());
    store.claim(new ClaimRequest("dead", List.of("default"), 1, now(), now() + LEASE));
    store.claim(new ClaimRequest("slow", List.of("default"), 1, now(), now() + LEASE));
    store.claim(new ClaimRequest("alive", List.of("default"), 1, now(), now() + 10 * LEASE));
    store.requestCancel(b.id(), now()); // requested before its worker died

    assertEquals(List.of(a.id()), store.recoverOwner("dead", now()));
    assertTrue(store.recoverExpiredLeases(now()).isEmpty());
    clock.advance(LEASE + 1);
    assertEquals(List.of(b.id()), store.recoverExpiredLeases(now()));

    JobRow ra = store.get(a.id()).orElseThrow();
    assertEquals(JobStatus.QUEUED, ra.status());
    assertTrue(ra.resumed());
    assertNull(ra.leaseOwner());
    assertEquals(JobStatus.CANCELLED, store.get(b.id()).orElseThrow().status());
    assertEquals(JobStatus.RUNNING, store.get(c.id()).orElseThrow().status());
    JobEvent last = store.events(a.id()).get(store.events(a.id()).size() - 1);
    assertEquals(JobEvent.Type.RECOVERED, last.type());
    assertEquals(JobStatus.QUEUED, last.to());
  }

  @Test
  void aJobWhoseLastAttemptDiedWithItsProcessFailsInsteadOfLoopingForever() {
    NewJob j = job("crashy").withMaxAttempts(2);
    store.insert(j, now());
    store.claim(new ClaimRequest("dead-1", List.of("default"), 1, now(), now() + LEASE));
    assertEquals(List.of(j.id()), store.recoverOwner("dead-1", now()));
    assertEquals(JobStatus.QUEUED, store.get(j.id()).orElseThrow().status(), "attempt 1 of 2");

    store.claim(new ClaimRequest("dead-2", List.of("default"), 1, now(), now() + LEASE));
    clock.advance(LEASE + 1);
    assertEquals(List.of(j.id()), store.recoverExpiredLeases(now()));
    JobRow failed = store.get(j.id()).orElseThrow();
    assertEquals(JobStatus.FAILED, failed.status());
    assertEquals("the process running it died 2 times", failed.error());
    assertEquals(now(), failed.finishedAt());
    assertNull(failed.leaseOwner());
    JobEvent last = store.events(j.id()).get(store.events(j.id()).size() - 1);
    assertEquals(JobEvent.Type.RECOVERED, last.type());
    assertEquals(JobStatus.RUNNING, last.from());
    assertEquals(JobStatus.FAILED, last.to());
    assertTrue(last.detail().startsWith("the process running it died 2 times"), last.detail());
    assertTrue(claim(store, 1).isEmpty(), "not claimed again");

    // A retry by a user starts afresh: its deaths are counted from there.
    store.retry(j.id(), now());
    store.claim(new ClaimRequest("dead-3", List.of("default"), 1, now(), now() + LEASE));
    store.recoverOwner("dead-3", now());
    assertEquals(JobStatus.QUEUED, store.get(j.id()).orElseThrow().status());
    store.claim(new ClaimRequest("dead-4", List.of("default"), 1, now(), now() + LEASE));
    store.recoverOwner("dead-4", now());
    assertEquals("the process running it died 2 times", store.get(j.id()).orElseThrow().error());
  }

  // ------------------------------------------------------------------ queries

  @Test
  void listFiltersAndKeysetPagination() {
    List<String> inserted = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      NewJob j =
          job(i % 2 == 0 ? "even" : "odd")
              .withTags(i % 5 == 0 ? List.of("five") : List.of())
              .withQueue(i < 20 ? "default" : "late");
      store.insert(j, now());
      inserted.add(j.id());
      clock.advance(10);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<JobRow> p = store.list(JobFilter.all(), cursor, 10);
      p.items().forEach(r -> seen.add(r.id()));
      cursor = p.nextCursor();
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    List<String> newestFirst = new ArrayList<>(inserted);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);

    assertEquals(
        13, store.list(JobFilter.all().withNames(Set.of("even")), null, 100).items().size());
    assertEquals(5, store.list(JobFilter.all().withTag("five"), null, 100).items().size());
    assertEquals(0, store.list(JobFilter.all().withTag("fiv"), null, 100).items().size());
    assertEquals(5, store.list(JobFilter.all().withQueue("late"), null, 100).items().size());
    assertEquals(
        10,
        store.list(JobFilter.all().createdBetween(T0 + 50, T0 + 150), null, 100).items().size());
    claim(store, 3);
    assertEquals(
        3,
        store
            .list(JobFilter.all().withStatuses(Set.of(JobStatus.RUNNING)), null, 100)
            .items()
            .size());
    assertEquals(
        22,
        store
            .list(JobFilter.all().withStatuses(Set.of(JobStatus.QUEUED)), null, 100)
            .items()
            .size());
  }

  @Test
  void tagsMatchWholeTagsPageByIdAndGoWithTheirJob() {
    List<String> red = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      List<String> tags = i % 2 == 0 ? List.of("red", "big") : List.of("blue", "red-ish");
      NewJob j = job("t").withTags(tags);
      if (i < 4) {
        store.insert(j, now()); // one by one (PostgreSQL's single-statement path)
      } else {
        store.insertAll(List.of(j), now()); // the batch path
      }
      if (tags.contains("red")) {
        red.add(0, j.id());
      }
      clock.advance(10);
    }
    Page<JobRow> first = store.list(JobFilter.all().withTag("red"), null, 2);
    Page<JobRow> rest = store.list(JobFilter.all().withTag("red"), first.nextCursor(), 10);
    List<String> seen = new ArrayList<>();
    first.items().forEach(r -> seen.add(r.id()));
    rest.items().forEach(r -> seen.add(r.id()));
    assertEquals(red, seen);
    assertEquals(List.of("red", "big"), first.items().get(0).tags());
    assertEquals(3, store.list(JobFilter.all().withTag("red-ish"), null, 10).items().size());
    assertEquals(
        0,
        store
            .list(JobFilter.all().withTag("red").withNames(Set.of("other")), null, 10)
            .items()
            .size());

    ClaimedJob c = claimOne();
    store.complete(c.id(), c.epoch(), null, now());
    clock.advance(1_000);
    assertEquals(1, store.cleanup(now(), false));
    assertEquals(
        red.size() - (red.contains(c.id()) ? 1 : 0),
        store.list(JobFilter.all().withTag("red"), null, 10).items().size());
  }

  @Test
  void prefixLookupUniqueOrAmbiguous() {
    NewJob a = job("a");
    NewJob b = job("b"); // same millisecond: shares a long prefix with a
    store.insertAll(List.of(a, b), now());
    assertEquals(a.id(), store.findByIdPrefix(a.id()).orElseThrow().id());
    assertEquals(
        a.id(), store.findByIdPrefix(a.id().toLowerCase(java.util.Locale.ROOT)).orElseThrow().id());
    AmbiguousJobIdException e =
        assertThrows(
            AmbiguousJobIdException.class, () -> store.findByIdPrefix(a.id().substring(0, 10)));
    assertEquals(List.of(a.id(), b.id()), e.candidates());
    assertTrue(store.findByIdPrefix("ZZZZ").isEmpty());
    assertTrue(store.findByIdPrefix("%").isEmpty());
    // The first characters where they differ make each unique.
    int i = 0;
    while (a.id().charAt(i) == b.id().charAt(i)) {
      i++;
    }
    assertEquals(b.id(), store.findByIdPrefix(b.id().substring(0, i + 1)).orElseThrow().id());
  }

  @Test
  void logsAreFencedAndFilteredByLevel() {
    NewJob j = job("logger");
    store.insert(j, now());
    ClaimedJob c = claimOne();
    assertTrue(
        store.appendLogs(
            j.id(),
            c.epoch(),
            List.of(
                new LogLine(0, j.id(), now(), LogLevel.DEBUG, "d", 1),
                new LogLine(0, j.id(), now() + 1, LogLevel.INFO, "i", 1),
                new LogLine(0, j.id(), now() + 2, LogLevel.WARN, "w", 1),
                new LogLine(0, j.id(), now() + 3, LogLevel.ERROR, "e", 1))));
    assertEquals(List.of("d", "i", "w", "e"), messages(store.logs(j.id(), LogLevel.DEBUG, 0, 100)));
    List<LogLine> warn = store.logs(j.id(), LogLevel.WARN, 0, 100);
    assertEquals(List.of("w", "e"), messages(warn));
    assertEquals(LogLevel.WARN, warn.get(0).level());
    assertEquals(now() + 2, warn.get(0).at());
    assertEquals(List.of("e"), messages(store.logs(j.id(), LogLevel.DEBUG, warn.get(0).id(), 100)));
    assertEquals(List.of("d"), messages(store.logs(j.id(), LogLevel.DEBUG, 0, 1)));
  }

  private static List<String> messages(List<LogLine> lines) {
    return lines.stream().map(LogLine::message).collect(Collectors.toList());
  }

  @Test
  void countsByNameAndStatus() {
    store.insertAll(List.of(job("a"), job("a"), job("b")), now());
    claim(store, 1);
    assertEquals(
        List.of(
            new StatusCount("a", JobStatus.QUEUED, 1),
            new StatusCount("a", JobStatus.RUNNING, 1),
            new StatusCount("b", JobStatus.QUEUED, 1)),
        store.countByNameAndStatus());
  }

  @Test
  void cleanupDryRunCountsRealRunDeletes() {
    NewJob old = job("old");
    NewJob recent = job("recent");
    NewJob waiting = job("waiting");
    store.insertAll(List.of(old, recent, waiting), now());
    ClaimedJob c = claimOne();
    assertEquals(old.id(), c.id());
    store.appendLogs(
        old.id(), c.epoch(), List.of(new LogLine(0, old.id(), now(), LogLevel.INFO, "x", 1)));
    store.complete(old.id(), c.epoch(), null, now());
    clock.advance(1_000);
    store.requestCancel(recent.id(), now());

    long cutoff = now();
    assertEquals(1, store.cleanup(cutoff, true));
    assertTrue(store.get(old.id()).isPresent());
    assertEquals(1, store.cleanup(cutoff, false));
    assertTrue(store.get(old.id()).isEmpty());
    assertTrue(store.events(old.id()).isEmpty());
    assertTrue(store.logs(old.id(), LogLevel.DEBUG, 0, 10).isEmpty());
    assertTrue(store.get(recent.id()).isPresent());
    assertTrue(store.get(waiting.id()).isPresent());
    assertEquals(0, store.cleanup(cutoff, false));
  }

  @Test
  void storageInfoReportsSizes() {
    store.insert(job("x"), now());
    StorageInfo info = store.storageInfo();
    assertTrue(info.pageSize() > 0);
    assertTrue(info.pageCount() > 0);
    assertTrue(info.sizeBytes() > 0);
    assertTrue(info.freePages() >= 0);
    assertTrue(info.walBytes() >= 0);
  }
}
