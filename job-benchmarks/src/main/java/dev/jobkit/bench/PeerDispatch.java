package dev.jobkit.bench;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * The peers' one-by-one dispatch on a PostgreSQL server, next to the bare one-row commit that
 * {@code jobkit bench} compares jobkit's single dispatch with (issue #10): db-scheduler's {@code
 * SchedulerClient.scheduleIfNotExists} into its documented table and indexes, and JobRunr's {@code
 * JobScheduler.enqueue} into the tables its storage provider creates, each job committed on its
 * own. Each round creates fresh tables and runs a bare commit series before and after the peers
 * (the same row and statement as {@code jobkit bench}'s {@code raw_single_per_s}); the ratio is
 * over the mean of the two. Prints each round and the medians. Run it next to {@code jobkit bench}
 * on the same server:
 *
 * <pre>
 * java -cp job-benchmarks/target/benchmarks.jar dev.jobkit.bench.PeerDispatch \
 *     'jdbc:postgresql://localhost:5432/postgres?user=postgres' 5000 3
 * </pre>
 *
 * <p>It writes the tables {@code jobkit_peer_raw}, {@code scheduled_tasks} and JobRunr's {@code
 * jobrunr_*} into the database's default schema: use a scratch database.
 */
public final class PeerDispatch {

  private PeerDispatch() {}

  /** The job JobRunr enqueues: does nothing. */
  public static final class Noop {
    private Noop() {}

    /**
     * Does nothing with {@code i}.
     *
     * @param i the job's number
     */
    public static void run(int i) {
      // a no-op job
    }
  }

  /**
   * Runs the comparison.
   *
   * @param args JDBC URL, jobs per measurement (default 5,000), rounds (default 3)
   * @throws Exception when the database fails
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<Double> dbScheduler = new ArrayList<>();
    List<Double> jobRunr = new ArrayList<>();
    try (Connection raw = DriverManager.getConnection(url)) {
      createDbSchedulerTable(raw);
      DataSource pool = pool(url, 4);
      OneTimeTask<byte[]> task =
          Tasks.oneTime("bench-noop", byte[].class).execute((instance, context) -> {});
      SchedulerClient client = SchedulerClient.Builder.create(pool, task).build();
      JobScheduler scheduler =
          JobRunr.configure()
              .useStorageProvider(new PostgresStorageProvider(pool))
              .initialize()
              .getJobScheduler();
      byte[] data = new byte[16];
      for (int round = 0; round < rounds; round++) {
        try (Statement s = raw.createStatement()) {
          s.execute("DROP TABLE IF EXISTS jobkit_peer_raw");
          s.execute(
              "CREATE TABLE jobkit_peer_raw (id bigserial PRIMARY KEY, name text NOT NULL,"
                  + " queue text NOT NULL, params bytea, created bigint NOT NULL)");
          s.execute("TRUNCATE scheduled_tasks");
          s.execute("TRUNCATE jobrunr_jobs");
          s.execute("CHECKPOINT");
        }
        double bareBefore = bareCommits(raw, n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          client.scheduleIfNotExists(task.instance("job-" + i, data), Instant.now());
        }
        double dbs = n / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          int k = i;
          scheduler.enqueue(() -> Noop.run(k));
        }
        double jr = n / ((System.nanoTime() - t0) / 1e9);
        double bare = (bareBefore + bareCommits(raw, n)) / 2;
        dbScheduler.add(dbs / bare);
        jobRunr.add(jr / bare);
        System.out.printf(
            Locale.ROOT,
            "round %d: bare commits %.0f/s, db-scheduler %.0f/s (%.2f x bare), JobRunr %.0f/s"
                + " (%.2f x bare)%n",
            round + 1,
            bare,
            dbs,
            dbs / bare,
            jr,
            jr / bare);
      }
      JobRunr.destroy();
    }
    System.out.printf(
        Locale.ROOT,
        "median: db-scheduler %.2f x a bare commit, JobRunr %.2f x%n",
        CodecRatios.median(dbScheduler),
        CodecRatios.median(jobRunr));
  }

  private static void createDbSchedulerTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      // db-scheduler's PostgreSQL table and indexes, as its documentation gives them.
      s.execute(
          "CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name text NOT NULL,"
              + " task_instance text NOT NULL, task_data bytea,"
              + " execution_time timestamp with time zone NOT NULL, picked boolean NOT NULL,"
              + " picked_by text, last_success timestamp with time zone,"
              + " last_failure timestamp with time zone, consecutive_failures int,"
              + " last_heartbeat timestamp with time zone, version bigint NOT NULL,"
              + " priority smallint, PRIMARY KEY (task_name, task_instance))");
      s.execute(
          "CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute(
          "CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX IF NOT EXISTS priority_execution_time_idx"
              + " ON scheduled_tasks (priority DESC, execution_time ASC)");
    }
  }

  /** {@code n} rows, one per commit, as {@code jobkit bench}'s raw single rate; rows per second. */
  private static double bareCommits(Connection c, int n) throws SQLException {
    byte[] params = new byte[16];
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO jobkit_peer_raw (name, queue, params, created) VALUES (?, ?, ?, ?)")) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ps.setString(1, "bench.noop");
        ps.setString(2, "bench");
        ps.setBytes(3, params);
        ps.setLong(4, i);
        ps.executeUpdate();
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * A fixed pool of {@code size} connections: closing a connection returns it. The peers take a
   * connection per call, as they do from an application's pool; opening one per call would measure
   * the connection set-up instead.
   */
  private static DataSource pool(String url, int size) throws SQLException {
    BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
    for (int i = 0; i < size; i++) {
      idle.add(DriverManager.getConnection(url));
    }
    ClassLoader loader = PeerDispatch.class.getClassLoader();
    return (DataSource)
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {DataSource.class},
            (proxy, method, margs) -> {
              if (!method.getName().equals("getConnection")) {
                throw new UnsupportedOperationException(method.getName());
              }
              Connection c = idle.take();
              c.setAutoCommit(true);
              return Proxy.newProxyInstance(
                  loader,
                  new Class<?>[] {Connection.class},
                  (p, m, a) -> {
                    switch (m.getName()) {
                      case "close":
                        idle.add(c);
                        return null;
                      case "isClosed":
                        return false;
                      default:
                        try {
                          return m.invoke(c, a);
                        } catch (InvocationTargetException e) {
                          throw e.getCause();
                        }
                    }
                  });
            });
  }
}
