package dev.jobkit.runtime.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import dev.jobkit.runtime.testing.CapturedLog;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One WARN per outage, repeats rate-limited with a count, one INFO when storage is back. */
class StorageOutageTest {
  private static final long MS = 1_000_000;

  @Test
  void aLongOutageIsReportedOnceThenEvery30sWithACountAndOnceWhenOver() {
    AtomicLong nanos = new AtomicLong();
    StorageOutage outage = new StorageOutage(nanos::get);
    StorageException down =
        new StorageException(
            Reason.UNREACHABLE,
            "Cannot reach PostgreSQL at jdbc:postgresql://db/jobs: connection refused",
            new IllegalStateException("SQL [insert into jobkit_job_logs values ('secret')]"));
    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < 600; i++) { // 20 failures a second for 30 s
        outage.failed("claim", "claiming from queue 'default'", down);
        nanos.addAndGet(50 * MS);
      }
      outage.failed("heartbeat", "renewing leases (heartbeat)", down);
      nanos.addAndGet(100 * MS);
      outage.succeeded("heartbeat");
      assertTrue(log.linesWith("INFO").isEmpty(), "the claims still fail");
      outage.succeeded("claim");
      outage.succeeded("claim");

      List<String> warns = log.linesWith("WARN");
      assertEquals(2, warns.size(), String.join("\n", log.lines()));
      assertTrue(
          warns.get(0).contains("Storage failed while claiming from queue 'default': Cannot reach")
              && warns.get(0).contains("connection refused"),
          warns.get(0));
      assertTrue(
          warns.get(1).contains("Storage still failing: 600 failure(s) in the last 30 s"),
          warns.get(1));
      List<String> infos = log.linesWith("INFO");
      assertEquals(1, infos.size(), String.join("\n", log.lines()));
      assertTrue(infos.get(0).contains("Storage works again after 601 failure(s)"), infos.get(0));
      assertTrue(log.linesWith("secret").isEmpty(), "no SQL or bound value in the log");
      assertTrue(log.linesWith("\tat ").isEmpty(), "no stack trace at INFO");
    }
  }

  @Test
  void aFailureOfAnotherKindIsReportedAtOnce() {
    AtomicLong nanos = new AtomicLong();
    StorageOutage outage = new StorageOutage(nanos::get);
    try (CapturedLog log = CapturedLog.start()) {
      outage.failed("claim", "claiming", new StorageException(Reason.UNREACHABLE, "down", null));
      outage.failed("claim", "claiming", new StorageException(Reason.UNREACHABLE, "down", null));
      outage.failed("claim", "claiming", new StorageException(Reason.DISK_FULL, "disk full", null));
      assertEquals(2, log.linesWith("WARN").size(), String.join("\n", log.lines()));
      assertTrue(log.linesWith("WARN").get(1).contains("disk full"));
    }
  }

  @Test
  void retriesBackOffUpToFiveSeconds() {
    assertEquals(500, StorageOutage.retryDelayMs(500, 1));
    assertEquals(1000, StorageOutage.retryDelayMs(500, 2));
    assertEquals(5000, StorageOutage.retryDelayMs(500, 10));
    assertEquals(5000, StorageOutage.retryDelayMs(500, 1000));
    assertEquals(8000, StorageOutage.retryDelayMs(8000, 3), "never below the poll interval");
  }
}
