package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.QuotaExceededException;
import dev.jobkit.runtime.TenantSpec;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Max queued holds across nodes (#14 tenants): two managers on one PostgreSQL database, many
 * threads dispatching into one tenant at once; exactly the quota is stored, the rest rejected.
 */
class TenantQuotaRacePostgresTest {
  private static final int QUOTA = 50;
  private static final int THREADS = 12;
  private static final int PER_THREAD = 15;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void exactlyMaxQueuedJobsAreStoredWhenTwoNodesRace() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    try (JobManager a = db.builder().noWorkers().postgresPoolSize(6).open();
        JobManager b = db.builder().noWorkers().postgresPoolSize(6).open()) {
      a.tenants().put(TenantSpec.builder("race").maxQueued(QUOTA).build(), null);
      b.tenants().get("race").orElseThrow(); // b reads the settings: its cache has the quota
      DispatchOptions options = DispatchOptions.builder().queue("parked").tenant("race").build();
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger rejected = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          JobManager m = t % 2 == 0 ? a : b;
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                      try {
                        m.dispatch(new GreetJob(thread + "-" + i), options);
                        accepted.incrementAndGet();
                      } catch (QuotaExceededException e) {
                        rejected.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(QUOTA, accepted.get());
      assertEquals(THREADS * PER_THREAD - QUOTA, rejected.get());
      assertEquals(
          QUOTA, a.list(JobQuery.builder().tenant("race").limit(1000).build()).jobs().size());
      assertTrue(a.tenants().get("race").orElseThrow().queued() == QUOTA);
    }
  }
}
