package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApplicationTransactions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Transactional dispatch (#13): with {@link ApplicationTransactions}, a dispatch inside the
 * application's transaction commits or rolls back with it, and other nodes are woken only after the
 * commit.
 */
class TransactionalDispatchPostgresTest {
  @TempDir Path dir;

  /** The application's transaction of the test thread, as a container would keep it. */
  private static final class Transactions implements ApplicationTransactions {
    final ThreadLocal<Connection> open = new ThreadLocal<>();
    final List<Runnable> afterCommit = new ArrayList<>();

    @Override
    public Connection current(DataSource dataSource) {
      return open.get();
    }

    @Override
    public void afterCommit(Runnable action) {
      afterCommit.add(action);
    }
  }

  private final Transactions tx = new Transactions();
  private final List<JobManager> open = new CopyOnWriteArrayList<>();
  private PGSimpleDataSource dataSource;

  @BeforeEach
  void database() {
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(EmbeddedPostgresSupport.freshDatabase());
    dataSource.setUser(EmbeddedPostgresSupport.user());
    dataSource.setPassword(EmbeddedPostgresSupport.password());
  }

  @AfterEach
  void close() {
    open.forEach(JobManager::close);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  /** The application's manager: it dispatches, and runs no workers. */
  private JobManager dispatcher() {
    JobManager m =
        JobManager.builder()
            .postgres(dataSource, tx)
            .dataDirectory(dir.resolve("data"))
            .noWorkers()
            .open();
    open.add(m);
    return m;
  }

  /**
   * Another node, whose claim loop looks for jobs only once a minute: it runs a job at once only
   * when a notification wakes it.
   */
  private JobManager workerNode() {
    JobManager m =
        JobManager.builder()
            .postgres(dataSource)
            .dataDirectory(dir.resolve("data"))
            .workers("default", 1)
            .pollInterval(Duration.ofMinutes(1))
            .open();
    open.add(m);
    return m;
  }

  private Connection begin() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(false);
    tx.open.set(c);
    return c;
  }

  private void end(Connection c) throws SQLException {
    tx.open.remove();
    c.close();
  }

  @Test
  void aDispatchInsideARolledBackTransactionLeavesNoJob() throws SQLException {
    JobManager jobs = dispatcher();
    Connection c = begin();
    JobHandle<String> h;
    try {
      h = jobs.dispatch(new GreetJob("ada"));
      try (Statement s = c.createStatement()) {
        // The application's transaction sees the job it dispatched ...
        assertTrue(s.executeQuery("SELECT 1 FROM jobkit_jobs WHERE id = '" + h.id() + "'").next());
      }
      // ... nobody else does yet.
      assertFalse(jobs.job(h.id()).isPresent());
      c.rollback();
    } finally {
      end(c);
    }
    assertFalse(jobs.job(h.id()).isPresent());
  }

  @Test
  void aDispatchInsideACommittedTransactionRunsAndWakesOtherNodesOnlyAfterTheCommit()
      throws SQLException {
    JobManager jobs = dispatcher();
    JobManager worker = workerNode();
    Connection c = begin();
    JobHandle<String> h;
    try {
      h = jobs.dispatch(new GreetJob("ada"));
      // Both wake-ups wait for the commit: the store's pg_notify to other nodes, and the engine's
      // own (in-process wake-up and DISPATCHED event). The job is not visible yet.
      assertEquals(2, tx.afterCommit.size());
      assertFalse(jobs.job(h.id()).isPresent());
      c.commit();
    } finally {
      end(c);
    }
    assertEquals(JobState.QUEUED, jobs.job(h.id()).orElseThrow().state());
    tx.afterCommit.forEach(Runnable::run); // what the container does after its commit
    // Well within the worker's poll interval of a minute: a notification woke it.
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> worker.job(h.id()).map(JobInfo::state).orElseThrow() == JobState.COMPLETED);
  }

  @Test
  void withoutATransactionTheDispatchCommitsOnItsOwn() {
    JobManager jobs = dispatcher();
    JobHandle<String> h = jobs.dispatch(new GreetJob("ada"));
    assertEquals(JobState.QUEUED, jobs.job(h.id()).orElseThrow().state());
    assertTrue(tx.afterCommit.isEmpty());
  }

  @Test
  void aBatchAndAGraphJoinTheTransactionToo() throws SQLException {
    JobManager jobs = dispatcher();
    Connection c = begin();
    List<String> ids = new ArrayList<>();
    try {
      jobs.dispatchAll(List.of(new GreetJob("a"), new GreetJob("b"))).forEach(h -> ids.add(h.id()));
      var graph = jobs.graph();
      var parent = graph.add(new GreetJob("parent"));
      graph.add(new GreetJob("child"), parent);
      graph.dispatch().forEach(h -> ids.add(h.id()));
      c.rollback();
    } finally {
      end(c);
    }
    assertEquals(4, ids.size());
    ids.forEach(id -> assertFalse(jobs.job(id).isPresent(), id));
  }
}
