package dev.jobkit.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite an event or log id is the highest stored one plus one: after a cleanup deleted the
 * newest rows, new rows take those ids again, and a running tail must not skip them.
 */
class JobFeedCleanupTest {
  @TempDir Path dir;

  @Test
  void aTailThatPolledAfterTheCleanupDeliversRowsThatReuseDeletedIds() throws Exception {
    try (JobManager jobs =
        TestDatabase.sqlite(dir.resolve("jobs.db"))
            .builder()
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(20))
            .open()) {
      JobFeed.Tail tail = jobs.feed().tail(FeedCursor.START);
      String first = run(jobs, "first");
      List<JobEventInfo> events = new ArrayList<>();
      List<JobLogLine> logs = new ArrayList<>();
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () -> {
                JobFeed.Batch b = tail.poll(100);
                events.addAll(b.events());
                logs.addAll(b.logs());
                return events.stream().anyMatch(e -> e.to().equals(Optional.of(JobState.COMPLETED)))
                    && !logs.isEmpty();
              });
      long lastEvent = events.get(events.size() - 1).id();
      long lastLog = logs.get(logs.size() - 1).id();
      await()
          .until(
              () ->
                  System.currentTimeMillis()
                      > jobs.job(first).orElseThrow().finishedAt().orElseThrow().toEpochMilli());
      assertEquals(1, jobs.cleanup(Duration.ZERO, false));
      JobFeed.Batch quiet = tail.poll(100);
      assertTrue(
          quiet.events().isEmpty() && quiet.logs().isEmpty(),
          "nothing new; the tail notices the deletion");

      String second = run(jobs, "second");
      List<JobEventInfo> again = new ArrayList<>();
      List<JobLogLine> againLogs = new ArrayList<>();
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () -> {
                JobFeed.Batch b = tail.poll(100);
                again.addAll(b.events());
                againLogs.addAll(b.logs());
                return again.stream()
                        .anyMatch(
                            e ->
                                e.jobId().equals(second)
                                    && e.to().equals(Optional.of(JobState.COMPLETED)))
                    && !againLogs.isEmpty();
              });
      assertTrue(again.get(0).id() <= lastEvent, "the ids were reused: " + again);
      assertTrue(againLogs.get(0).id() <= lastLog, "the ids were reused: " + againLogs);
      assertEquals(second, againLogs.get(0).jobId());
    }
  }

  private static String run(JobManager jobs, String name) throws Exception {
    JobHandle<?> h = jobs.dispatchByName("test.greet", "{\"name\": \"" + name + "\"}");
    h.result().get(10, TimeUnit.SECONDS);
    return h.id();
  }
}
