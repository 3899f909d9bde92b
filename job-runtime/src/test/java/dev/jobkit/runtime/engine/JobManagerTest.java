package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.Progress;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobFailedException;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JobManager end to end on a real database: dispatch, claim, run, outcomes, control, resume.
 * One suite, two backends: {@link JobManagerSqliteTest} runs it on a SQLite file, {@link
 * JobManagerPostgresTest} on a fresh PostgreSQL database; every test holds on both.
 */
abstract class JobManagerTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;

  /** This test's database; every manager and raw store of a test opens on it. */
  private TestDatabase db;

  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  JobManagerTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  private JobManager.Builder builder(int workers) {
    return db.builder()
        .dataDirectory(dir.resolve("jobkit-data"))
        .workers("default", workers)
        .pollInterval(Duration.ofMillis(50))
        .leaseDuration(Duration.ofSeconds(3))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .shutdownGrace(Duration.ofSeconds(5));
  }

  private JobManager open(int workers) {
    JobManager m = builder(workers).open();
    open.add(m);
    return m;
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static JobFailedException awaitFailure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(JobFailedException.class, e.getCause());
  }

  private static JobInfo awaitState(JobManager m, String id, JobState state) {
    return Awaitility.await(id + " in " + state)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> m.job(id).orElseThrow(), i -> i.state() == state);
  }

  @Test
  void dispatchByNameRunsAndCompletesWithOutput() throws Exception {
    JobManager jobs = open(2);
    JobHandle<?> h =
        jobs.dispatchByName(
            "test.greet",
            "{\"name\":\"ada\"}",
            DispatchOptions.builder().priority(Priority.HIGH).tags("t1").build());

    assertEquals("hello ada", await(h.result()));
    JobInfo info = jobs.job(h.id()).orElseThrow();
    assertEquals(JobState.COMPLETED, info.state());
    assertEquals("\"hello ada\"", info.outputJson().orElseThrow());
    assertEquals(Priority.HIGH, info.priority());
    assertEquals(List.of("t1"), info.tags());
    assertEquals(1, info.attempts());
    assertTrue(info.finishedAt().isPresent());
    try (JobStore store = RawStores.open(db)) {
      List<LogLine> logs = store.logs(h.id(), LogLevel.DEBUG, 0, 10);
      assertEquals(List.of("greeting ada"), logs.stream().map(LogLine::message).toList());
      assertEquals(LogLevel.INFO, logs.get(0).level());
    }
  }

  @Test
  void cancelOfAWaitingJobCompletesItsFutureAtOnce() {
    JobManager jobs = open(1);
    JobHandle<String> h =
        jobs.dispatch(
            new GreetJob("never"), DispatchOptions.builder().delay(Duration.ofHours(1)).build());
    CompletableFuture<String> f = h.result();
    assertTrue(h.cancel());
    assertEquals(JobState.CANCELLED, awaitFailure(f).state());
  }

  @Test
  void typedDispatchReturnsTypedResult() throws Exception {
    JobManager jobs = open(2);
    JobHandle<String> h = jobs.dispatch(new GreetJob("bob"));
    String out = await(h.result());
    assertEquals("hello bob", out);
    assertEquals(JobState.COMPLETED, h.status());
  }

  @Test
  void resultOfAJobThatEndedBeforeAskingIsReadFromTheDatabase() throws Exception {
    JobManager jobs = open(1);
    JobHandle<String> h = jobs.dispatch(new GreetJob("cy"));
    awaitState(jobs, h.id(), JobState.COMPLETED);
    assertEquals("hello cy", await(jobs.handle(h.id()).orElseThrow().result()));
  }

  @Test
  void unknownNameAndBadJsonAreRejectedWithClearMessages() {
    JobManager jobs = open(1);
    UnknownJobException unknown =
        assertThrows(UnknownJobException.class, () -> jobs.dispatchByName("test.nope", "{}"));
    assertTrue(unknown.getMessage().startsWith("unknown job 'test.nope'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("test.greet"), unknown.getMessage());

    JobDecodeException malformed =
        assertThrows(
            JobDecodeException.class, () -> jobs.dispatchByName("test.greet", "{\"name\":"));
    assertTrue(malformed.getMessage().contains("test.greet"), malformed.getMessage());

    JobDecodeException mistyped =
        assertThrows(
            JobDecodeException.class, () -> jobs.dispatchByName("test.greet", "{\"nmae\":\"x\"}"));
    assertTrue(mistyped.getMessage().contains("nmae"), mistyped.getMessage());

    // JSON null is not parameters (it once reached the store as a NullPointerException).
    JobDecodeException nul =
        assertThrows(JobDecodeException.class, () -> jobs.dispatchByName("test.greet", " null "));
    assertTrue(
        nul.getMessage()
            .startsWith(
                "test.greet: $: expected a JSON object with the job's parameters, got null;"
                    + " pass {} for no parameters"),
        nul.getMessage());
  }

  @Test
  void oversizedParametersAreRejected() {
    JobManager m = builder(1).maxParamBytes(64).open();
    open.add(m);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> m.dispatch(new GreetJob("x".repeat(100))));
    assertTrue(e.getMessage().contains("more than the limit of 64 bytes"), e.getMessage());
  }

  @Test
  void priorityOrderWithOneWorker() throws Exception {
    JobManager jobs = open(1);
    String gate = unique("prio");
    String list = unique("list");
    JobHandle<String> blocker = jobs.dispatch(new BlockJob(gate));
    Gates.await(gate + ".started");
    // Due at one moment while the worker is busy. Were each due at its dispatch, the first could be
    // claimed ahead before the next were dispatched: right after a claim that filled its capacity
    // (the blocker's) the claim loop looks for more work to buffer, the priority inversion of "at
    // most ~20 ms of buffered work" QueueRunner allows. On SQLite that look-ahead ends within
    // microseconds of the claim; a PostgreSQL round trip leaves it open long enough to hit.
    Instant due = Instant.now().plusMillis(500);
    List<JobHandle<?>> handles =
        List.of(
            jobs.dispatch(new RecordJob(list, "LOW"), dueAt(due, Priority.LOW)),
            jobs.dispatch(new RecordJob(list, "NORMAL"), dueAt(due, Priority.NORMAL)),
            jobs.dispatch(new RecordJob(list, "HIGH"), dueAt(due, Priority.HIGH)),
            jobs.dispatch(new RecordJob(list, "CRITICAL"), dueAt(due, Priority.CRITICAL)));
    Gates.open(gate);
    await(blocker.result());
    for (JobHandle<?> h : handles) {
      await(h.result());
    }
    assertEquals(List.of("CRITICAL", "HIGH", "NORMAL", "LOW"), Gates.list(list));
  }

  private static DispatchOptions dueAt(Instant due, Priority priority) {
    return DispatchOptions.builder().runAt(due).priority(priority).build();
  }

  @Test
  void dispatchAllInsertsInOneCallAndRunsEach() throws Exception {
    JobManager jobs = open(2);
    List<JobHandle<?>> hs =
        jobs.dispatchAll(
            List.of(new GreetJob("a"), new GreetJob("b"), new GreetJob("c")),
            DispatchOptions.defaults());
    assertEquals(3, hs.size());
    assertEquals("hello a", await(hs.get(0).result()));
    assertEquals("hello c", await(hs.get(2).result()));
  }

  @Test
  void idempotencyKeyReturnsTheFirstJob() {
    JobManager jobs = open(1);
    DispatchOptions o = DispatchOptions.builder().idempotencyKey("k1").build();
    JobHandle<String> first = jobs.dispatch(new GreetJob("a"), o);
    JobHandle<String> second = jobs.dispatch(new GreetJob("b"), o);
    assertEquals(first.id(), second.id());
  }

  @Test
  void retriesThenSucceeds() throws Exception {
    JobManager jobs = open(1);
    JobHandle<Integer> h =
        jobs.dispatch(new FlakyJob(2, false), DispatchOptions.builder().maxAttempts(3).build());
    assertEquals(3, await(h.result()));
    JobInfo info = jobs.job(h.id()).orElseThrow();
    assertEquals(JobState.COMPLETED, info.state());
    assertEquals(3, info.attempts());
  }

  @Test
  void nonRetryableFailsAtOnce() {
    JobManager jobs = open(1);
    JobHandle<Integer> h =
        jobs.dispatch(new FlakyJob(0, true), DispatchOptions.builder().maxAttempts(5).build());
    JobFailedException e = awaitFailure(h.result());
    assertEquals(JobState.FAILED, e.state());
    JobInfo info = jobs.job(h.id()).orElseThrow();
    assertEquals(JobState.FAILED, info.state());
    assertEquals(1, info.attempts());
    assertEquals(
        "dev.jobkit.NonRetryableException: bad input, attempt 1", info.error().orElseThrow());
  }

  @Test
  void failsWhenAttemptsAreExhausted() {
    JobManager jobs = open(1);
    JobHandle<Integer> h =
        jobs.dispatch(new FlakyJob(10, false), DispatchOptions.builder().maxAttempts(2).build());
    JobFailedException e = awaitFailure(h.result());
    assertEquals(JobState.FAILED, e.state());
    JobInfo info = jobs.job(h.id()).orElseThrow();
    assertEquals(2, info.attempts());
    assertEquals("java.lang.IllegalStateException: boom 2", info.error().orElseThrow());
  }

  @Test
  void progressReachesListenersAndTheDatabase() throws Exception {
    JobManager jobs = open(1);
    String gate = unique("progress");
    JobHandle<String> h = jobs.dispatch(new CountingJob(4, 0, gate));
    List<Progress> seen = new CopyOnWriteArrayList<>();
    h.onProgress(seen::add);
    Gates.await(gate + ".reached");
    Gates.open(gate);
    assertEquals("sum=6 start=0 resumed=false", await(h.result()));
    assertEquals(4, seen.size());
    assertEquals(Progress.count(4, 4), seen.get(3));
    String stored = jobs.job(h.id()).orElseThrow().progressJson().orElseThrow();
    assertTrue(stored.contains("\"kind\":\"COUNT\""), stored);
  }

  @Test
  void closeCheckpointsAndReopenResumesFromTheCheckpoint() throws Exception {
    String gate = unique("resume");
    JobManager first = builder(1).open();
    JobHandle<String> h = first.dispatch(new CountingJob(6, 3, gate));
    Gates.await(gate + ".reached");
    first.close();

    JobManager second = builder(1).open();
    open.add(second);
    JobInfo parked = second.job(h.id()).orElseThrow();
    // Given back without spending an attempt; it may already be running again on the new manager.
    assertTrue(
        parked.state() == JobState.QUEUED
            || parked.state() == JobState.RUNNING
            || parked.state() == JobState.COMPLETED,
        parked.toString());
    Gates.open(gate);
    JobHandle<?> again = second.handle(h.id()).orElseThrow();
    assertEquals("sum=15 start=3 resumed=true", await(again.result()));
    // Items before the checkpoint ran once: nothing was redone.
    assertEquals(List.of("0", "1", "2", "3", "4", "5"), Gates.list(gate + ".items"));
    // The shutdown did not spend an attempt.
    assertEquals(1, second.job(h.id()).orElseThrow().attempts());
  }

  @Test
  void cancelStopsARunningJob() throws Exception {
    JobManager jobs = open(1);
    String gate = unique("cancel");
    JobHandle<String> h = jobs.dispatch(new BlockJob(gate));
    Gates.await(gate + ".started");
    assertTrue(h.cancel());
    JobFailedException e = awaitFailure(h.result());
    assertEquals(JobState.CANCELLED, e.state());
    assertEquals(JobState.CANCELLED, h.status());
  }

  @Test
  void cancelFromAnotherManagerOnTheSameDatabaseReachesTheWorker() throws Exception {
    JobManager runner = open(1);
    JobManager other = builder(1).workers("elsewhere", 1).open();
    open.add(other);
    String gate = unique("remote-cancel");
    JobHandle<String> h = runner.dispatch(new BlockJob(gate));
    Gates.await(gate + ".started");
    assertTrue(other.cancel(h.id()));
    assertEquals(JobState.CANCELLED, awaitFailure(h.result()).state());
  }

  @Test
  void pauseThenResume() throws Exception {
    JobManager jobs = open(1);
    String gate = unique("pause");
    JobHandle<String> h = jobs.dispatch(new CountingJob(4, 2, gate));
    Gates.await(gate + ".reached");
    assertTrue(h.pause());
    awaitState(jobs, h.id(), JobState.PAUSED);
    Gates.open(gate);
    assertTrue(h.resume());
    assertEquals("sum=6 start=2 resumed=true", await(h.result()));
  }

  @Test
  void timeoutEndsTimedOut() {
    JobManager jobs = open(1);
    String gate = unique("timeout");
    JobHandle<String> h =
        jobs.dispatch(
            new BlockJob(gate), DispatchOptions.builder().timeout(Duration.ofMillis(200)).build());
    JobFailedException e = awaitFailure(h.result());
    assertEquals(JobState.TIMED_OUT, e.state());
    assertTrue(jobs.job(h.id()).orElseThrow().error().orElseThrow().contains("timed out"));
  }

  @Test
  void corruptedStateIsQuarantinedWhileOtherJobsRun() throws Exception {
    JobIds ids = new JobIds(Clock.systemUTC());
    String corrupt = ids.next();
    String gone = ids.next();
    try (JobStore store = RawStores.open(db)) {
      long now = System.currentTimeMillis();
      // 0xc1 is never used in MessagePack.
      store.insert(NewJob.of(corrupt, "test.greet", new byte[] {(byte) 0xc1, 1, 2}, now), now);
      store.insert(NewJob.of(gone, "test.removed", new byte[] {(byte) 0x80}, now), now);
    }
    JobManager jobs = open(1);
    JobHandle<String> good = jobs.dispatch(new GreetJob("ok"));
    assertEquals("hello ok", await(good.result()));

    JobFailedException e = awaitFailure(jobs.handle(corrupt).orElseThrow().result());
    assertEquals(JobState.QUARANTINED, e.state());
    JobInfo info = jobs.job(corrupt).orElseThrow();
    assertEquals(JobState.QUARANTINED, info.state());
    assertTrue(
        info.error().orElseThrow().startsWith("cannot decode job " + corrupt + " (test.greet)"),
        info.error().orElseThrow());

    assertEquals(
        JobState.QUARANTINED, awaitFailure(jobs.handle(gone).orElseThrow().result()).state());
    assertTrue(
        jobs.job(gone).orElseThrow().error().orElseThrow().contains("unknown job 'test.removed'"));
  }

  @Test
  void unknownIdIsReported() {
    JobManager jobs = open(1);
    assertTrue(jobs.job("NOPE").isEmpty());
    assertTrue(jobs.handle("NOPE").isEmpty());
    assertEquals(false, jobs.cancel("01JZZZZZZZZZZZZZZZZZZZZZZZ"));
  }

  @Test
  void timeoutInterruptsAJobBlockedWithoutSafePoints() {
    JobManager jobs = open(1);
    String gate = unique("hard-timeout");
    JobHandle<String> h =
        jobs.dispatch(
            BlockJob.hard(gate), DispatchOptions.builder().timeout(Duration.ofMillis(200)).build());
    assertEquals(JobState.TIMED_OUT, awaitFailure(h.result()).state());
  }

  @Test
  void closeReleasesAJobThatIgnoresShutdownPastTheGracePeriod() throws Exception {
    String gate = unique("straggler");
    JobManager first = builder(1).shutdownGrace(Duration.ofMillis(100)).open();
    JobHandle<String> h = first.dispatch(BlockJob.hard(gate));
    CompletableFuture<String> pending = h.result();
    Gates.await(gate + ".started");
    first.close();
    ExecutionException closed =
        assertThrows(ExecutionException.class, () -> pending.get(1, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, closed.getCause());
    assertThrows(IllegalStateException.class, h::result);

    Gates.open(gate);
    JobManager second = open(1);
    assertEquals(gate + " done", await(second.handle(h.id()).orElseThrow().result()));
    assertEquals(1, second.job(h.id()).orElseThrow().attempts());
  }

  @Test
  void aWorkerWhoseLeaseWasTakenOverStopsAndWritesNothing() throws Exception {
    JobManager jobs = open(1);
    List<String> started = new CopyOnWriteArrayList<>();
    jobs.subscribe(e -> started.add(e.jobId() + " " + e.detail().orElse("")), JobEventType.STARTED);
    String gate = unique("fenced");
    JobHandle<String> h = jobs.dispatch(new BlockJob(gate));
    Gates.await(gate + ".started");
    // Another process decides the lease expired and requeues the job (new epoch on next claim).
    // On PostgreSQL recovery skips a row locked at that moment (the worker renewing its lease),
    // and a later pass takes it: so does this one, as a recovering node would.
    try (JobStore other = RawStores.open(db)) {
      String owner = other.get(h.id()).orElseThrow().leaseOwner();
      List<String> recovered = new CopyOnWriteArrayList<>();
      Awaitility.await("recovery of the running job")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                recovered.addAll(other.recoverOwner(owner, System.currentTimeMillis()));
                return !recovered.isEmpty();
              });
      assertEquals(List.of(h.id()), recovered);
    }
    // The old attempt notices at its next heartbeat and stops; the job is claimed again and runs
    // once. The claim may come first (the claim loop buffers a job ahead right after a claim that
    // filled its capacity), but the one worker starts attempt 2 only once attempt 1 has ended.
    Awaitility.await("second attempt started")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> started.stream().anyMatch(s -> s.startsWith(h.id() + " attempt 2")));
    assertEquals(2, jobs.job(h.id()).orElseThrow().attempts());
    Gates.open(gate);
    assertEquals(gate + " done", await(h.result()));
    assertEquals(List.of(gate), Gates.list("order").stream().filter(gate::equals).toList());
  }

  @Test
  void inProcessDispatchWakesAnIdleWorkerWithoutWaitingForThePoll() throws Exception {
    JobManager jobs = builder(1).pollInterval(Duration.ofSeconds(60)).open();
    open.add(jobs);
    JobHandle<String> h = jobs.dispatch(new GreetJob("fast"));
    assertEquals("hello fast", h.result().get(5, TimeUnit.SECONDS));
  }

  @Test
  void delayedDispatchRunsWhenDue() throws Exception {
    JobManager jobs = builder(1).pollInterval(Duration.ofSeconds(60)).open();
    open.add(jobs);
    JobHandle<String> h =
        jobs.dispatch(
            new GreetJob("later"), DispatchOptions.builder().delay(Duration.ofMillis(200)).build());
    assertEquals(JobState.SCHEDULED, h.status());
    assertEquals("hello later", h.result().get(5, TimeUnit.SECONDS));
  }

  @Test
  void retryQueuesAFailedJobAgain() throws Exception {
    JobManager jobs = open(1);
    JobHandle<Integer> h =
        jobs.dispatch(new FlakyJob(1, false), DispatchOptions.builder().maxAttempts(1).build());
    assertEquals(JobState.FAILED, awaitFailure(h.result()).state());
    assertTrue(jobs.retry(h.id()));
    // Attempts were reset, so this run is attempt 1 again and fails again.
    assertEquals(JobState.FAILED, awaitFailure(h.result()).state());
  }

  @Test
  void resultOfAJobRunByAnotherManagerArrivesByPolling() throws Exception {
    JobManager dispatcher = builder(1).workers("elsewhere", 1).open();
    open.add(dispatcher);
    JobHandle<String> h = dispatcher.dispatch(new GreetJob("remote"));
    CompletableFuture<String> f = h.result();
    open(1); // runs the "default" queue
    assertEquals("hello remote", await(f));
  }

  @Test
  void twoManagersOnOneDatabaseRunEveryJobExactlyOnce() throws Exception {
    JobManager a = open(2);
    JobManager b = open(2);
    String list = unique("shared");
    List<JobHandle<?>> handles = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      handles.add((i % 2 == 0 ? a : b).dispatch(new RecordJob(list, "j" + i)));
    }
    for (JobHandle<?> h : handles) {
      await(h.result());
    }
    List<String> ran = Gates.list(list);
    assertEquals(40, ran.size(), ran.toString());
    assertEquals(40, ran.stream().distinct().count(), ran.toString());
  }
}
