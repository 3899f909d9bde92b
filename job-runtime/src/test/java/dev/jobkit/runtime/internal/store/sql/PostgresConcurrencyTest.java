package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.Completion;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claimers and writers on separate connections and stores, as on several nodes. */
class PostgresConcurrencyTest {
  static final long T0 = 1_700_000_000_000L;
  static final long LEASE = 30_000;

  final SettableClock clock = new SettableClock(T0);
  final JobIds ids = new JobIds(clock);
  final List<SharedJobStore> stores = new ArrayList<>();
  String url;

  @BeforeEach
  void freshDatabase() {
    url = EmbeddedPostgresSupport.freshDatabase();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(SharedJobStore::close);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private SharedJobStore open() {
    SharedJobStore s =
        Stores.postgres(
            url,
            EmbeddedPostgresSupport.user(),
            EmbeddedPostgresSupport.password(),
            PostgresOptions.defaults().withPoolSize(2),
            clock);
    stores.add(s);
    return s;
  }

  private List<NewJob> jobs(int n) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(NewJob.of(ids.next(), "j", new byte[] {1}, T0));
    }
    return jobs;
  }

  @Test
  void fourNodesClaimingAtOnceNeverShareAJob() throws Exception {
    int total = 2_000;
    int nodes = 4;
    SharedJobStore first = open();
    first.insertAll(jobs(total), T0);
    List<SharedJobStore> claimers = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      claimers.add(open());
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<List<String>>> fs = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        SharedJobStore s = claimers.get(i);
        String owner = "node-" + i;
        fs.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> mine = new ArrayList<>();
                  while (true) {
                    List<ClaimedJob> got =
                        s.claim(new ClaimRequest(owner, List.of("default"), 10, T0, T0 + LEASE));
                    if (got.isEmpty()) {
                      return mine;
                    }
                    got.forEach(c -> mine.add(c.id()));
                  }
                }));
      }
      start.countDown();
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : fs) {
        List<String> mine = f.get();
        assertTrue(!mine.isEmpty(), "every node claimed something");
        all.addAll(mine);
      }
      assertEquals(total, all.size());
      assertEquals(total, new HashSet<>(all).size());
    } finally {
      pool.shutdown();
    }
    // One claim event per job, each naming the node that holds it.
    String some = first.list(JobFilter.all(), null, 1).items().get(0).id();
    List<JobEvent> events = first.events(some);
    assertEquals(2, events.size());
    assertEquals(first.get(some).orElseThrow().leaseOwner(), events.get(1).detail());
    assertEquals(
        total,
        first.countByNameAndStatus().stream()
            .filter(c -> c.status() == JobStatus.RUNNING)
            .mapToLong(c -> c.count())
            .sum());
  }

  /**
   * Sixteen threads dispatching one job at a time through one store share transactions ({@link
   * InsertCombiner}); every job is stored once, tagged, and a key given by many threads at once
   * yields one job, created for exactly one of them.
   */
  @Test
  void concurrentSingleInsertsShareTransactionsAndKeepEachKeyOnce() throws Exception {
    SharedJobStore s = open();
    int threads = 16;
    int perThread = 100;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<InsertResult>>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        fs.add(
            pool.submit(
                () -> {
                  start.await();
                  List<InsertResult> mine = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    // Every tenth job of every thread names one of ten keys shared by all.
                    String key = i % 10 == 0 ? "key-" + (i / 10) : null;
                    NewJob j =
                        new NewJob(
                            ids.next(),
                            "j",
                            new byte[] {1},
                            Priority.NORMAL,
                            "default",
                            3,
                            T0,
                            List.of("t" + thread),
                            key,
                            0,
                            0,
                            null);
                    mine.add(s.insert(j, T0));
                  }
                  return mine;
                }));
      }
      start.countDown();
      Map<String, Set<String>> idsOfKey = new HashMap<>();
      Map<String, Integer> createdOfKey = new HashMap<>();
      int created = 0;
      Set<String> createdBy3 = new HashSet<>();
      for (int t = 0; t < threads; t++) {
        List<InsertResult> mine = fs.get(t).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < perThread; i++) {
          InsertResult r = mine.get(i);
          if (t == 3 && r.created()) {
            createdBy3.add(r.id());
          }
          assertTrue(s.get(r.id()).isPresent(), "stored: " + r.id());
          if (i % 10 == 0) {
            String key = "key-" + (i / 10);
            idsOfKey.computeIfAbsent(key, k -> new HashSet<>()).add(r.id());
            createdOfKey.merge(key, r.created() ? 1 : 0, Integer::sum);
          }
          created += r.created() ? 1 : 0;
        }
      }
      assertEquals(10, idsOfKey.size());
      idsOfKey.forEach((k, v) -> assertEquals(1, v.size(), k + " yields one job: " + v));
      createdOfKey.forEach((k, n) -> assertEquals(1, n, k + " created once"));
      int expected = threads * perThread - threads * 10 + 10;
      assertEquals(expected, created);
      assertEquals(
          expected,
          s.countByNameAndStatus().stream().mapToLong(c -> c.count()).sum(),
          "rows stored");
      // Thread 3's jobs carry its tag: those it created, keyed or not.
      Set<String> listed = new HashSet<>();
      s.list(JobFilter.all().withTag("t3"), null, 1000).items().forEach(j -> listed.add(j.id()));
      assertEquals(createdBy3, listed);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * A heartbeat renewing all of an owner's leases while its workers complete batches in another
   * order must not deadlock: both lock the rows in id order.
   */
  @Test
  void renewingWhileCompletingDoesNotDeadlock() throws Exception {
    SharedJobStore s = open();
    s.insertAll(jobs(1_000), T0);
    List<ClaimedJob> claimed =
        s.claim(new ClaimRequest("node", List.of("default"), 1_000, T0, T0 + LEASE));
    assertEquals(1_000, claimed.size());
    List<ClaimedJob> reversed = new ArrayList<>(claimed);
    Collections.reverse(reversed);

    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> heartbeat =
          pool.submit(
              () -> {
                int renewals = 0;
                while (!done.get()) {
                  s.renewLeases("node", T0 + 2 * LEASE, T0);
                  renewals++;
                }
                return renewals;
              });
      Future<Set<String>> completer =
          pool.submit(
              () -> {
                Set<String> won = new HashSet<>();
                for (int i = 0; i < reversed.size(); i += 25) {
                  won.addAll(
                      s.completeAll(
                          reversed.subList(i, i + 25).stream()
                              .map(c -> new Completion(c.id(), c.epoch(), "{}"))
                              .collect(Collectors.toList()),
                          T0));
                }
                done.set(true);
                return won;
              });
      assertEquals(1_000, completer.get().size());
      assertTrue(heartbeat.get() > 0);
    } finally {
      done.set(true);
      pool.shutdown();
    }
    assertTrue(s.renewLeases("node", T0 + LEASE, T0).isEmpty());
  }

  @Test
  void databaseTimeIsTheServersClock() {
    SharedJobStore s = open();
    long before = System.currentTimeMillis();
    long db = s.databaseTimeMillis();
    long after = System.currentTimeMillis();
    // Same machine here, so the same clock give or take a little.
    assertTrue(
        db >= before - 1_000 && db <= after + 1_000,
        db + " not in [" + before + ", " + after + "]");
  }
}
