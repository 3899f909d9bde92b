package dev.jobkit.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed's dispatches: new jobs read by id over the primary key, after a settle window. */
class JobFeedDispatchesTest {
  @TempDir Path dir;

  private static final Duration GRACE = JobFeed.HOLE_GRACE;

  private static List<String> ids(JobFeed.Batch b) {
    return b.dispatches().stream().map(JobEventInfo::jobId).toList();
  }

  /** Waits until the clock has left the millisecond of {@code id}. */
  private static void pastMillisOf(String id) {
    await().until(() -> System.currentTimeMillis() > JobIds.millisOf(id));
  }

  @Test
  void dispatchesArePagedByIdAndHeldBackForTheSettleWindow() {
    try (JobManager jobs = TestDatabase.sqlite(dir.resolve("a.db")).builder().noWorkers().open()) {
      List<String> dispatched = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        dispatched.add(jobs.dispatchByName("test.greet", "{\"name\": \"x" + i + "\"}").id());
      }
      pastMillisOf(dispatched.get(4));

      JobFeed.Tail waiting = jobs.feed().tail(FeedCursor.START, GRACE, Duration.ofHours(1));
      assertEquals(List.of(), ids(waiting.poll(100)), "not settled yet");
      assertTrue(
          waiting.resumeFrom().jobId().compareTo(dispatched.get(0)) < 0,
          "not passed: " + waiting.resumeFrom());

      JobFeed.Tail tail = jobs.feed().tail(FeedCursor.START, GRACE, Duration.ZERO);
      List<String> seen = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        List<String> page = ids(tail.poll(2));
        sizes.add(page.size());
        seen.addAll(page);
      }
      assertEquals(List.of(2, 2, 1, 0), sizes);
      assertEquals(dispatched, seen, "each once, by id");
    }
  }

  @Test
  void aCursorWithoutAJobPartStartsAtTheTailsOwnStart() {
    try (JobManager jobs = TestDatabase.sqlite(dir.resolve("b.db")).builder().noWorkers().open()) {
      String before = jobs.dispatchByName("test.greet", "{\"name\": \"old\"}").id();
      pastMillisOf(before);
      JobFeed.Tail tail = jobs.feed().tail(new FeedCursor(0, 0), GRACE, Duration.ZERO);
      String after = jobs.dispatchByName("test.greet", "{\"name\": \"new\"}").id();
      pastMillisOf(after);
      assertEquals(List.of(after), ids(tail.poll(100)));
      assertTrue(tail.resumeFrom().jobId().compareTo(after) >= 0);
    }
  }
}
