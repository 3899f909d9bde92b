package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client-only manager (as the CLI opens) steers jobs that a worker manager on the same database
 * runs, and the worker picks the changes up within its poll interval; on both backends ({@link
 * ControlFromAClientSqliteTest}, {@link ControlFromAClientPostgresTest}).
 */
abstract class ControlFromAClientTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;

  ControlFromAClientTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @Test
  void aRetryByAClientIsRunByTheWorkerWithinThePollInterval() throws Exception {
    TestDatabase db = backend.create(dir);
    Path data = dir.resolve("jobkit-data");
    try (JobManager worker = db.builder().dataDirectory(data).workers("default", 1).open();
        JobManager client = db.builder().dataDirectory(data).noWorkers().open()) {
      JobHandle<?> h =
          client.dispatch(new FlakyJob(1, false), DispatchOptions.builder().maxAttempts(1).build());
      await("failed")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> client.job(h.id()).orElseThrow().state() == JobState.FAILED);
      assertEquals(0, client.health().runningJobs(), "the client runs nothing");

      // The retry resets the attempts, so this job fails its (new) first attempt again: the
      // second failure shows that the worker ran it.
      java.time.Instant firstEnd = client.job(h.id()).orElseThrow().finishedAt().orElseThrow();
      long t0 = System.nanoTime();
      assertTrue(client.retry(h.id()));
      await("run again")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  client
                      .job(h.id())
                      .orElseThrow()
                      .finishedAt()
                      .map(t -> t.isAfter(firstEnd))
                      .orElse(false));
      long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
      assertEquals(JobState.FAILED, client.job(h.id()).orElseThrow().state());
      assertEquals(1, client.job(h.id()).orElseThrow().attempts(), "attempts start again at 1");
      assertTrue(ms < 2_000, "picked up after " + ms + " ms with a 500 ms poll interval");
      assertTrue(worker.health().workersAlive());
    }
  }
}
