package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.CapturedLog;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A PostgreSQL outage (every connection of the database killed, new ones refused) under a running
 * worker: a handful of log lines, none with a stack trace, SQL or a value from a job; one INFO when
 * the database is back, and jobs complete again.
 */
@Timeout(120)
class PostgresOutageTest {
  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void anOutageLogsAFewLinesWithoutSqlAndOneInfoWhenTheDatabaseIsBack() throws Exception {
    String url = EmbeddedPostgresSupport.freshDatabase();
    String name = url.replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1");
    try (JobManager m =
            JobManager.builder()
                .postgres(url, EmbeddedPostgresSupport.user(), EmbeddedPostgresSupport.password())
                .workers("default", 2)
                .pollInterval(Duration.ofMillis(50))
                .leaseDuration(Duration.ofSeconds(2))
                .open();
        CapturedLog log = CapturedLog.start()) {
      assertEquals(
          "hello s3cret-value",
          m.dispatch(new GreetJob("s3cret-value")).result().get(30, TimeUnit.SECONDS));

      try (Connection admin = EmbeddedPostgresSupport.admin();
          Statement s = admin.createStatement()) {
        s.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        s.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + name
                + "'");
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        pollUntil("four seconds of outage", () -> System.nanoTime() > until);
        List<String> lines = log.lines();
        String all = String.join("\n", lines);
        assertTrue(lines.size() <= 3, "a handful of lines, not a flood:\n" + all);
        assertTrue(log.linesWith("WARN").size() >= 1, "the outage is reported:\n" + all);
        for (String forbidden :
            List.of("\tat ", "select ", "SELECT ", "update ", "UPDATE ", "insert ", "s3cret")) {
          assertTrue(log.linesWith(forbidden).isEmpty(), "no '" + forbidden + "' in:\n" + all);
        }
        s.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
      }
      assertEquals(
          "hello again", m.dispatch(new GreetJob("again")).result().get(30, TimeUnit.SECONDS));
      pollUntil(
          "the INFO that storage works again",
          () -> log.linesWith("Storage works again").size() == 1);
      System.out.println("[outage] log lines during and after a 4 s outage:\n" + log.lines());
    }
  }

  private static void pollUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
