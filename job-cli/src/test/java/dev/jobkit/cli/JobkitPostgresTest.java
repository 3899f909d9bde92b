package dev.jobkit.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on PostgreSQL: {@code --db} with a JDBC URL, the login from the URL or from {@code
 * PGUSER}/{@code PGPASSWORD}, {@code --pg-schema}, and one-line errors for bad URLs, an unreachable
 * server and a refused login. (The worker process on PostgreSQL is in {@link WorkerProcessTest}.)
 */
class JobkitPostgresTest {
  private static final String SECRET = "s3cret-pw";

  @TempDir Path dir;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void everyCommandWorksOnAJdbcUrl() throws Exception {
    CliHarness cli = new CliHarness(TestDatabase.postgres());
    String echo = cli.submit("cli.echo", "{\"text\":\"pg\",\"lines\":2}", "--tag", "pg");
    String bad = cli.submit("cli.flaky", "{\"nonRetryable\":true}");
    String later = cli.submit("cli.echo", "{}", "--delay", "1h");
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, echo, JobState.COMPLETED);
      CliHarness.await(jobs, bad, JobState.FAILED);
    }

    String list = cli.run("list").ok().out();
    assertEquals(4, list.lines().count(), list);
    assertTrue(
        list.lines().skip(1).findFirst().orElseThrow().startsWith(later.substring(0, 12)), list);
    assertEquals(2, cli.run("list", "--tag", "pg").ok().out().lines().count());
    assertTrue(
        cli.run("list", "--status", "failed", "--json")
            .ok()
            .out()
            .contains("\"id\" : \"" + bad + "\""));

    String status = cli.run("status", echo.substring(0, 13).toLowerCase()).ok().out();
    assertTrue(status.contains("state     COMPLETED"), status);
    assertTrue(status.contains("output    \"PG\""), status);
    CliHarness.Result unknown = cli.run("status", "7ZZZZZ").expect(ExitCodes.NOT_FOUND);
    assertEquals(
        "jobkit: error: no job with id or id prefix '7ZZZZZ' in " + cli.location,
        unknown.err().strip());

    String logs = cli.run("logs", echo).ok().out();
    assertTrue(
        logs.contains("INFO  [1] line 2") && logs.contains("WARN  [1] careful with pg"), logs);
    assertTrue(
        cli.run("logs", echo, "--json", "--tail", "1")
            .ok()
            .out()
            .contains("\"message\":\"careful with pg\""));

    assertEquals("\"PG\"", cli.run("results", echo).ok().line());
    assertTrue(
        cli.run("results", bad)
            .expect(ExitCodes.JOB_NOT_COMPLETED)
            .err()
            .contains("is FAILED, not COMPLETED"));

    assertEquals("job " + later + " (cli.echo): CANCELLED", cli.run("cancel", later).ok().line());
    assertTrue(
        cli.run("cancel", echo)
            .expect(ExitCodes.JOB_NOT_COMPLETED)
            .err()
            .contains("cannot cancel: it is COMPLETED"));

    String stats = cli.run("stats").ok().out();
    assertTrue(stats.lines().anyMatch(l -> l.matches("all( +\\d+)+ +3")), stats);
    assertTrue(stats.contains("success rate 50.0%"), stats);
    assertTrue(cli.run("stats", "--json").ok().out().contains("\"total\" : 3"));

    String storage = cli.run("storage").ok().out();
    // Then the retention lines: never ran, or (once the test's workers ran a pass) the last pass.
    assertTrue(
        storage.contains("\nfree      reclaimed by PostgreSQL's autovacuum\nretention "), storage);
    assertTrue(storage.startsWith("database  " + cli.location + "\n"), storage);
    assertTrue(storage.contains("\nschema    public (PostgreSQL)\n"), storage);
    assertTrue(
        storage
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "size +\\d+\\.\\d KiB in jobkit's tables "
                            + "and their indexes \\(\\d+ blocks of 8192 bytes\\)")),
        storage);
    String sj = cli.run("storage", "--json").ok().out();
    assertTrue(sj.contains("\"backend\" : \"postgresql\""), sj);
    assertTrue(sj.contains("\"location\" : \"" + cli.location + "\""), sj);
    assertTrue(sj.contains("\"schema\" : \"public\""), sj);
    assertTrue(sj.matches("(?s).*\"sizeBytes\" : [1-9]\\d*,.*"), sj);

    assertEquals(
        "deleted 0 jobs that finished more than 7d ago",
        cli.run("cleanup", "--older-than", "7d").ok().line());
    // The jobs finished moments ago: once more than 1 ms ago, a dry run counts them.
    await("3 finished jobs older than 1 ms")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () ->
                assertEquals(
                    "would delete 3 jobs that finished more than 1ms ago",
                    cli.run("cleanup", "--older-than", "1ms", "--dry-run").ok().line()));
    assertEquals(
        "{\"jobs\":3,\"dryRun\":false}",
        cli.run("cleanup", "--older-than", "1ms", "--json").ok().line());
    assertEquals("no jobs", cli.run("list").ok().line());
  }

  @Test
  void readCommandsDoNotCreateTablesInADatabaseWithoutThem() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    CliHarness cli = new CliHarness(db);
    CliHarness.Result r = cli.run("list").expect(ExitCodes.STORAGE);
    assertTrue(r.err().contains("no jobkit tables in schema public of"), r.err());
    assertTrue(r.err().contains("'submit' and 'worker' create the tables"), r.err());
    try (Connection c =
            java.sql.DriverManager.getConnection(
                db.location(), EmbeddedPostgresSupport.user(), EmbeddedPostgresSupport.password());
        Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'jobkit%'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "list must not create jobkit's tables");
    }
    cli.submit("cli.echo", "{}");
    assertEquals(2, cli.run("list").ok().out().lines().count());
  }

  @Test
  void theSchemaComesFromTheOptionOrTheEnvironment() {
    CliHarness cli = new CliHarness(TestDatabase.postgres());
    String id = cli.submit("cli.echo", "{}", "--pg-schema", "team_a");
    assertTrue(
        cli.run("list")
            .expect(ExitCodes.STORAGE)
            .err()
            .contains("no jobkit tables in schema public"),
        "public is another store, still empty");
    assertTrue(cli.run("--pg-schema", "team_a", "status", id).ok().out().contains(id));

    cli.env.put("JOBKIT_PG_SCHEMA", "team_a");
    assertTrue(cli.run("status", id).ok().out().contains(id));
    assertTrue(cli.run("storage").ok().out().contains("schema    team_a (PostgreSQL)"));
    cli.run("status", id, "--pg-schema", "public").expect(ExitCodes.STORAGE);

    CliHarness.Result badOption = cli.run("--pg-schema", "Team-A", "list").expect(ExitCodes.USAGE);
    assertEquals(
        "jobkit: error: --pg-schema 'Team-A': a schema name is a lower-case identifier "
            + "([a-z_][a-z0-9_]*, at most 63 characters)",
        badOption.err().strip());
    cli.env.put("JOBKIT_PG_SCHEMA", "x;drop");
    assertTrue(
        cli.run("list")
            .expect(ExitCodes.USAGE)
            .err()
            .startsWith("jobkit: error: JOBKIT_PG_SCHEMA 'x;drop': "));

    // A SQLite --db ignores the variable (it may be exported for other commands) but not the
    // option.
    CliHarness sqlite = new CliHarness(dir.resolve("jobs.db"));
    sqlite.env.put("JOBKIT_PG_SCHEMA", "team_a");
    sqlite.submit("cli.echo", "{}");
    assertEquals(2, sqlite.run("list").ok().out().lines().count());
  }

  @Test
  void aPluginOpensThePostgresDatabaseWithTheLoginFromPgUserAndPgPassword() throws Exception {
    assumeTrue(EmbeddedPostgresSupport.isEmbedded(), "needs the embedded server's pg_hba.conf");
    TestDatabase db = TestDatabase.postgres();
    String url = db.location();
    String name = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
    try (Connection c = EmbeddedPostgresSupport.admin();
        Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + name + " OWNER TO " + EmbeddedPostgresSupport.PASSWORD_USER);
    }
    CliHarness cli = new CliHarness(db);
    cli.plugins = List.of(new ContextPlugin());
    cli.env.clear();
    cli.env.put("PGUSER", EmbeddedPostgresSupport.PASSWORD_USER);
    cli.env.put("PGPASSWORD", "wrong-password");
    CliHarness.Result wrong = cli.raw("--db", url, "count-jobs").expect(ExitCodes.STORAGE);
    assertTrue(
        wrong.err().contains("refused the login: password authentication failed for user"),
        wrong.err());
    assertFalse(wrong.err().contains("wrong-password"), wrong.err());

    cli.env.put("PGPASSWORD", EmbeddedPostgresSupport.PASSWORD_USER_PASSWORD);
    CliHarness.Result ok = cli.raw("--db", url, "--pg-schema", "plugin_s", "count-jobs").ok();
    assertEquals(
        List.of("db=" + url + " schema=plugin_s verbose=false", "jobs=0"),
        ok.out().lines().toList());
  }

  @Test
  void theLoginComesFromTheUrlElsePgUserAndPgPassword() throws Exception {
    assumeTrue(EmbeddedPostgresSupport.isEmbedded(), "needs the embedded server's pg_hba.conf");
    TestDatabase db = TestDatabase.postgres();
    String url = db.location();
    String name = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
    try (Connection c = EmbeddedPostgresSupport.admin();
        Statement s = c.createStatement()) {
      // The owner of a database may create tables in its public schema (PostgreSQL 15+).
      s.execute("ALTER DATABASE " + name + " OWNER TO " + EmbeddedPostgresSupport.PASSWORD_USER);
    }
    CliHarness cli = new CliHarness(db);
    cli.env.clear();
    cli.env.put("PGUSER", EmbeddedPostgresSupport.PASSWORD_USER);

    cli.env.put("PGPASSWORD", "wrong-password");
    CliHarness.Result wrong = cli.run("submit", "cli.echo").expect(ExitCodes.STORAGE);
    assertEquals(1, wrong.err().lines().count(), wrong.err());
    assertTrue(
        wrong
            .err()
            .startsWith(
                "jobkit: error: PostgreSQL at "
                    + url
                    + " refused the login: "
                    + "password authentication failed for user \""
                    + EmbeddedPostgresSupport.PASSWORD_USER
                    + "\""),
        wrong.err());
    assertFalse(wrong.err().contains("wrong-password"), wrong.err());

    cli.env.put("PGPASSWORD", EmbeddedPostgresSupport.PASSWORD_USER_PASSWORD);
    String id = cli.submit("cli.echo", "{}");

    // Parameters in the URL win over the environment, each on its own.
    cli.env.put("PGPASSWORD", "wrong-password");
    String withPassword = url + "?password=" + EmbeddedPostgresSupport.PASSWORD_USER_PASSWORD;
    assertTrue(cli.raw("--db", withPassword, "status", id).ok().out().contains(id));
    cli.env.put("PGUSER", "nobody");
    cli.env.put("PGPASSWORD", EmbeddedPostgresSupport.PASSWORD_USER_PASSWORD);
    String withUser = url + "?user=" + EmbeddedPostgresSupport.PASSWORD_USER;
    assertTrue(cli.raw("--db", withUser, "status", id).ok().out().contains(id));

    String wrongInUrl =
        url + "?user=" + EmbeddedPostgresSupport.PASSWORD_USER + "&password=" + SECRET;
    CliHarness.Result refused = cli.raw("--db", wrongInUrl, "list").expect(ExitCodes.STORAGE);
    assertTrue(refused.err().contains("refused the login"), refused.err());
    assertTrue(refused.err().contains("&password=***"), refused.err());
    assertFalse(refused.err().contains(SECRET), refused.err());
  }

  @Test
  void anUnreachableServerIsAStorageErrorWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/jobs?user=jobkit&password=" + SECRET;
    CliHarness cli = new CliHarness(dir.resolve("unused.db"));
    for (List<String> command :
        List.of(
            List.of("list"), List.of("submit", "cli.echo"), List.of("worker", "--workers", "1"))) {
      List<String> args = new java.util.ArrayList<>(List.of("--db", url));
      args.addAll(command);
      CliHarness.Result r = cli.raw(args.toArray(String[]::new)).expect(ExitCodes.STORAGE);
      assertEquals(
          "jobkit: error: Cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:"
              + port
              + "/jobs?user=jobkit&password=***: connection refused; check that the server is running "
              + "and that host and port are right",
          r.err().strip(),
          command.toString());
      assertTrue(r.out().isEmpty(), r.out());
    }
    CliHarness.Result verbose = cli.raw("--verbose", "--db", url, "list").expect(ExitCodes.STORAGE);
    assertTrue(verbose.err().contains("\tat "), "stack trace with --verbose");
    assertFalse(verbose.err().contains(SECRET), verbose.err());
  }

  @Test
  void malformedUrlsAreUsageErrorsWithoutThePassword() {
    CliHarness cli = new CliHarness(dir.resolve("unused.db"));
    Map<String, String> cases =
        Map.of(
            "jdbc:postgresql://localhost:5432",
            "'/' and the database name must follow the host",
            "jdbc:postgresql://localhost:pg/jobs",
            "bad port 'pg'",
            "jdbc:postgresql://localhost:70000/jobs",
            "bad port '70000'",
            "JDBC:PostgreSQL://localhost/jobs",
            "write the prefix jdbc:postgresql: in lower case",
            "jdbc:postgresql://me:" + SECRET + "@localhost/jobs",
            "a JDBC URL takes no user:password@",
            "jdbc:postgresql://localhost/jobs?password=" + SECRET + "%zz",
            "bad %-escape",
            "jdbc:postgresql://localhost/jobs/extra",
            "too many '/'",
            "postgresql://me:" + SECRET + "@localhost/jobs",
            "pass a JDBC URL",
            "jdbc:mysql://localhost/jobs?password=" + SECRET,
            "only PostgreSQL JDBC URLs");
    cases.forEach(
        (url, why) -> {
          CliHarness.Result r = cli.raw("--db", url, "list").expect(ExitCodes.USAGE);
          assertEquals(1, r.err().lines().count(), r.err());
          assertTrue(r.err().startsWith("jobkit: error: --db "), r.err());
          assertTrue(r.err().contains(why), url + " -> " + r.err());
          assertFalse(r.err().contains(SECRET), r.err());
        });
    assertTrue(
        cli.raw("--db", "jdbc:postgresql://me:" + SECRET + "@localhost/jobs", "list")
            .err()
            .contains("//me:***@localhost"));
  }

  /**
   * The CLI accepts exactly the URLs the driver parses, so that the driver never logs a refusal.
   */
  @Test
  void urlCheckAgreesWithTheDriver() {
    List<String> urls =
        List.of(
            "jdbc:postgresql://h/db",
            "jdbc:postgresql://h:5432/db?user=a",
            "jdbc:postgresql://h",
            "jdbc:postgresql://h:x/db",
            "jdbc:postgresql://h:0/db",
            "jdbc:postgresql://h:65535/db",
            "jdbc:postgresql://h:65536/db",
            "jdbc:postgresql://h:/db",
            "jdbc:postgresql://:5432/db",
            "jdbc:postgresql:db",
            "jdbc:postgresql:",
            "jdbc:postgresql://",
            "jdbc:postgresql:///",
            "jdbc:postgresql:///db",
            "jdbc:postgresql:/db",
            "jdbc:postgresql:/",
            "jdbc:postgresql://h/",
            "jdbc:postgresql://[::1]:5432/db",
            "jdbc:postgresql://[::1]/db",
            "jdbc:postgresql://h1,h2:5433/db",
            "jdbc:postgresql://h1:1,h2:x/db",
            "jdbc:postgresql://u:p@h/db",
            "jdbc:postgresql://h/db/x",
            "jdbc:postgresql://h/d%20b",
            "jdbc:postgresql://h/d%zzb",
            "jdbc:postgresql:d%zzb",
            "jdbc:postgresql://h/db?password",
            "jdbc:postgresql://h/db?x=%zz",
            "jdbc:postgresql://h/db?x=%2",
            "jdbc:postgresql://h/db?&&user=x&",
            "jdbc:postgresql://h/db?a=b=c",
            "jdbc:postgresql://h/db?user=a+b%26c",
            "JDBC:POSTGRESQL://h/db",
            "jdbc:postgresql://h: 5432/db",
            "jdbc:postgresql://h/db?/x");
    Logger driverLog = Logger.getLogger("org.postgresql");
    Level level = driverLog.getLevel();
    driverLog.setLevel(Level.OFF); // the driver logs each URL it refuses
    try {
      for (String url : urls) {
        boolean driver = org.postgresql.Driver.parseURL(url, null) != null;
        boolean cli;
        try {
          Databases.checkPostgresUrl(url);
          cli = true;
        } catch (CliException e) {
          assertEquals(ExitCodes.USAGE, e.exitCode());
          cli = false;
        }
        assertEquals(driver, cli, url);
      }
    } finally {
      driverLog.setLevel(level);
    }
    assertEquals(
        java.util.Set.of("user", "password", "ssl"),
        Databases.checkPostgresUrl("jdbc:postgresql://h/db?user=a&password=b&ssl"));
    assertThrows(CliException.class, () -> Databases.checkPostgresUrl("jdbc:postgres://h/db"));
    // Stricter than the driver, which would look up the host "me@h": say where the user goes.
    assertTrue(
        assertThrows(
                CliException.class, () -> Databases.checkPostgresUrl("jdbc:postgresql://me@h/db"))
            .getMessage()
            .contains("a JDBC URL takes no user:password@"));
  }

  @Test
  void passwordsAreRedacted() {
    assertEquals(
        "jdbc:postgresql://h/db?user=a&password=***&ssl=true",
        Databases.redact("jdbc:postgresql://h/db?user=a&password=x%26y&ssl=true"));
    assertEquals(
        "jdbc:postgresql://h/db?PASSWORD=***&sslpassword=***",
        Databases.redact("jdbc:postgresql://h/db?PASSWORD=a&sslpassword=b"));
    assertEquals("jdbc:postgresql://u:***@h/db", Databases.redact("jdbc:postgresql://u:p@h/db"));
    assertEquals("/tmp/jobs.db", Databases.redact("/tmp/jobs.db"));
    Databases.Target t =
        Databases.target(
            "jdbc:postgresql://h/db?password=x", null, Map.of("PGPASSWORD", "from-env"));
    assertFalse(t.toString().contains("from-env") || t.toString().contains("=x"), t.toString());
  }
}
