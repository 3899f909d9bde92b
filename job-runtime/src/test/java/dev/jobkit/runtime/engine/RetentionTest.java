package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.AuditQuery;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.MaintenanceInfo;
import dev.jobkit.runtime.internal.store.AuditRow;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic retention through the public API, on both backends ({@link RetentionSqliteTest}, {@link
 * RetentionPostgresTest}): on by default in a manager with workers, and visible from any manager
 * through {@link JobManager#maintenance()}.
 */
abstract class RetentionTest {
  private static final long DAY = 86_400_000L;

  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;

  RetentionTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  /** Plants a job that completed at {@code at}; returns its id. */
  private static String completedAt(JobStore store, JobIds ids, long at) {
    NewJob j = NewJob.of(ids.next(), "unregistered.old", new byte[] {1}, at).withQueue("old");
    store.insert(j, at);
    List<ClaimedJob> c = store.claim(new ClaimRequest("w", List.of("old"), 1, at, at + 30_000));
    store.complete(c.get(0).id(), c.get(0).epoch(), null, at);
    return j.id();
  }

  @Test
  void aManagerWithWorkersDeletesExpiredJobsByDefault() {
    long now = Clock.systemUTC().millis();
    String old;
    String recent;
    try (JobManager setup = db.builder().dataDirectory(dir).noWorkers().open();
        JobStore raw = RawStores.open(db)) {
      JobIds ids = new JobIds(Clock.systemUTC());
      old = completedAt(raw, ids, now - 8 * DAY);
      recent = completedAt(raw, ids, now - 6 * DAY);
      MaintenanceInfo never = setup.maintenance();
      assertTrue(never.lastStarted().isEmpty());
      assertTrue(never.policy().isEmpty());
    }
    try (JobManager worker =
            db.builder()
                .dataDirectory(dir)
                .workers("default", 1)
                .pollInterval(Duration.ofMillis(50))
                .open();
        JobManager client = db.builder().dataDirectory(dir).noWorkers().open()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.maintenance().lastFinished().isPresent());
      assertTrue(client.job(old).isEmpty(), "the job completed 8 days ago is deleted");
      assertTrue(client.job(recent).isPresent(), "the job completed 6 days ago is kept");
      MaintenanceInfo m = client.maintenance();
      assertEquals(
          java.util.Optional.of("completed 7d, failed/cancelled/timed out 30d"), m.policy());
      assertEquals(1, m.lastDeletedCompleted());
      assertEquals(1, m.totalDeleted());
      assertEquals(java.util.Optional.of(worker.health().ownerId()), m.lastRunBy());
      assertEquals(backend == TestDatabase.Backend.SQLITE ? "incremental" : "server", m.vacuum());
    }
  }

  @Test
  void auditRowsOlderThanTheLongestAgeArePassDeleted() {
    long now = Clock.systemUTC().millis();
    db.builder().dataDirectory(dir).noWorkers().open().close(); // creates the schema
    try (JobStore raw = RawStores.open(db)) {
      raw.audit(
          new AuditRow(
              "01AAAAAAAAAAAAAAAAAAAAAAA1",
              now - 31 * DAY,
              null,
              "key:a",
              "job.cancel",
              "x",
              null));
      raw.audit(
          new AuditRow(
              "01AAAAAAAAAAAAAAAAAAAAAAA2",
              now - 29 * DAY,
              null,
              "key:a",
              "job.cancel",
              "y",
              null));
    }
    try (JobManager worker =
        db.builder()
            .dataDirectory(dir)
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .open()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> worker.maintenance().lastFinished().isPresent());
      // The default policy keeps failed jobs 30 days, its longest age: so are audit rows.
      assertEquals(
          List.of("y"),
          worker.audit().list(AuditQuery.all()).entries().stream()
              .map(e -> e.target().orElseThrow())
              .toList());
    }
  }
}
