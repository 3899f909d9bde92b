package dev.jobkit.runtime.multinode;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobHandler;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.ChildJvm;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency and rate limits hold across three worker processes on one PostgreSQL database (#12
 * limits): {@link NodeMain} children drain a mix of {@link LimitedJob}s (two running per host),
 * {@link RatedJob}s (20 starts per second, burst 5) and unlimited {@link ShortJob}s. The jobs
 * journal their starts and ends in one O_APPEND file whose line order is a global order; from it,
 * the running count per key never exceeds 2. The rate is checked on the claim times the database
 * recorded (a claimed job may wait in its node's buffer before it starts): no window of one second
 * holds more than 20 + 5 claims.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresLimitsMultiNodeTest {
  private static final int HOSTS = 4;
  private static final int LIMITED = 240;
  private static final int RATED = 60;
  private static final int SHORT = 600;

  @TempDir Path dir;

  @AfterAll
  static void drop() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void threeNodes_neverMoreRunningPerKeyThanItsLimit_neverMoreStartsPerSecondThanRatePlusBurst()
      throws Exception {
    String url = EmbeddedPostgresSupport.freshDatabase();
    String user = EmbeddedPostgresSupport.user();
    String password = EmbeddedPostgresSupport.password();
    Path journal = dir.resolve("runs.journal");
    List<ChildJvm> nodes = new ArrayList<>();
    try (JobManager client = JobManager.builder().postgres(url, user, password).noWorkers().open();
        Connection db = connect(url, user, password)) {
      List<JobHandler<?>> jobs = new ArrayList<>();
      int seq = 0;
      for (int i = 0; i < LIMITED; i++) {
        jobs.add(new LimitedJob(seq++, journal.toString(), "h" + (i % HOSTS), 5 + i % 20));
      }
      for (int i = 0; i < RATED; i++) {
        jobs.add(new RatedJob(seq++, journal.toString()));
      }
      for (int i = 0; i < SHORT; i++) {
        jobs.add(new ShortJob(seq++, journal.toString(), 1));
      }
      Collections.shuffle(jobs, new java.util.Random(12));
      client.dispatchAll(jobs, DispatchOptions.defaults());
      int total = jobs.size();

      Path data = Files.createDirectories(dir.resolve("data"));
      for (String name : List.of("n1", "n2", "n3")) {
        nodes.add(
            ChildJvm.start(
                dir,
                name,
                NodeMain.class,
                List.of("-Dmultinode.node=" + name),
                url,
                user == null ? "-" : user,
                password == null ? "-" : password,
                "5000",
                "50",
                data.toString()));
      }
      for (ChildJvm n : nodes) {
        n.awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> count(db, "status = 'COMPLETED'") == total);
      for (ChildJvm n : nodes) {
        assertEquals(0, n.stopGracefully(Duration.ofSeconds(30)), n.diagnostics());
      }

      // Concurrency, from the journal's global order.
      Map<String, Integer> running = new TreeMap<>();
      Map<String, Integer> most = new TreeMap<>();
      Set<String> limitedNodes = new HashSet<>();
      for (String line : Files.readAllLines(journal)) {
        String[] f = line.split(" ");
        if (f.length < 9 || !f[8].startsWith("host=")) {
          continue;
        }
        limitedNodes.add(f[2]);
        int now = running.merge(f[8], f[0].equals("S") ? 1 : -1, Integer::sum);
        most.merge(f[8], now, Math::max);
        assertTrue(now <= 2, f[8] + " had " + now + " running at once, at journal line: " + line);
      }
      assertEquals(HOSTS, most.size(), "every host's jobs ran: " + most);
      assertTrue(
          most.values().stream().anyMatch(m -> m == 2),
          "some host ran two at once (else the test shows nothing): " + most);
      assertTrue(limitedNodes.size() >= 2, "limited jobs ran on several nodes: " + limitedNodes);

      // Rate, from the claim times.
      List<Long> claims = claimTimes(db, "multinode.rated");
      assertEquals(RATED, claims.size(), "each rated job claimed once");
      int worst = 0;
      for (int i = 0, j = 0; i < claims.size(); i++) {
        while (claims.get(i) - claims.get(j) > 1000) {
          j++;
        }
        worst = Math.max(worst, i - j + 1);
      }
      assertTrue(worst <= 25, "claims in one second: " + worst + " > 20 + burst 5");
      long span = claims.get(claims.size() - 1) - claims.get(0);
      // 60 starts at 20/s with a burst of 5: the last is at least (60 - 5) / 20 s after the first.
      assertTrue(span >= 2_700, "60 rated jobs claimed within " + span + " ms");
    } finally {
      for (ChildJvm n : nodes) {
        n.close();
      }
    }
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url, p);
  }

  private static long count(Connection db, String where) throws SQLException {
    try (PreparedStatement ps =
            db.prepareStatement("SELECT count(*) FROM jobkit_jobs WHERE " + where);
        ResultSet r = ps.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static List<Long> claimTimes(Connection db, String name) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT e.at FROM jobkit_job_events e JOIN jobkit_jobs j ON j.id = e.job_id"
                + " WHERE j.name = ? AND e.to_status = 'RUNNING' ORDER BY e.at")) {
      ps.setString(1, name);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(r.getLong(1));
        }
      }
    }
    return out;
  }
}
