package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The combining of concurrent single inserts, with the database replaced by recording fakes. */
class InsertCombinerTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final List<String> alone = new CopyOnWriteArrayList<>();
  private final List<List<String>> together = new CopyOnWriteArrayList<>();
  private final List<Long> batchNows = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static NewJob job(String id) {
    return NewJob.of(id, "t", new byte[0], 0);
  }

  @Test
  void aLoneCallerInsertsAloneEveryTime() {
    InsertCombiner c =
        new InsertCombiner(
            (j, now) -> {
              alone.add(j.id());
              return new InsertResult(j.id(), true);
            },
            (jobs, now) -> {
              throw new AssertionError("no batch expected");
            });
    for (int i = 0; i < 5; i++) {
      assertEquals("j" + i, c.insert(job("j" + i), i).id());
    }
    assertEquals(List.of("j0", "j1", "j2", "j3", "j4"), alone);
  }

  @Test
  void callersArrivingDuringAnInsertShareOneTransactionAndEachGetsItsOwnResult() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InsertCombiner c =
        new InsertCombiner(
            (j, now) -> {
              alone.add(j.id());
              firstStarted.countDown();
              await(release);
              return new InsertResult(j.id(), true);
            },
            (jobs, now) -> {
              List<String> ids = new ArrayList<>();
              List<InsertResult> out = new ArrayList<>();
              for (NewJob j : jobs) {
                ids.add(j.id());
                out.add(new InsertResult("stored-" + j.id(), !j.id().equals("k3")));
              }
              together.add(ids);
              batchNows.add(now);
              return out;
            });
    Future<InsertResult> first = pool.submit(() -> c.insert(job("first"), 100));
    assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
    List<Future<InsertResult>> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "k" + i;
      long now = 200 + i;
      others.add(pool.submit(() -> c.insert(job(id), now)));
    }
    // All five wait behind the first insert before it is let go.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> c.queued() == 5);
    release.countDown();
    assertEquals("first", first.get(10, TimeUnit.SECONDS).id());
    for (int i = 0; i < 5; i++) {
      InsertResult r = others.get(i).get(10, TimeUnit.SECONDS);
      assertEquals("stored-k" + i, r.id());
      assertEquals(i != 3, r.created());
    }
    assertEquals(List.of("first"), alone);
    assertEquals(1, together.size(), "one shared transaction: " + together);
    assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), together.get(0).stream().sorted().toList());
    assertEquals(List.of(204L), batchNows, "the latest now of the callers");
  }

  @Test
  void aFailedSharedTransactionInsertsEachAloneSoEachCallerSeesItsOwnOutcome() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException bad = new IllegalStateException("k1 is bad");
    InsertCombiner c =
        new InsertCombiner(
            (j, now) -> {
              alone.add(j.id());
              if (j.id().equals("first")) {
                firstStarted.countDown();
                await(release);
              }
              if (j.id().equals("k1")) {
                throw bad;
              }
              return new InsertResult(j.id(), true);
            },
            (jobs, now) -> {
              together.add(jobs.stream().map(NewJob::id).toList());
              throw new IllegalStateException("the batch failed");
            });
    Future<InsertResult> first = pool.submit(() -> c.insert(job("first"), 1));
    assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
    Future<InsertResult> k0 = pool.submit(() -> c.insert(job("k0"), 1));
    Future<InsertResult> k1 = pool.submit(() -> c.insert(job("k1"), 1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> c.queued() == 2);
    release.countDown();
    assertEquals("first", first.get(10, TimeUnit.SECONDS).id());
    assertEquals("k0", k0.get(10, TimeUnit.SECONDS).id());
    Exception e = assertThrows(Exception.class, () -> k1.get(10, TimeUnit.SECONDS));
    assertSame(bad, e.getCause());
    assertEquals(1, together.size());
    assertTrue(alone.containsAll(List.of("first", "k0", "k1")), alone.toString());
  }

  private static void await(CountDownLatch l) {
    try {
      if (!l.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
