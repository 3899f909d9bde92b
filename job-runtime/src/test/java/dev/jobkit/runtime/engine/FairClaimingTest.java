package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fair claiming across tenants through the manager (#14), on both databases ({@link
 * FairClaimingSqliteTest}, {@link FairClaimingPostgresTest}): behind a long backlog of one tenant,
 * another tenant's few jobs start after a bounded number of the first one's, counted, not timed.
 */
abstract class FairClaimingTest {
  /** Tenant A's backlog (the issue says 100,000; the bench measures that). */
  static final int BACKLOG = 20_000;

  /** Tenant B's jobs. */
  static final int FEW = 10;

  /**
   * Most of A's jobs that may start after B dispatched and before B's last job starts: the local
   * buffer a claim loop fills ahead under a backlog (8 workers plus at most 256) and two claims in
   * which B has half. Without fair claiming, B's jobs (run-at after all of A's) wait for the whole
   * backlog.
   */
  static final int BOUND = 1_000;

  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private JobManager jobs;

  FairClaimingTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  @AfterEach
  void close() {
    if (jobs != null) {
      jobs.close();
    }
  }

  @Test
  void anotherTenantsJobsStartBehindAtMostABoundOfABacklog() throws Exception {
    String run = UUID.randomUUID().toString();
    jobs =
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", 8)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    DispatchOptions a = DispatchOptions.builder().tenant("tenant-a").build();
    for (int i = 0; i < BACKLOG; i += 1_000) {
      jobs.dispatchAll(Collections.nCopies(1_000, new FairStartJob(run, false)), a);
    }
    // The backlog is being worked on: the claim loop claims ahead, as it does under a backlog.
    await()
        .pollInterval(Duration.ofMillis(1))
        .atMost(Duration.ofMinutes(2))
        .until(() -> FairStartJob.starts(run).get() >= 500);
    int atDispatch = FairStartJob.starts(run).get();
    List<JobHandle<?>> few =
        jobs.dispatchAll(
            Collections.nCopies(FEW, new FairStartJob(run, true)),
            DispatchOptions.builder().tenant("tenant-b").build());
    for (JobHandle<?> h : few) {
      h.result().get(2, TimeUnit.MINUTES);
    }
    List<Integer> starts = new ArrayList<>(FairStartJob.watched(run));
    assertEquals(FEW, starts.size());
    int aInBetween = Collections.max(starts) - atDispatch - FEW;
    assertTrue(
        aInBetween <= BOUND,
        "tenant B's "
            + FEW
            + " jobs started behind "
            + aInBetween
            + " of A's (at most "
            + BOUND
            + "); A had started "
            + atDispatch
            + " of "
            + BACKLOG
            + " when B dispatched");
    assertTrue(
        atDispatch + aInBetween < BACKLOG / 2,
        "A's backlog must still be long when B's last job starts: " + (atDispatch + aInBetween));
  }
}
