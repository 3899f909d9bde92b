package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobStorageException;
import dev.jobkit.runtime.testing.CapturedLog;
import dev.jobkit.runtime.testing.SmallDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose disk fills up while jobs are due: its claims fail, it says once that the disk is
 * full and backs off; other programs still read, and their writes say "disk full", not "locked";
 * once space is freed, the worker runs the jobs by itself. On a real size-limited tmpfs; skipped
 * where the test cannot mount one.
 */
@Timeout(60)
class DiskFullWorkerTest {
  @TempDir Path dir;

  @Test
  void aFullDiskStallsTheWorkerHonestlyAndItRecoversWhenSpaceIsFreed() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 8192);
        CapturedLog log = CapturedLog.start()) {
      Path db = disk.dir().resolve("jobs.db");
      String big = "x".repeat(64 * 1024); // each claim rewrites the row: the WAL must grow
      try (JobManager worker =
          JobManager.builder()
              .database(db)
              .workers("default", 2)
              .pollInterval(Duration.ofMillis(50))
              .open()) {
        List<String> ids = new ArrayList<>();
        DispatchOptions later = DispatchOptions.builder().delay(Duration.ofMillis(1500)).build();
        for (int i = 0; i < 6; i++) {
          ids.add(worker.dispatch(new GreetJob(big + i), later).id());
        }
        disk.fill();
        pollUntil("the worker to report the full disk", () -> !log.linesWith("is full").isEmpty());

        // Another program: reads answer at once; a write says the disk is full.
        try (JobManager other = JobManager.builder().database(db).noWorkers().open()) {
          assertTimeoutPreemptively(
              Duration.ofSeconds(2),
              () -> assertEquals(6, other.list(JobQuery.all()).jobs().size()));
          JobStorageException e =
              assertThrows(
                  JobStorageException.class,
                  () -> {
                    for (int i = 0; i < 100; i++) {
                      other.dispatch(new GreetJob(big));
                    }
                  });
          assertEquals(JobStorageException.Kind.DISK_FULL, e.kind(), e.getMessage());
        }
        // Keep failing for a while: the worker backs off and says it once.
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        pollUntil("two seconds of a full disk", () -> System.nanoTime() > until);
        List<String> warns = log.linesWith("WARN");
        assertEquals(1, warns.size(), "one warning for the whole outage:\n" + log.lines());
        assertTrue(
            warns.get(0).contains("the disk holding " + disk.dir().toAbsolutePath() + " is full"),
            warns.get(0));
        assertTrue(log.linesWith("\tat ").isEmpty(), "no stack trace:\n" + log.lines());
        for (String id : ids) {
          assertEquals(JobState.SCHEDULED, worker.job(id).orElseThrow().state(), "not claimed");
        }

        disk.free();
        pollUntil(
            "all jobs completed after space was freed",
            () ->
                ids.stream()
                    .allMatch(id -> worker.job(id).orElseThrow().state() == JobState.COMPLETED));
        assertEquals(
            1, log.linesWith("Storage works again").size(), String.join("\n", log.lines()));
      }
    }
  }

  private static void pollUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
