package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobRegistry;
import dev.jobkit.MissingServiceException;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.spi.ServiceRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services into jobs (#13): injected per attempt, checked when the manager opens. */
class JobServicesTest {
  @TempDir Path dir;

  private static final ServiceRequirement RECORDER =
      new ServiceRequirement(RecorderJob.Recorder.class, "", "recorder");

  /** {@link RecorderJob} with its recorder as a service, as a generated registration does it. */
  private static JobRegistry registry() {
    return JobRegistry.of(
        List.of(
            new WithServices<>(
                new RecorderJob_Registration(),
                List.of(RECORDER),
                (job, services) ->
                    job.recorder = services.require(RecorderJob.Recorder.class, ""))));
  }

  private JobManager.Builder builder() {
    return JobManager.builder()
        .database(dir.resolve("jobs.db"))
        .registry(registry())
        .workers("default", 1)
        .pollInterval(Duration.ofMillis(50))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(1));
  }

  @Test
  void eachAttemptRunsAFreshObjectWithItsServices() throws Exception {
    List<RecorderJob> seen = new CopyOnWriteArrayList<>();
    RecorderJob.Recorder recorder = seen::add;
    try (JobManager jobs =
        builder().services(Map.of(RecorderJob.Recorder.class, recorder)).open()) {
      RecorderJob job = new RecorderJob();
      job.failTimes = 1;
      JobHandle<Integer> h = jobs.dispatch(job, DispatchOptions.builder().maxAttempts(2).build());
      assertEquals(2, h.result().get(10, TimeUnit.SECONDS));
    }
    assertEquals(2, seen.size());
    assertNotSame(seen.get(0), seen.get(1));
    assertTrue(seen.stream().allMatch(j -> j.recorder == recorder));
  }

  @Test
  void aMissingServiceFailsOpenNamingTheJobAndFieldBeforeTheDatabaseIsTouched() {
    MissingServiceException e = assertThrows(MissingServiceException.class, builder()::open);
    assertEquals(
        "jobs need services that the manager does not have: test.recorder"
            + " (dev.jobkit.runtime.engine.RecorderJob) needs"
            + " dev.jobkit.runtime.engine.RecorderJob$Recorder for field 'recorder'. Provide them"
            + " with JobManager.Builder.services(...) (with Spring: declare the beans), or open the"
            + " manager with noWorkers() if it does not run these jobs",
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("jobs.db")));
  }

  @Test
  void aManagerWithoutWorkersNeedsNoServices() {
    try (JobManager jobs = builder().noWorkers().open()) {
      String id = jobs.dispatch(new RecorderJob()).id();
      assertEquals(JobState.QUEUED, jobs.job(id).orElseThrow().state());
    }
  }

  @Test
  void aServiceThatGoesAwayFailsTheAttemptNotTheWorker() {
    AtomicBoolean present = new AtomicBoolean(true);
    RecorderJob.Recorder recorder = job -> {};
    try (JobManager jobs =
        builder()
            .services((type, name) -> present.get() ? Optional.of(recorder) : Optional.empty())
            .open()) {
      present.set(false);
      JobHandle<Integer> h =
          jobs.dispatch(new RecorderJob(), DispatchOptions.builder().maxAttempts(1).build());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> jobs.job(h.id()).map(JobInfo::state).orElseThrow() == JobState.FAILED);
      String error = jobs.job(h.id()).orElseThrow().error().orElseThrow();
      assertTrue(
          error.contains("no service dev.jobkit.runtime.engine.RecorderJob$Recorder is configured"),
          error);
    }
  }

  @Test
  void startLaterChecksTheServicesWhenStartedAndRunsNothingBefore() throws Exception {
    List<RecorderJob> seen = new CopyOnWriteArrayList<>();
    RecorderJob.Recorder recorder = seen::add;
    Map<Class<?>, Object> services = new java.util.concurrent.ConcurrentHashMap<>();
    try (JobManager jobs =
        builder()
            .startLater()
            .services((type, name) -> Optional.ofNullable(services.get(type)))
            .open()) {
      JobHandle<Integer> h = jobs.dispatch(new RecorderJob());
      assertEquals(JobState.QUEUED, jobs.job(h.id()).orElseThrow().state());
      // The container has not made the service yet: start() says so, and nothing ran.
      assertThrows(MissingServiceException.class, jobs::start);
      assertTrue(seen.isEmpty());
      services.put(RecorderJob.Recorder.class, recorder);
      jobs.start();
      jobs.start(); // once only
      assertEquals(1, h.result().get(10, TimeUnit.SECONDS));
    }
    assertEquals(1, seen.size());
  }

  @Test
  void aManagerThatNeverStartedCloses() {
    JobManager jobs = builder().startLater().open();
    jobs.dispatch(new RecorderJob());
    jobs.close();
    assertThrows(IllegalStateException.class, jobs::start);
  }
}
