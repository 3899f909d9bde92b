package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.ClaimRequest;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LISTEN/NOTIFY: what the store sends, received on another connection. */
class PostgresNotificationsTest {
  static final long T0 = 1_700_000_000_000L;

  final SettableClock clock = new SettableClock(T0);
  final JobIds ids = new JobIds(clock);
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  SharedSqlJobStore store;
  PgNotifications listener;

  @BeforeEach
  void open() {
    store =
        (SharedSqlJobStore)
            Stores.postgres(
                EmbeddedPostgresSupport.freshDatabase(),
                EmbeddedPostgresSupport.user(),
                EmbeddedPostgresSupport.password(),
                PostgresOptions.defaults(),
                clock);
    listener =
        store.listen(
            List.of(PgNotifications.JOBS_CHANNEL, PgNotifications.CONTROL_CHANNEL),
            (channel, payload) -> received.add(channel + ":" + payload));
  }

  @AfterEach
  void close() {
    listener.close();
    store.close();
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private String next() throws InterruptedException {
    return received.poll(5, TimeUnit.SECONDS);
  }

  /** Nothing more arrives: a marker sent now is the next thing received. */
  private void assertNothingElse() throws InterruptedException {
    store.insert(NewJob.of(ids.next(), "m", new byte[] {1}, T0).withQueue("marker"), T0);
    assertEquals("jobkit_jobs:marker", next());
  }

  private NewJob job(String queue) {
    return NewJob.of(ids.next(), "j", new byte[] {1}, T0).withQueue(queue);
  }

  @Test
  void insertsNotifyOncePerQueuePerTransaction() throws Exception {
    store.insert(job("default"), T0);
    assertEquals("jobkit_jobs:default", next());

    store.insertAll(List.of(job("a"), job("b"), job("a"), job("a")), T0);
    assertEquals(List.of("jobkit_jobs:a", "jobkit_jobs:b"), List.of(next(), next()));
    assertNothingElse();
  }

  @Test
  void manyDispatchesInARowShareNotifications() throws Exception {
    // Each notification is a commit the server flushes: dispatches one after another must not
    // each send one (PgWakeups waits GAP_MILLIS between sends, gathering the queues).
    int n = 200;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      store.insert(job("burst"), T0);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    store.insert(NewJob.of(ids.next(), "m", new byte[] {1}, T0).withQueue("marker"), T0);
    int bursts = 0;
    String m;
    while (!"jobkit_jobs:marker".equals(m = next())) {
      assertEquals("jobkit_jobs:burst", m);
      bursts++;
    }
    // One send at the start of each gap while the loop ran, and one after it, at most.
    long most = millis / PgWakeups.GAP_MILLIS + 2;
    assertTrue(
        bursts >= 1 && bursts <= most,
        bursts + " notifications for " + n + " dispatches in " + millis + " ms, at most " + most);
  }

  @Test
  void aRolledBackInsertNotifiesNothing() throws Exception {
    NewJob a = job("rolled-back");
    store.insert(a, T0);
    assertEquals("jobkit_jobs:rolled-back", next());
    assertThrows(StorageException.class, () -> store.insertAll(List.of(job("x"), a), T0));
    // An insert that only finds its idempotency key stored creates nothing and notifies nothing.
    NewJob keyed = job("keyed").withIdempotencyKey("k");
    store.insert(keyed, T0);
    assertEquals("jobkit_jobs:keyed", next());
    store.insert(job("keyed").withIdempotencyKey("k"), T0);
    assertNothingElse();
  }

  @Test
  void cancelAndPauseOfARunningJobNotifyItsId() throws Exception {
    NewJob running = job("default");
    NewJob waiting = job("default");
    store.insertAll(List.of(running, waiting), T0);
    assertEquals("jobkit_jobs:default", next());
    store.claim(new ClaimRequest("w", List.of("default"), 1, T0, T0 + 30_000));

    store.requestPause(running.id(), T0);
    assertEquals("jobkit_control:" + running.id(), next());
    store.requestCancel(running.id(), T0);
    assertEquals("jobkit_control:" + running.id(), next());
    store.requestCancel(running.id(), T0); // already requested: nothing new
    store.requestCancel(waiting.id(), T0); // not running: cancelled at once, no worker to tell
    assertNothingElse();
  }

  @Test
  void closedListenerStopsReceiving() throws Exception {
    listener.close();
    store.insert(job("default"), T0);
    assertNull(received.poll(700, TimeUnit.MILLISECONDS));
  }
}
