package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobFailedException;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.internal.store.DatabaseClock;
import dev.jobkit.runtime.internal.store.NodeRow;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.internal.store.sql.PostgresOptions;
import dev.jobkit.runtime.internal.store.sql.Stores;
import dev.jobkit.runtime.internal.worker.OwnerId;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the PostgreSQL engine does, on the real (embedded) server: worker nodes register in
 * {@code jobkit_nodes} and heartbeat there, wake each other and pass cancel and pause requests
 * through LISTEN/NOTIFY, requeue the jobs of a node whose heartbeat stopped, and share the
 * database's clock. The tables are read and planted with plain JDBC, as an operator (or another
 * host) would see them.
 *
 * <p>Promptness is measured with poll intervals and leases of minutes, so that neither polling nor
 * the heartbeat could have delivered what arrived within a couple of seconds.
 */
class PostgresClusterTest {
  /** What "promptly" means: far below the minute-long poll intervals and leases used here. */
  private static final Duration PROMPT = Duration.ofSeconds(2);

  private static final Duration LONG = Duration.ofMinutes(1);

  @TempDir Path dir;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  @BeforeEach
  void createDatabase() {
    db = TestDatabase.Backend.POSTGRES.create(dir);
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private JobManager open(JobManager.Builder b) {
    JobManager m = b.dataDirectory(dir.resolve("jobkit-data")).open();
    open.add(m);
    return m;
  }

  /** A manager with workers on "default" that neither polls nor heartbeats within a test. */
  private JobManager quietWorker() {
    return open(
        db.builder().workers("default", 2).pollInterval(LONG).leaseDuration(LONG.multipliedBy(5)));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  // ---------------------------------------------------------------- node registry

  @Test
  void aWorkerNodeRegistersOnOpenAndDeletesItsRowOnClose() throws Exception {
    open(db.builder().noWorkers());
    assertEquals(List.of(), nodes(), "a client-only manager is not a node");

    long before = dbNow();
    JobManager worker =
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("reports", 2)
            .workers("default", 1)
            .leaseDuration(Duration.ofSeconds(7))
            .open();
    try {
      List<NodeRow> nodes = nodes();
      assertEquals(1, nodes.size(), nodes.toString());
      NodeRow node = nodes.get(0);
      assertEquals(worker.health().ownerId(), node.id());
      assertEquals(OwnerId.host(), node.host());
      assertEquals("default,reports", node.queues());
      assertEquals(7_000, node.leaseMs());
      long after = dbNow();
      assertTrue(
          node.startedAt() >= before - 1_000 && node.startedAt() <= after + 1_000,
          node + " registered between " + before + " and " + after);
      assertTrue(node.heartbeatAt() >= node.startedAt(), node.toString());
    } finally {
      worker.close();
    }
    assertEquals(List.of(), nodes(), "a node that stops deletes its row");
  }

  @Test
  void aNodeDeclaredDeadRegistersAgainOnItsNextHeartbeat() throws Exception {
    // Heartbeat every 100 ms (the poll interval; a third of the lease would be 1 s).
    JobManager worker =
        open(
            db.builder()
                .workers("default", 1)
                .pollInterval(Duration.ofMillis(100))
                .leaseDuration(Duration.ofSeconds(3)));
    String id = worker.health().ownerId();
    NodeRow first = nodes().get(0);

    // What a survivor does to a node it found stale: delete its row.
    assertEquals(1, execute("DELETE FROM jobkit_nodes WHERE id = ?", id));
    within(PROMPT, "node " + id + " registered again", () -> !nodes().isEmpty());
    NodeRow again = nodes().get(0);
    assertEquals(id, again.id());
    assertTrue(again.startedAt() > first.startedAt(), again + " after " + first);
    assertEquals(3_000, again.leaseMs());
    within(
        PROMPT,
        "heartbeats after registering again",
        () -> nodes().get(0).heartbeatAt() > again.heartbeatAt());
    // And it still works.
    assertEquals(
        "hello again", worker.dispatch(new GreetJob("again")).result().get(10, TimeUnit.SECONDS));
  }

  // ---------------------------------------------------------------- LISTEN/NOTIFY

  @Test
  void aDispatchByAClientWakesAnIdleWorkerOnAnotherNodeAtOnce() throws Exception {
    JobManager worker = quietWorker();
    JobManager client = open(db.builder().noWorkers());
    // Let the worker's claim loop find nothing and go to sleep for its one-minute poll interval
    // (a job of its own wakes it in-process; once it is done the loop claims again, finds nothing
    // and sleeps). Only a notification can wake it now.
    assertEquals(
        "hello self", worker.dispatch(new GreetJob("self")).result().get(10, TimeUnit.SECONDS));
    Thread.sleep(300);

    String gate = unique("pg-wake");
    Gates.open(gate); // the job ends as soon as it started
    long t0 = System.nanoTime();
    JobHandle<String> h = client.dispatch(new BlockJob(gate));
    assertTrue(
        Gates.latch(gate + ".started").await(PROMPT.toMillis(), TimeUnit.MILLISECONDS),
        "the worker did not start a job dispatched by another node within "
            + PROMPT
            + " (poll interval "
            + LONG
            + ")");
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assertEquals(gate + " done", h.result().get(10, TimeUnit.SECONDS));
    assertEquals(1, worker.job(h.id()).orElseThrow().attempts());
    assertTrue(ms < PROMPT.toMillis(), "started after " + ms + " ms");
  }

  @Test
  void cancelAndPauseByAClientReachAJobRunningOnAWorkerNodeAtOnce() throws Exception {
    // Poll interval 1 min and lease 5 min: the worker's first heartbeat, which would also read the
    // flags, is a minute away. Only the notification can stop the jobs within seconds.
    JobManager worker = quietWorker();
    JobManager client = open(db.builder().noWorkers());

    String cancelGate = unique("pg-cancel");
    JobHandle<String> cancelled = worker.dispatch(new BlockJob(cancelGate));
    Gates.await(cancelGate + ".started");
    assertTrue(client.cancel(cancelled.id()));
    JobFailedException e = failureWithin(PROMPT, cancelled.result());
    assertEquals(JobState.CANCELLED, e.state());
    assertEquals(JobState.CANCELLED, client.job(cancelled.id()).orElseThrow().state());

    String pauseGate = unique("pg-pause");
    JobHandle<String> paused = worker.dispatch(new CountingJob(4, 2, pauseGate));
    Gates.await(pauseGate + ".reached");
    assertTrue(client.pause(paused.id()));
    within(
        PROMPT,
        paused.id() + " paused",
        () -> client.job(paused.id()).orElseThrow().state() == JobState.PAUSED);
    assertEquals(List.of("0", "1"), Gates.list(pauseGate + ".items"));

    // The resume notifies too: the idle worker takes the job up again from its checkpoint.
    Gates.open(pauseGate);
    assertTrue(client.resume(paused.id()));
    assertEquals(
        "sum=6 start=2 resumed=true",
        paused.result().get(PROMPT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(List.of("0", "1", "2", "3"), Gates.list(pauseGate + ".items"));
  }

  // ---------------------------------------------------------------- dead nodes

  @Test
  void aSurvivorRequeuesAndResumesTheJobsOfANodeWhoseHeartbeatStopped() throws Exception {
    JobManager client = open(db.builder().noWorkers());
    // The survivor starts first, with a long lease of its own: its sweep of expired leases runs at
    // start and then only every 30 s, so within this test only its dead-node check (every
    // heartbeat, 100 ms) can requeue the jobs planted below.
    JobManager survivor =
        open(
            db.builder()
                .workers("default", 1)
                .leaseDuration(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)));
    // Two nodes on another host (so OwnerId cannot judge them: only their heartbeats can).
    String deadNode = "otherhost:1:1:abcd";
    String liveNode = "otherhost:2:2:beef";
    String gate = unique("dead-node");
    // Dispatched for later, so that the running survivor leaves them for us to plant as claimed.
    DispatchOptions later = DispatchOptions.builder().delay(Duration.ofHours(1)).build();
    JobHandle<String> orphan = client.dispatch(new CountingJob(6, -1, gate), later);
    JobHandle<String> late = client.dispatch(new GreetJob("late"), later);
    JobHandle<String> busy = client.dispatch(new BlockJob(unique("live-node")), later);
    CountingJob checkpoint = new CountingJob(6, -1, gate);
    checkpoint.next = 3; // the dead node's attempt had checkpointed items 0, 1 and 2
    checkpoint.sum = 3;
    byte[] state = JobRegistry.load().toMsgpack(checkpoint);
    long now = dbNow();
    // The claims are planted before the node rows: a survivor heartbeat that found the dead node's
    // row before its late claim would delete the row of a node that holds nothing yet.
    holdRunning(orphan.id(), deadNode, now - 1_000, state);
    holdRunning(late.id(), deadNode, now + 6_000, null);
    holdRunning(busy.id(), liveNode, now + 60_000, null);
    // Dead: its last heartbeat is 10 s old, more than its 3 s lease. Its lease of the orphan ran
    // out with it; the late job it claimed after its last heartbeat still holds a lease for 6 s.
    insertNode(deadNode, now - 60_000, now - 10_000, 3_000);
    // Alive: it heartbeated just now and its lease is a minute (it heartbeats every 20 s). It must
    // be judged by its own lease, not by the survivor's.
    insertNode(liveNode, now - 60_000, now, 60_000);

    long t0 = System.nanoTime();
    Object result = survivor.handle(orphan.id()).orElseThrow().result().get(5, TimeUnit.SECONDS);
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();

    assertEquals("sum=15 start=3 resumed=true", result, "resumed from the dead node's checkpoint");
    assertEquals(List.of("3", "4", "5"), Gates.list(gate + ".items"));
    assertTrue(ms < 5_000, "recovered and run after " + ms + " ms");
    JobInfo info = survivor.job(orphan.id()).orElseThrow();
    assertEquals(JobState.COMPLETED, info.state());
    assertEquals(2, info.attempts(), "the dead node's attempt and the survivor's");
    List<JobEventInfo> recovered =
        survivor.events(orphan.id()).stream()
            .filter(ev -> ev.kind() == JobEventInfo.Kind.RECOVERED)
            .toList();
    assertEquals(1, recovered.size(), recovered.toString());
    assertEquals(
        "owner " + deadNode + " gone",
        recovered.get(0).detail().orElseThrow(),
        "requeued as the job of a dead node, not as an expired lease");
    if (Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5_000) {
      // The late claim's lease has not run out: if the node was only paused and is back, the job
      // may be running there, so it stays, and so does the node's row.
      assertEquals("RUNNING " + deadNode + " 1", jobLease(late.id()));
      assertTrue(nodes().stream().anyMatch(n -> n.id().equals(deadNode)));
    }

    // Once that lease has run out too, the job is requeued and runs here, and the row is deleted.
    assertEquals(
        "hello late", survivor.handle(late.id()).orElseThrow().result().get(15, TimeUnit.SECONDS));
    await("the dead node's row to be deleted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> nodes().stream().noneMatch(n -> n.id().equals(deadNode)));
    assertEquals(
        List.of(liveNode, survivor.health().ownerId()),
        nodes().stream().map(NodeRow::id).sorted().toList());
    // The live node's job and row stay as they were all along.
    assertEquals("RUNNING " + liveNode + " 1", jobLease(busy.id()));
  }

  // ---------------------------------------------------------------- the database's clock

  @Test
  void theDatabaseClockFollowsTheServerClock() throws Exception {
    try (SharedJobStore store =
        Stores.postgres(
            db.location(),
            EmbeddedPostgresSupport.user(),
            EmbeddedPostgresSupport.password(),
            PostgresOptions.defaults().withPoolSize(1),
            Clock.systemUTC())) {
      DatabaseClock clock = DatabaseClock.of(store);
      assertReads(clock, 0);

      // A server whose clock is 90 minutes ahead of this host's: the offset is measured, not
      // assumed, and a resync follows the server when its clock steps back 42 s behind ours.
      AtomicLong skew = new AtomicLong(Duration.ofMinutes(90).toMillis());
      DatabaseClock skewed = DatabaseClock.of(skewedBy(store, skew));
      assertEquals(skew.get(), skewed.offsetMillis() - clock.offsetMillis(), TOLERANCE_MS);
      assertReads(skewed, skew.get());
      skew.set(-42_000);
      assertReads(skewed, 90 * 60_000L); // not measured again yet
      skewed.resync();
      assertEquals(-42_000, skewed.offsetMillis() - clock.offsetMillis(), TOLERANCE_MS);
      assertReads(skewed, -42_000);
    }
  }

  private static final long TOLERANCE_MS = 250;

  /**
   * Asserts that {@code clock} reads what the server's clock plus {@code skew} reads: a reading of
   * the server taken between two readings of the clock lies between them, within tolerance.
   */
  private void assertReads(Clock clock, long skew) throws SQLException {
    for (int i = 0; i < 3; i++) {
      long before = clock.millis();
      long server = dbNow() + skew;
      long after = clock.millis();
      assertTrue(
          server >= before - TOLERANCE_MS && server <= after + TOLERANCE_MS,
          "server "
              + server
              + " (skew "
              + skew
              + ") outside the clock's ["
              + before
              + ", "
              + after
              + "]");
    }
  }

  /** {@code store} as seen on a server whose clock is {@code skew} ms off the real one. */
  private static SharedJobStore skewedBy(SharedJobStore store, AtomicLong skew) {
    return (SharedJobStore)
        Proxy.newProxyInstance(
            SharedJobStore.class.getClassLoader(),
            new Class<?>[] {SharedJobStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("databaseTimeMillis")) {
                return store.databaseTimeMillis() + skew.get();
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  // ---------------------------------------------------------------- helpers

  /** Polls {@code condition} until it holds, failing once {@code limit} has passed. */
  private static void within(Duration limit, String what, Callable<Boolean> condition) {
    await(what).atMost(limit).pollInterval(Duration.ofMillis(10)).until(condition);
  }

  private static JobFailedException failureWithin(Duration limit, CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> f.get(limit.toMillis(), TimeUnit.MILLISECONDS));
    return assertInstanceOf(JobFailedException.class, e.getCause());
  }

  private Connection sql() throws SQLException {
    Properties p = new Properties();
    if (EmbeddedPostgresSupport.user() != null) {
      p.setProperty("user", EmbeddedPostgresSupport.user());
    }
    if (EmbeddedPostgresSupport.password() != null) {
      p.setProperty("password", EmbeddedPostgresSupport.password());
    }
    return DriverManager.getConnection(db.location(), p);
  }

  /** The server's clock, epoch millis. */
  private long dbNow() throws SQLException {
    try (Connection c = sql();
        PreparedStatement ps =
            c.prepareStatement("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint");
        ResultSet r = ps.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private List<NodeRow> nodes() {
    try (Connection c = sql();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, host, queues, started_at, heartbeat_at, lease_ms FROM jobkit_nodes ORDER BY id");
        ResultSet r = ps.executeQuery()) {
      List<NodeRow> out = new ArrayList<>();
      while (r.next()) {
        out.add(
            new NodeRow(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getLong(4),
                r.getLong(5),
                r.getLong(6)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private int execute(String statement, Object... args) throws SQLException {
    try (Connection c = sql();
        PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  private void insertNode(String id, long startedAt, long heartbeatAt, long leaseMs)
      throws SQLException {
    execute(
        "INSERT INTO jobkit_nodes (id, host, queues, started_at, heartbeat_at, lease_ms)"
            + " VALUES (?, 'otherhost', 'default', ?, ?, ?)",
        id,
        startedAt,
        heartbeatAt,
        leaseMs);
  }

  /**
   * Makes a queued job RUNNING under {@code owner}'s lease, as its claim would, with a checkpoint.
   */
  private void holdRunning(String jobId, String owner, long leaseExpiresAt, byte[] state)
      throws SQLException {
    long now = dbNow();
    assertEquals(
        1,
        execute(
            "UPDATE jobkit_jobs SET status = 'RUNNING', lease_owner = ?,"
                + " lease_expires_at = ?, lease_epoch = lease_epoch + 1, attempts = attempts + 1,"
                + " started_at = ?, updated_at = ?, state = ?, state_version = state_version + 1"
                + " WHERE id = ? AND status IN ('QUEUED', 'SCHEDULED')",
            owner,
            leaseExpiresAt,
            now,
            now,
            state,
            jobId));
  }

  /** "status owner epoch" of a job, read straight from its row. */
  private String jobLease(String jobId) throws SQLException {
    try (Connection c = sql();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT status, lease_owner, lease_epoch FROM jobkit_jobs WHERE id = ?")) {
      ps.setString(1, jobId);
      try (ResultSet r = ps.executeQuery()) {
        assertTrue(r.next(), jobId);
        return r.getString(1) + " " + r.getString(2) + " " + r.getLong(3);
      }
    }
  }
}
