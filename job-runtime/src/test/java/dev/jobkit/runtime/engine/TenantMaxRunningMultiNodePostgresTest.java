package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TenantSpec;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's max running holds across nodes (#14): two managers with workers on one PostgreSQL
 * database drain a backlog of short jobs of a tenant with a quota of 3 and of one without; the
 * journal of the runs never has more than 3 of the first running at once.
 */
class TenantMaxRunningMultiNodePostgresTest {
  private static final int QUOTA = 3;
  private static final int JOBS = 120;

  @TempDir Path dir;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private static JobManager node(TestDatabase db, Path dataDirectory) {
    return db.builder()
        .dataDirectory(dataDirectory)
        .workers("default", 4)
        .pollInterval(Duration.ofMillis(20))
        .shutdownGrace(Duration.ofSeconds(5))
        .open();
  }

  @Test
  void theQuotaIsNeverExceededByTwoNodes() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    String run = UUID.randomUUID().toString();
    try (JobManager client = db.builder().noWorkers().open()) {
      client.tenants().put(TenantSpec.builder("a").maxRunning(QUOTA).build(), null);
      List<JobHandle<String>> handles = new ArrayList<>();
      // A's first half is dispatched before the nodes start, the rest while they drain.
      for (String tenant : List.of("a", "b")) {
        for (int i = 0; i < JOBS / 2; i++) {
          handles.add(
              client.dispatch(
                  new QuotaJob(run, tenant, null),
                  DispatchOptions.builder().tenant(tenant).build()));
        }
      }
      List<JobManager> nodes =
          List.of(node(db, dir.resolve("node-1")), node(db, dir.resolve("node-2")));
      try {
        for (int i = 0; i < JOBS / 2; i++) {
          handles.add(
              client.dispatch(
                  new QuotaJob(run, "a", null), DispatchOptions.builder().tenant("a").build()));
        }
        for (JobHandle<String> h : handles) {
          h.result().get(60, TimeUnit.SECONDS);
        }
      } finally {
        nodes.forEach(JobManager::close);
      }
      assertEquals(JOBS, QuotaJournal.done(run, "a"));
      int most = QuotaJournal.most(run, "a");
      assertTrue(most <= QUOTA, "tenant a had " + most + " running at once, quota " + QUOTA);
      assertTrue(most >= 2, "8 workers and a backlog: a ran more than one at once, ran " + most);
    }
  }
}
