package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TenantSpec;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's max-running quota inside fair claiming (#14), through the manager, on both databases
 * ({@link TenantMaxRunningSqliteTest}, {@link TenantMaxRunningPostgresTest}): 8 workers of blocking
 * jobs, tenant A with a quota and tenant B without, both with a backlog. Counted from a journal of
 * the jobs' runs and from the store, not timed.
 */
abstract class TenantMaxRunningTest {
  static final int WORKERS = 8;
  static final int BACKLOG = 12;

  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();
  private final String run = UUID.randomUUID().toString();
  private final List<JobHandle<String>> handles = new ArrayList<>();

  TenantMaxRunningTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  @AfterEach
  void closeAll() {
    Gates.open(gate("a"));
    Gates.open(gate("b"));
    open.forEach(JobManager::close);
  }

  private JobManager open(JobManager.Builder b) {
    JobManager m = b.open();
    open.add(m);
    return m;
  }

  private JobManager client() {
    return open(db.builder().noWorkers());
  }

  private JobManager workers() {
    return open(
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", WORKERS)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofSeconds(5)));
  }

  private String gate(String tenant) {
    return run + "-" + tenant;
  }

  private void dispatch(JobManager jobs, String tenant, int n) {
    DispatchOptions options = DispatchOptions.builder().tenant(tenant).build();
    for (int i = 0; i < n; i++) {
      handles.add(jobs.dispatch(new QuotaJob(run, tenant, gate(tenant)), options));
    }
  }

  private static void maxRunning(JobManager jobs, String tenant, int max) {
    jobs.tenants().put(TenantSpec.builder(tenant).maxRunning(max).build(), null);
  }

  /** Waits until the journal has a job of A or B on every worker. */
  private void allWorkersBusy(JobManager jobs) {
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> QuotaJournal.running(run, "a") + QuotaJournal.running(run, "b") == WORKERS);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "not every worker got a job within 30 s: running a="
              + QuotaJournal.running(run, "a")
              + " b="
              + QuotaJournal.running(run, "b")
              + "; the store says "
              + jobs.tenants().list(),
          e);
    }
  }

  /** All 8 workers busy: A at its quota of 2, B on the other 6; then both drain. */
  private void twoOfAAndSixOfBRunThenAllDrain(JobManager jobs) throws Exception {
    allWorkersBusy(jobs);
    assertEquals(2, QuotaJournal.running(run, "a"));
    assertEquals(6, QuotaJournal.running(run, "b"), "B gets the workers A's quota leaves");
    assertEquals(2, jobs.tenants().get("a").orElseThrow().running());
    // Both backlogs drain; A's two at a time at most.
    Gates.open(gate("a"));
    Gates.open(gate("b"));
    for (JobHandle<String> h : handles) {
      h.result().get(30, TimeUnit.SECONDS);
    }
    assertEquals(2, QuotaJournal.most(run, "a"), "A ran at most its quota at once");
  }

  @Test
  void aTenantAtItsMaxRunningLeavesTheOtherWorkersToTheOthers() throws Exception {
    JobManager client = client();
    maxRunning(client, "a", 2);
    dispatch(client, "a", BACKLOG);
    dispatch(client, "b", BACKLOG);
    twoOfAAndSixOfBRunThenAllDrain(workers());
  }

  @Test
  void jobsDispatchedBeforeTheQuotaWasSetAreCounted() throws Exception {
    JobManager client = client();
    dispatch(client, "a", BACKLOG);
    dispatch(client, "b", BACKLOG);
    maxRunning(client, "a", 2);
    twoOfAAndSixOfBRunThenAllDrain(workers());
  }

  @Test
  void aLimitedJobTypeInATenantWithMaxRunningHoldsBothLimits() throws Exception {
    JobManager client = client();
    maxRunning(client, "a", 2);
    DispatchOptions a = DispatchOptions.builder().tenant("a").build();
    for (int i = 0; i < 6; i++) {
      handles.add(client.dispatch(new QuotaLimitedJob(run, "a", "h" + i % 3, gate("a")), a));
    }
    dispatch(client, "a", BACKLOG - 6);
    dispatch(client, "b", BACKLOG);
    JobManager jobs = workers();
    twoOfAAndSixOfBRunThenAllDrain(jobs);
    for (int h = 0; h < 3; h++) {
      assertEquals(1, QuotaJournal.most(run, "host:h" + h), "one running per host");
    }
  }

  @Test
  void aMaxRunningLargerThanTheWorkersDoesNotTakeTheOtherTenantsWorkers() throws Exception {
    // The usual case: the quota protects the others, so it is larger than one node's workers.
    JobManager client = client();
    maxRunning(client, "a", 100);
    dispatch(client, "a", BACKLOG * 2);
    dispatch(client, "b", BACKLOG * 2);
    allWorkersBusy(workers());
    int b = QuotaJournal.running(run, "b");
    assertTrue(
        b >= 3 && b <= 5,
        "A and B share the workers (about 4 each), though A's jobs came first: B has " + b);
    Gates.open(gate("a"));
    Gates.open(gate("b"));
    for (JobHandle<String> h : handles) {
      h.result().get(30, TimeUnit.SECONDS);
    }
  }
}
