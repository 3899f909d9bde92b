package dev.jobkit.runtime.bench;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runtime benchmark on PostgreSQL (a main, not a test). Starts its own embedded PostgreSQL server
 * (zonky, the binaries the tests use) with durable settings by default, or uses the server at
 * {@code JOBKIT_PG_URL} ({@code JOBKIT_PG_USER}, {@code JOBKIT_PG_PASSWORD}); prints the server's
 * settings, and every figure next to raw PostgreSQL rates measured in the same run. Every
 * measurement is repeated {@code bench.reps} times and the median is reported. What one process
 * measures on one database (dispatch one by one and batched next to raw inserts, a drain,
 * dispatch-to-start latency with the wake-up in-process) is {@code jobkit bench} (job-cli); this
 * main measures what needs several processes and the server's CPU.
 *
 * <ul>
 *   <li>(a) drain: {@code bench.drain} no-op jobs queued with {@code dispatchAll} (1,000 per call)
 *       by a client-only manager; then 1, 2, 3 worker nodes start, each a child JVM ({@link
 *       PostgresBenchNode}) with one {@code JobManager} of {@code bench.workers} workers, warmed up
 *       beforehand on jobs of its own in another database. Timed from the moment the nodes are told
 *       to open their managers to the last {@code finished_at} in the database.
 *   <li>(b) cross-node dispatch-to-start latency: a client-only manager ({@code noWorkers()})
 *       dispatches one job at a time; a node with one worker and a 10 s poll interval (so only the
 *       LISTEN/NOTIFY wake-up can start the job quickly) runs it. Measured twice: both managers in
 *       this JVM ({@code System.nanoTime()}, the wake-up still crosses the database), and the node
 *       in a child JVM (wall-clock microseconds, one machine, one clock).
 * </ul>
 *
 * <pre>
 * mvn -B -o -q -pl job-api,job-processor,job-runtime test-compile dependency:build-classpath \
 *   -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp job-runtime/target/test-classes:job-runtime/target/classes:$(cat /tmp/cp.txt) \
 *   dev.jobkit.runtime.bench.PostgresBenchmark
 *   [-Dbench.pg=durable|fast -Dbench.reps=3 -Dbench.drain=100000 -Dbench.nodes=1,2,3
 *    -Dbench.workers=8 -Dbench.warmup=10000 -Dbench.latency=1000 -Dbench.latencyPauseMs=5
 *    -Dbench.rawQueue=10000
 *    -Dbench.rawQueueBatched=100000 -Dbench.only=raw,drain,latency
 *    -Dbench.nodeJvmArgs="-XX:StartFlightRecording=filename=/tmp/node{node}.jfr"]
 * </pre>
 */
public final class PostgresBenchmark {
  private static final int REPS = Integer.getInteger("bench.reps", 3);
  private static final String MODE = System.getProperty("bench.pg", "durable");
  private static final int DRAIN = Integer.getInteger("bench.drain", 100_000);
  private static final String NODES = System.getProperty("bench.nodes", "1,2,3");
  private static final int WORKERS = Integer.getInteger("bench.workers", 8);
  private static final int WARMUP = Integer.getInteger("bench.warmup", 10_000);
  private static final int LATENCY = Integer.getInteger("bench.latency", 1_000);
  private static final int LATENCY_PAUSE_MS = Integer.getInteger("bench.latencyPauseMs", 5);
  private static final int RAW_QUEUE = Integer.getInteger("bench.rawQueue", 10_000);
  private static final int RAW_QUEUE_BATCHED = Integer.getInteger("bench.rawQueueBatched", 100_000);
  private static final int RAW_QUEUE_THREADS = 8;
  private static final int RAW_BATCH = 256;
  private static final int RAW_BATCH_THREADS = 2;
  private static final String ONLY = System.getProperty("bench.only", "raw,drain,latency");
  private static final String NODE_JVM_ARGS = System.getProperty("bench.nodeJvmArgs", "");
  private static final long CLK_TCK = 100; // getconf CLK_TCK on Linux

  /** Loads pg_stat_statements and prints each drain's top statements (a profiling aid). */
  private static final boolean PG_STATS = Boolean.getBoolean("bench.pgStats");

  /**
   * Logs the plans (with row counts and buffers) of drain statements slower than this many ms to
   * the server log in its data directory (auto_explain); 0 for none. A profiling aid.
   */
  private static final int AUTO_EXPLAIN_MS = Integer.getInteger("bench.autoExplainMs", 0);

  private final BenchResults results = new BenchResults(44);
  private final Server server;
  private final Path tmp;
  private final List<String> databases = new ArrayList<>();
  private int counter;
  private String warmDb;

  /** The server: its maintenance database URL and login, and the embedded instance if ours. */
  private record Server(
      String adminUrl, String user, String password, EmbeddedPostgres pg, Path dataDir) {
    String url(String db) {
      int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
      int q = adminUrl.indexOf('?', slash);
      return adminUrl.substring(0, slash + 1) + db + (q < 0 ? "" : adminUrl.substring(q));
    }

    Connection connect(String db) throws SQLException {
      Properties p = new Properties();
      if (user != null) {
        p.setProperty("user", user);
      }
      if (password != null) {
        p.setProperty("password", password);
      }
      return DriverManager.getConnection(db == null ? adminUrl : url(db), p);
    }
  }

  private PostgresBenchmark(Server server, Path tmp) {
    this.server = server;
    this.tmp = tmp;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path tmp = Files.createTempDirectory("jobkit-pgbench");
    Server server = startServer(tmp);
    System.out.printf(
        "jobkit PostgreSQL benchmark %s, java %s, %d cpus, reps=%d, drain=%d,"
            + " nodes=%s x %d workers, warmup=%d, latency=%d (pause %d ms),"
            + " rawQueue=%d, rawQueueBatched=%d%n",
        Instant.now(),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        REPS,
        DRAIN,
        NODES,
        WORKERS,
        WARMUP,
        LATENCY,
        LATENCY_PAUSE_MS,
        RAW_QUEUE,
        RAW_QUEUE_BATCHED);
    System.out.println("load average at start: " + BenchResults.loadAverage());
    PostgresBenchmark b = new PostgresBenchmark(server, tmp);
    try {
      b.printSettings();
      b.run();
    } finally {
      b.dropDatabases();
      if (server.pg() != null) {
        server.pg().close();
      }
      BenchResults.deleteTree(tmp);
    }
    System.out.println("load average at end: " + BenchResults.loadAverage());
    System.exit(0);
  }

  private static Server startServer(Path tmp) throws IOException {
    String url = System.getenv("JOBKIT_PG_URL");
    if (url != null && !url.isBlank()) {
      System.out.println(
          "server: external, " + url + " (bench.pg ignored: its own settings apply)");
      return new Server(
          url, System.getenv("JOBKIT_PG_USER"), System.getenv("JOBKIT_PG_PASSWORD"), null, null);
    }
    boolean durable =
        switch (MODE) {
          case "durable" -> true;
          case "fast" -> false;
          default -> throw new IllegalArgumentException("bench.pg is durable or fast, not " + MODE);
        };
    String on = durable ? "on" : "off";
    // In java.io.tmpdir, which here is on the ext4 root disk, not tmpfs: an fsync is a real one.
    Path dataDir = tmp.resolve("pgdata");
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(true)
            .setServerConfig("fsync", on)
            .setServerConfig("synchronous_commit", on)
            .setServerConfig("full_page_writes", on)
            .setServerConfig("max_connections", "200")
            .setServerConfig("shared_preload_libraries", PG_STATS ? "pg_stat_statements" : "")
            .setServerConfig("logging_collector", AUTO_EXPLAIN_MS > 0 ? "on" : "off")
            .start();
    System.out.println(
        "server: embedded PostgreSQL (zonky), " + MODE + " settings, data in " + dataDir);
    return new Server(
        "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", null, pg, dataDir);
  }

  private void printSettings() throws SQLException {
    try (Connection c = server.connect(null);
        Statement s = c.createStatement()) {
      StringBuilder sb = new StringBuilder("server settings:");
      for (String name :
          List.of(
              "server_version",
              "fsync",
              "synchronous_commit",
              "full_page_writes",
              "wal_sync_method",
              "commit_delay",
              "wal_level",
              "shared_buffers",
              "max_wal_size",
              "checkpoint_timeout",
              "max_connections",
              "autovacuum")) {
        try (ResultSet r = s.executeQuery("SHOW " + name)) {
          r.next();
          sb.append(' ').append(name).append('=').append(r.getString(1));
        }
      }
      System.out.println(sb);
    }
  }

  private boolean on(String what) {
    return Arrays.asList(ONLY.split(",")).contains(what);
  }

  private void run() throws Exception {
    int[] nodeCounts = Arrays.stream(NODES.split(",")).mapToInt(Integer::parseInt).toArray();
    if (on("drain")) {
      warmDb = createDatabase("warm");
    }
    for (int rep = 1; rep <= REPS; rep++) {
      System.out.printf("--- rep %d (load %s)%n", rep, BenchResults.loadAverage());
      if (on("raw")) {
        String db = createDatabase("raw");
        results.record(
            "raw SKIP LOCKED 1/txn 8 conns jobs/s", rawQueue(db, RAW_QUEUE, RAW_QUEUE_THREADS, 1));
        results.record(
            "raw SKIP LOCKED 256/txn 2 conns jobs/s",
            rawQueue(db, RAW_QUEUE_BATCHED, RAW_BATCH_THREADS, RAW_BATCH));
        dropDatabase(db);
      }
      if (on("drain")) {
        for (int n : nodeCounts) {
          drain(n, DRAIN);
        }
      }
      if (on("latency")) {
        double[] l = latencyInProcess(LATENCY);
        results.record("(b) same JVM: dispatch-to-start p50 ms", l[0]);
        results.record("(b) same JVM: dispatch-to-start p99 ms", l[1]);
        results.record("(b) same JVM: dispatch() return p50 ms", l[2]);
        double[] x = latencyCrossJvm(LATENCY);
        results.record("(b) two JVMs: dispatch-to-start p50 ms", x[0]);
        results.record("(b) two JVMs: dispatch-to-start p99 ms", x[1]);
        results.record("(b) two JVMs: dispatch() return p50 ms", x[2]);
      }
    }
    summary();
  }

  private void summary() {
    System.out.println();
    System.out.println(
        "=== " + MODE + ": medians of " + REPS + " reps (load " + BenchResults.loadAverage() + ")");
    double rawQueue = results.median("raw SKIP LOCKED 256/txn 2 conns jobs/s");
    double rawQueue1 = results.median("raw SKIP LOCKED 1/txn 8 conns jobs/s");
    for (String k : results.keys()) {
      double m = results.median(k);
      String ratio = "";
      if (k.startsWith("(a) drain") && k.endsWith("jobs/s")) {
        ratio =
            String.format(
                "  = %.2f x raw SKIP LOCKED 256/txn, %.2f x raw 1/txn",
                m / rawQueue, m / rawQueue1);
      }
      results.printSummaryLine(k, ratio);
    }
    System.out.println("goals: (a) one node >= 10,000 jobs/s; (b) cross-node wake-up p50 <= 10 ms");
  }

  // ---------------------------------------------------------------- databases

  private String createDatabase(String what) throws SQLException {
    String name = "bench_" + what + "_" + (counter++) + "_" + ProcessHandle.current().pid();
    try (Connection c = server.connect(null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    databases.add(name);
    return name;
  }

  private void dropDatabase(String name) throws SQLException {
    try (Connection c = server.connect(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
    databases.remove(name);
  }

  private void dropDatabases() {
    for (String name : List.copyOf(databases)) {
      try {
        dropDatabase(name);
      } catch (SQLException e) {
        System.out.println("could not drop " + name + ": " + e.getMessage());
      }
    }
  }

  /** Flushes dirty pages now, so that no checkpoint of an earlier phase runs in a measurement. */
  private void checkpoint() throws SQLException {
    try (Connection c = server.connect(null);
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    }
  }

  private JobManager.Builder builder(String db) {
    return JobManager.builder()
        .postgres(server.url(db), server.user(), server.password())
        .dataDirectory(tmp.resolve("data"));
  }

  // ---------------------------------------------------------------- raw PostgreSQL baseline

  /**
   * A bare job queue: {@code n} queued rows in a table with one partial claim index; {@code
   * threads} connections each loop "claim up to {@code batch} due rows FOR NO KEY UPDATE SKIP
   * LOCKED and mark them RUNNING" (one commit), then "mark them DONE" (one commit), until none is
   * left. No events, no leases to renew, no Java between the statements: the ceiling of the pattern
   * jobkit uses.
   */
  private double rawQueue(String db, int n, int threads, int batch) throws Exception {
    String t = "q" + (counter++);
    try (Connection c = server.connect(db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + t
              + " (id bigint PRIMARY KEY, queue text NOT NULL,"
              + " status text NOT NULL, run_at bigint NOT NULL, params bytea, owner text,"
              + " finished_at bigint)");
      s.execute(
          "CREATE INDEX "
              + t
              + "_claim ON "
              + t
              + " (queue, run_at, id)"
              + " WHERE status = 'QUEUED'");
      s.execute(
          "INSERT INTO "
              + t
              + " SELECT g, 'bench', 'QUEUED', g, '\\x00000000000000000000',"
              + " NULL, NULL FROM generate_series(1, "
              + n
              + ") g");
      s.execute("ANALYZE " + t);
    }
    checkpoint();
    String claim =
        "UPDATE "
            + t
            + " SET status = 'RUNNING', owner = ? WHERE id IN (SELECT id"
            + " FROM "
            + t
            + " WHERE status = 'QUEUED' AND queue = 'bench' AND run_at <= ?"
            + " ORDER BY run_at, id LIMIT ? FOR NO KEY UPDATE SKIP LOCKED) RETURNING id";
    String complete = "UPDATE " + t + " SET status = 'DONE', finished_at = ? WHERE id = ANY (?)";
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String owner = "raw-" + i;
      Thread th =
          new Thread(
              () -> {
                try (Connection c = server.connect(db);
                    PreparedStatement cl = c.prepareStatement(claim);
                    PreparedStatement co = c.prepareStatement(complete)) {
                  start.await();
                  while (true) {
                    cl.setString(1, owner);
                    cl.setLong(2, Long.MAX_VALUE);
                    cl.setInt(3, batch);
                    List<Long> ids = new ArrayList<>(batch);
                    try (ResultSet r = cl.executeQuery()) {
                      while (r.next()) {
                        ids.add(r.getLong(1));
                      }
                    }
                    if (ids.isEmpty()) {
                      return;
                    }
                    Array arr = c.createArrayOf("int8", ids.toArray());
                    co.setLong(1, System.currentTimeMillis());
                    co.setArray(2, arr);
                    co.executeUpdate();
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                }
              },
              "raw-queue-" + i);
      th.start();
      ts.add(th);
    }
    Thread.sleep(200); // let every thread connect and prepare
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }
    double s = BenchResults.seconds(t0);
    if (failure.get() != null) {
      throw failure.get();
    }
    try (Connection c = server.connect(db);
        Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT count(*) FROM " + t + " WHERE status = 'DONE'")) {
      r.next();
      if (r.getLong(1) != n) {
        throw new IllegalStateException("raw queue: " + r.getLong(1) + " of " + n + " done");
      }
    }
    return n / s;
  }

  // ---------------------------------------------------------------- (a) drain

  private void drain(int nodes, int n) throws Exception {
    String db = createDatabase("drain" + nodes);
    String url = server.url(db);
    long tq = System.nanoTime();
    try (JobManager m = builder(db).noWorkers().open()) {
      tq = System.nanoTime();
      for (int i = 0; i < n; i += 1000) {
        List<BenchStampJob> batch = new ArrayList<>(1000);
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          batch.add(new BenchStampJob(j));
        }
        m.dispatchAll(batch, DispatchOptions.defaults());
      }
      results.record("(prep) dispatchAll 1000/call jobs/s", n / BenchResults.seconds(tq));
    }
    List<Node> ns = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        ns.add(
            Node.start(
                i,
                nodes,
                List.of(
                    "mode=drain",
                    "url=" + url,
                    "user=" + server.user(),
                    "workers=" + WORKERS,
                    "pollMs=500",
                    "warmUrl=" + server.url(warmDb),
                    "warmSchema=w" + (counter++),
                    "warmJobs=" + WARMUP),
                server.password()));
      }
      for (Node node : ns) {
        node.await("READY", Duration.ofMinutes(5));
      }
      try (Connection c = server.connect(db);
          Statement s = c.createStatement()) {
        s.execute("ANALYZE jobkit_jobs");
        if (AUTO_EXPLAIN_MS > 0) { // for the nodes' sessions, which connect after this
          for (String set :
              List.of(
                  "session_preload_libraries = 'auto_explain'",
                  "auto_explain.log_min_duration = " + AUTO_EXPLAIN_MS,
                  "auto_explain.log_analyze = on",
                  "auto_explain.log_buffers = on",
                  "auto_explain.log_timing = off",
                  "auto_explain.log_nested_statements = on")) {
            s.execute("ALTER DATABASE " + db + " SET " + set);
          }
        }
        if (PG_STATS) {
          s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
          s.execute("SELECT pg_stat_statements_reset()");
        }
      }
      checkpoint();
      Map<Integer, Long> pg0 = postgresCpuTicks();
      long[] machine0 = machineTicks();
      long[] node0 = new long[nodes];
      for (int i = 0; i < nodes; i++) {
        node0[i] = ns.get(i).cpuTicks();
      }
      long t0Wall = System.currentTimeMillis();
      for (Node node : ns) {
        node.send("GO");
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      try (Connection c = server.connect(db);
          PreparedStatement left =
              c.prepareStatement(
                  "SELECT EXISTS (SELECT 1 FROM jobkit_jobs"
                      + " WHERE status IN ('QUEUED', 'SCHEDULED', 'WAITING_RETRY') AND queue = 'bench')"
                      + " OR EXISTS (SELECT 1 FROM jobkit_jobs WHERE status = 'RUNNING')")) {
        while (true) {
          try (ResultSet r = left.executeQuery()) {
            r.next();
            if (!r.getBoolean(1)) {
              break;
            }
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("drain did not finish in 10 minutes");
          }
          // Rarely: once every job was claimed, this scans the claim index's dead entries (some
          // ms of server CPU). The end time is the last finished_at, not when this notices.
          Thread.sleep(1000);
        }
      }
      // CPU until the last completion was seen (within the 1 s poll), before the nodes stop.
      long nodeTicks = 0;
      for (int i = 0; i < nodes; i++) {
        nodeTicks += ns.get(i).cpuTicks() - node0[i];
      }
      long pgTicks = delta(pg0, postgresCpuTicks());
      long[] machine1 = machineTicks();
      double busy = 1 - (double) (machine1[1] - machine0[1]) / (machine1[0] - machine0[0]);
      StringBuilder opened = new StringBuilder();
      for (Node node : ns) {
        opened
            .append(opened.length() == 0 ? "" : ", ")
            .append(node.await("OPENED", Duration.ofSeconds(10)).substring(7))
            .append(" ms");
      }
      try (Connection c = server.connect(db);
          Statement s = c.createStatement()) {
        long completed;
        long first;
        long lastStart;
        long last;
        long reruns;
        try (ResultSet r =
            s.executeQuery(
                "SELECT count(*) FILTER (WHERE status = 'COMPLETED'),"
                    + " min(started_at), max(started_at), max(finished_at),"
                    + " count(*) FILTER (WHERE attempts <> 1) FROM jobkit_jobs")) {
          r.next();
          completed = r.getLong(1);
          first = r.getLong(2);
          lastStart = r.getLong(3);
          last = r.getLong(4);
          reruns = r.getLong(5);
        }
        List<String> perNode = new ArrayList<>();
        try (ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM jobkit_job_events"
                    + " WHERE to_status = 'RUNNING' GROUP BY detail ORDER BY 1 DESC")) {
          while (r.next()) {
            perNode.add(String.valueOf(r.getLong(1)));
          }
        }
        if (completed != n) {
          throw new IllegalStateException("drain: " + completed + " of " + n + " completed");
        }
        // A job claimed more than once ran more than once (at least once is the contract, but on
        // a drain without failures every extra attempt is wasted work): reported, not hidden.
        long recovered;
        try (ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM jobkit_job_events" + " WHERE type = 'RECOVERED'")) {
          r.next();
          recovered = r.getLong(1);
        }
        double secs = (last - t0Wall) / 1000.0;
        System.out.printf(
            "    drain %d jobs, %d node(s) x %d workers: managers opened in %s;"
                + " first job started after %d ms, last after %d ms, last completed after %.2f s;"
                + " claims (incl. repeats) per node %s; jobs run more than once %d (RECOVERED"
                + " events %d); CPU per job: nodes %.1f us, PostgreSQL %.1f us;"
                + " machine busy %.0f %%%n",
            n,
            nodes,
            WORKERS,
            opened,
            first - t0Wall,
            lastStart - t0Wall,
            secs,
            perNode,
            reruns,
            recovered,
            nodeTicks * 1e6 / CLK_TCK / n,
            pgTicks * 1e6 / CLK_TCK / n,
            busy * 100);
        results.record("(a) drain " + nodes + " node(s) jobs run twice+", reruns);
        results.record("(a) drain " + nodes + " node(s) jobs/s", n / secs);
        if (PG_STATS) {
          printTopStatements(s);
        }
        results.record(
            "(a) drain " + nodes + " node(s) node CPU us/job", nodeTicks * 1e6 / CLK_TCK / n);
        results.record(
            "(a) drain " + nodes + " node(s) PG CPU us/job", pgTicks * 1e6 / CLK_TCK / n);
      }
    } finally {
      for (Node node : ns) {
        node.close();
      }
      dropDatabase(db);
    }
  }

  /** The statements of this database that took the most server time since the reset. */
  private static void printTopStatements(Statement s) throws SQLException {
    try (ResultSet r =
        s.executeQuery(
            "SELECT calls, rows, round(total_exec_time::numeric, 1),"
                + " round(mean_exec_time::numeric, 3), wal_fpi, round(wal_bytes / 1048576.0, 1),"
                + " left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
                + " WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 10")) {
      System.out.println(
          "    top statements: calls, rows, total ms, mean ms, WAL full pages,"
              + " WAL MiB, query");
      while (r.next()) {
        System.out.printf(
            "      %7d %8d %10s %8s %7d %7s  %s%n",
            r.getLong(1),
            r.getLong(2),
            r.getString(3),
            r.getString(4),
            r.getLong(5),
            r.getString(6),
            r.getString(7));
      }
    }
  }

  // ---------------------------------------------------------------- (b) latency

  /**
   * Both managers in this JVM: A (client-only) dispatches, B (one worker, 10 s poll) runs. B only
   * hears of the job through PostgreSQL's NOTIFY on its LISTEN connection: A's in-process wake-up
   * reaches only A's own (absent) workers. {p50, p99, dispatch-return p50} in ms.
   */
  private double[] latencyInProcess(int n) throws Exception {
    String db = createDatabase("lat");
    Semaphore started = new Semaphore(0);
    BenchStampJob.onStart = (i, micros) -> started.release();
    JobManager b = builder(db).workers("bench", 1).pollInterval(Duration.ofSeconds(10)).open();
    try (JobManager a = builder(db).noWorkers().open()) {
      long[] lat = new long[n];
      long[] ret = new long[n];
      for (int round = 0; round < 2; round++) {
        int count = round == 0 ? 200 : n; // warm-up, not recorded
        for (int i = 0; i < count; i++) {
          Thread.sleep(LATENCY_PAUSE_MS); // let B go idle: its claim loop waits on the 10 s poll
          started.drainPermits();
          long t0 = System.nanoTime();
          a.dispatch(new BenchStampJob(i));
          long r = System.nanoTime() - t0;
          if (!started.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("job " + i + " did not start within 30 s");
          }
          if (round == 1) {
            ret[i] = r;
            lat[i] = BenchStampJob.lastStartNanos - t0;
          }
        }
      }
      System.out.printf(
          "    same JVM: dispatch-to-start p50 %.2f p90 %.2f p99 %.2f max %.2f ms%n",
          BenchResults.pct(lat, 50),
          BenchResults.pct(lat, 90),
          BenchResults.pct(lat, 99),
          BenchResults.pct(lat, 100));
      return new double[] {
        BenchResults.pct(lat, 50), BenchResults.pct(lat, 99), BenchResults.pct(ret, 50)
      };
    } finally {
      b.close();
      BenchStampJob.onStart = null;
      dropDatabase(db);
    }
  }

  /**
   * A in this JVM, B a child JVM with one worker and a 10 s poll interval; the job prints its
   * wall-clock start, compared with A's wall clock before {@code dispatch}. {p50, p99, return p50}.
   */
  private double[] latencyCrossJvm(int n) throws Exception {
    String db = createDatabase("latx");
    try (JobManager a = builder(db).noWorkers().open();
        Node b =
            Node.start(
                0,
                1,
                List.of(
                    "mode=latency",
                    "url=" + server.url(db),
                    "user=" + server.user(),
                    "workers=1",
                    "pollMs=10000"),
                server.password())) {
      b.await("READY", Duration.ofMinutes(2));
      long[] lat = new long[n];
      long[] ret = new long[n];
      for (int round = 0; round < 2; round++) {
        int count = round == 0 ? 200 : n;
        for (int i = 0; i < count; i++) {
          Thread.sleep(LATENCY_PAUSE_MS);
          long t0Micros = BenchStampJob.wallMicros();
          long t0 = System.nanoTime();
          a.dispatch(new BenchStampJob(i));
          long r = System.nanoTime() - t0;
          String[] line = b.await("RAN ", Duration.ofSeconds(30)).split(" ");
          if (Integer.parseInt(line[1]) != i) {
            throw new IllegalStateException("expected job " + i + " to start, got " + line[1]);
          }
          if (round == 1) {
            ret[i] = r;
            lat[i] = (Long.parseLong(line[2]) - t0Micros) * 1_000;
          }
        }
      }
      System.out.printf(
          "    two JVMs: dispatch-to-start p50 %.2f p90 %.2f p99 %.2f max %.2f ms%n",
          BenchResults.pct(lat, 50),
          BenchResults.pct(lat, 90),
          BenchResults.pct(lat, 99),
          BenchResults.pct(lat, 100));
      return new double[] {
        BenchResults.pct(lat, 50), BenchResults.pct(lat, 99), BenchResults.pct(ret, 50)
      };
    } finally {
      dropDatabase(db);
    }
  }

  // ---------------------------------------------------------------- child JVMs

  /** A {@link PostgresBenchNode} child JVM and its line protocol. */
  private static final class Node implements AutoCloseable {
    private final int index;
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Node(int index, Process process) {
      this.index = index;
      this.process = process;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // The child exited.
                }
                lines.add("EOF");
              },
              "node-" + index + "-out");
      reader.setDaemon(true);
      reader.start();
    }

    static Node start(int index, int of, List<String> args, String password) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx1g");
      for (String a : NODE_JVM_ARGS.trim().split("\\s+")) {
        if (!a.isEmpty()) {
          cmd.add(a.replace("{node}", of + "-" + index + "-" + System.nanoTime()));
        }
      }
      cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      cmd.add("-Dorg.jooq.no-logo=true");
      cmd.add("-Dorg.jooq.no-tips=true");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(PostgresBenchNode.class.getName());
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
      if (password != null) {
        pb.environment().put("JOBKIT_PG_PASSWORD", password);
      }
      return new Node(index, pb.start());
    }

    /** The next line starting with {@code prefix}; other lines are printed. */
    String await(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IllegalStateException(
              "node " + index + ": no " + prefix + " within " + timeout);
        }
        if (line.startsWith(prefix)) {
          return line;
        }
        if (line.equals("EOF")) {
          throw new IllegalStateException("node " + index + " exited waiting for " + prefix);
        }
        System.out.println("    [node " + index + "] " + line);
      }
    }

    void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
    }

    /** User + system CPU of the whole child process so far, in clock ticks. */
    long cpuTicks() throws IOException {
      return procCpuTicks(process.pid());
    }

    /** Asks the node to stop (it closes its manager) and waits; kills it after 60 s. */
    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      try {
        send("STOP");
      } catch (IOException e) {
        // It is exiting anyway.
      }
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          System.out.println("    [node " + index + "] did not stop within 60 s; destroying it");
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- CPU accounting (Linux)

  /** utime + stime of one process (all its threads), in clock ticks; 0 if it is gone. */
  private static long procCpuTicks(long pid) throws IOException {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    }
  }

  /** CPU ticks of the embedded server's postmaster and its children, by pid; empty if external. */
  private Map<Integer, Long> postgresCpuTicks() throws IOException {
    Map<Integer, Long> out = new HashMap<>();
    if (server.dataDir() == null) {
      return out;
    }
    int postmaster =
        Integer.parseInt(
            Files.readAllLines(server.dataDir().resolve("postmaster.pid")).get(0).trim());
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String s = Files.readString(p.resolve("stat"));
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          int pid = Integer.parseInt(name);
          if (pid == postmaster || Integer.parseInt(f[1]) == postmaster) {
            out.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
          }
        } catch (IOException | RuntimeException e) {
          // The process ended meanwhile.
        }
      }
    }
    return out;
  }

  /** CPU used between two snapshots: new processes count from zero, ended ones are lost. */
  private static long delta(Map<Integer, Long> before, Map<Integer, Long> after) {
    long d = 0;
    for (Map.Entry<Integer, Long> e : after.entrySet()) {
      d += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return d;
  }

  /** {total, idle + iowait} ticks of the whole machine (every process, ours or not). */
  private static long[] machineTicks() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    String[] f = cpu.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
  }

  // ---------------------------------------------------------------- helpers
}
