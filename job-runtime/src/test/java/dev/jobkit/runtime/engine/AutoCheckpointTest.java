package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * checkInterrupt() takes automatic checkpoints of resumable jobs at the configured interval; on
 * both backends ({@link AutoCheckpointSqliteTest}, {@link AutoCheckpointPostgresTest}).
 */
abstract class AutoCheckpointTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;

  AutoCheckpointTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  private JobManager open(Duration interval) {
    return backend
        .create(dir)
        .builder()
        .dataDirectory(dir.resolve("jobkit-data"))
        .workers("default", 1)
        .pollInterval(Duration.ofMillis(50))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .autoCheckpointInterval(interval)
        .open();
  }

  @Test
  void retryResumesFromTheAutomaticCheckpoint() throws Exception {
    try (JobManager jobs = open(Duration.ofMillis(1))) {
      Integer startedAt = jobs.dispatch(new AutoCheckpointJob()).result().get(20, TimeUnit.SECONDS);
      assertEquals(3, startedAt, "the second attempt continues from the state saved at item 3");
    }
  }

  @Test
  void withoutAutomaticCheckpointsTheRetryStartsFromTheParameters() throws Exception {
    try (JobManager jobs = open(Duration.ZERO)) {
      Integer startedAt = jobs.dispatch(new AutoCheckpointJob()).result().get(20, TimeUnit.SECONDS);
      assertEquals(0, startedAt);
    }
  }

  @Test
  void negativeIntervalIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobManager.builder().autoCheckpointInterval(Duration.ofSeconds(-1)));
    assertEquals("autoCheckpointInterval must not be negative, got PT-1S", e.getMessage());
  }
}
