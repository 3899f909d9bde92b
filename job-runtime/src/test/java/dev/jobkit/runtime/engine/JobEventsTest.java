package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobLifecycleEvent;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobSubscription;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process lifecycle events from {@link JobManager#subscribe}, on both backends ({@link
 * JobEventsSqliteTest}, {@link JobEventsPostgresTest}).
 */
abstract class JobEventsTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  JobEventsTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  private JobManager open() {
    JobManager m =
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(50))
            .leaseDuration(Duration.ofSeconds(3))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    open.add(m);
    return m;
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  /** Collects events. */
  private static final class Recorder {
    final List<JobLifecycleEvent> events = new CopyOnWriteArrayList<>();

    void add(JobLifecycleEvent e) {
      events.add(e);
    }

    List<JobEventType> typesOf(String id) {
      return events.stream()
          .filter(e -> e.jobId().equals(id))
          .map(JobLifecycleEvent::type)
          .toList();
    }

    JobLifecycleEvent await(String id, JobEventType type) {
      return Awaitility.await(type + " of " + id)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  events.stream().filter(e -> e.jobId().equals(id) && e.type() == type).findFirst(),
              java.util.Optional::isPresent)
          .orElseThrow();
    }
  }

  private static void awaitEnd(CompletableFuture<?> f) {
    assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aCompletedJobIsDispatchedStartedAndCompletedInOrder() throws Exception {
    JobManager jobs = open();
    Recorder r = new Recorder();
    jobs.subscribe(r::add);
    JobHandle<String> h = jobs.dispatch(new GreetJob("ev"));
    h.result().get(10, TimeUnit.SECONDS);
    JobLifecycleEvent done = r.await(h.id(), JobEventType.COMPLETED);

    assertEquals("test.greet", done.name());
    List<JobEventType> types = r.typesOf(h.id());
    assertTrue(
        types.containsAll(List.of(JobEventType.DISPATCHED, JobEventType.STARTED)),
        types.toString());
    assertTrue(types.indexOf(JobEventType.STARTED) < types.indexOf(JobEventType.COMPLETED));
    assertEquals("attempt 1", r.await(h.id(), JobEventType.STARTED).detail().orElseThrow());
  }

  @Test
  void retriesAndFinalFailureAreReportedWithTheError() {
    JobManager jobs = open();
    Recorder r = new Recorder();
    jobs.subscribe(r::add, JobEventType.RETRY_SCHEDULED, JobEventType.FAILED);
    JobHandle<Integer> h =
        jobs.dispatch(new FlakyJob(5, false), DispatchOptions.builder().maxAttempts(2).build());
    awaitEnd(h.result());
    JobLifecycleEvent failed = r.await(h.id(), JobEventType.FAILED);

    assertEquals(List.of(JobEventType.RETRY_SCHEDULED, JobEventType.FAILED), r.typesOf(h.id()));
    assertTrue(failed.detail().orElseThrow().contains("boom 2"), failed.detail().toString());
  }

  @Test
  void controlCallsReportCancelPauseResumeAndRetry() {
    JobManager jobs = open();
    Recorder r = new Recorder();
    jobs.subscribe(
        r::add,
        JobEventType.CANCELLED,
        JobEventType.PAUSED,
        JobEventType.RESUMED,
        JobEventType.RETRIED);
    DispatchOptions later = DispatchOptions.builder().delay(Duration.ofHours(1)).build();
    JobHandle<String> h = jobs.dispatch(new GreetJob("ctl"), later);
    jobs.pause(h.id());
    jobs.resume(h.id());
    jobs.cancel(h.id());
    jobs.retry(h.id());
    r.await(h.id(), JobEventType.RETRIED);
    assertEquals(
        List.of(
            JobEventType.PAUSED,
            JobEventType.RESUMED,
            JobEventType.CANCELLED,
            JobEventType.RETRIED),
        r.typesOf(h.id()));
  }

  @Test
  void aRunningJobThatIsPausedOrTimesOutIsReportedByItsWorker() {
    JobManager jobs = open();
    Recorder r = new Recorder();
    jobs.subscribe(r::add, JobEventType.PAUSED, JobEventType.TIMED_OUT);
    String gate = "ev-pause-" + UUID.randomUUID();
    JobHandle<String> paused = jobs.dispatch(new BlockJob(gate));
    JobHandle<String> slow =
        jobs.dispatch(
            new BlockJob("ev-slow-" + UUID.randomUUID()),
            DispatchOptions.builder().timeout(Duration.ofMillis(200)).build());
    Awaitility.await("started")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> Gates.isOpen(gate + ".started"));
    jobs.pause(paused.id());
    r.await(paused.id(), JobEventType.PAUSED);
    r.await(slow.id(), JobEventType.TIMED_OUT);
    jobs.cancel(paused.id());
  }

  @Test
  void progressIsDeliveredAsJson() throws Exception {
    JobManager jobs = open();
    Recorder r = new Recorder();
    jobs.subscribe(r::add, JobEventType.PROGRESS);
    JobHandle<String> h = jobs.dispatch(new CountingJob(3, -1, "ev-prog-" + UUID.randomUUID()));
    h.result().get(10, TimeUnit.SECONDS);
    Awaitility.await("3 progress events")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> r.typesOf(h.id()).size() == 3);
    assertTrue(r.events.get(2).detail().orElseThrow().contains("3"), r.events.get(2).toString());
  }

  @Test
  void aQuarantinedJobIsReportedWithItsReason() throws Exception {
    String corrupt = new JobIds(Clock.systemUTC()).next();
    try (JobStore store = RawStores.open(db)) {
      long now = System.currentTimeMillis();
      store.insert(NewJob.of(corrupt, "test.greet", new byte[] {(byte) 0xc1}, now), now);
    }
    Recorder r = new Recorder();
    JobManager jobs = open();
    // The workers may claim it before the subscription exists; retrying once subscribed
    // quarantines it again, which the listener must see.
    jobs.subscribe(r::add, JobEventType.QUARANTINED);
    awaitEnd(jobs.handle(corrupt).orElseThrow().result());
    jobs.retry(corrupt);
    JobLifecycleEvent e = r.await(corrupt, JobEventType.QUARANTINED);
    assertTrue(e.detail().orElseThrow().startsWith("cannot decode job " + corrupt), e.toString());
  }

  @Test
  void onlySubscribedTypesAreDelivered() throws Exception {
    JobManager jobs = open();
    Recorder r = new Recorder();
    jobs.subscribe(r::add, JobEventType.COMPLETED);
    JobHandle<String> h = jobs.dispatch(new GreetJob("only"));
    h.result().get(10, TimeUnit.SECONDS);
    r.await(h.id(), JobEventType.COMPLETED);
    assertEquals(List.of(JobEventType.COMPLETED), r.typesOf(h.id()));
  }

  @Test
  void aThrowingListenerIsLoggedAndOthersStillReceive() throws Exception {
    JobManager jobs = open();
    jobs.subscribe(
        e -> {
          throw new IllegalStateException("listener bug");
        });
    Recorder r = new Recorder();
    jobs.subscribe(r::add);
    JobHandle<String> h = jobs.dispatch(new GreetJob("throw"));
    assertEquals("hello throw", h.result().get(10, TimeUnit.SECONDS));
    r.await(h.id(), JobEventType.COMPLETED);
  }

  @Test
  void aSlowListenerDoesNotHoldUpWorkers() throws Exception {
    JobManager jobs = open();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    jobs.subscribe(
        e -> {
          blocked.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        });
    Recorder r = new Recorder();
    jobs.subscribe(r::add, JobEventType.COMPLETED);
    JobHandle<String> first = jobs.dispatch(new GreetJob("1"));
    assertTrue(blocked.await(10, TimeUnit.SECONDS));
    // The dispatcher is stuck in the slow listener; jobs still run to the end.
    JobHandle<String> second = jobs.dispatch(new GreetJob("2"));
    assertEquals("hello 1", first.result().get(10, TimeUnit.SECONDS));
    assertEquals("hello 2", second.result().get(10, TimeUnit.SECONDS));
    assertTrue(r.typesOf(second.id()).isEmpty());
    release.countDown();
    r.await(second.id(), JobEventType.COMPLETED);
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() throws Exception {
    JobManager jobs = open();
    Recorder closed = new Recorder();
    Recorder barrier = new Recorder();
    JobSubscription s = jobs.subscribe(closed::add);
    jobs.subscribe(barrier::add);
    s.close();
    s.close();
    JobHandle<String> h = jobs.dispatch(new GreetJob("after"));
    h.result().get(10, TimeUnit.SECONDS);
    // One dispatcher thread delivers in order: once the barrier saw COMPLETED, all events are out.
    barrier.await(h.id(), JobEventType.COMPLETED);
    assertTrue(closed.events.isEmpty(), closed.events.toString());
  }
}
