package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit bench}: its figures, and that it leaves the user's database as it found it. */
class JobkitBenchTest {
  /** Rates and latencies: measured, so above zero. */
  private static final List<String> POSITIVE =
      List.of(
          "dispatch_single_per_s",
          "dispatch_concurrent_per_s",
          "dispatch_batch_per_s",
          "drain_per_s",
          "raw_single_per_s",
          "raw_batch_per_s",
          "raw_jobs_table_single_per_s",
          "raw_jobs_table_batch_per_s",
          "dispatch_single_vs_jobs_table",
          "dispatch_batch_vs_jobs_table",
          "start_latency_p50_ms",
          "start_latency_p99_ms");

  @TempDir Path dir;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void sqliteJsonHasEveryFigureAndLeavesNothingBehind() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String mine = cli.submit("cli.echo", "{\"text\":\"mine\"}");
    List<String> before = listing(dir);

    CliHarness.Result r = cli.run("bench", "--json", "--jobs", "2000", "--workers", "2").ok();

    Map<String, Object> json = parse(r.out());
    checkFigures(json, 2000);
    assertEquals("sqlite", json.get("database"));
    assertEquals("", r.err(), "no progress bar on a pipe");
    assertEquals(before, listing(dir), "the scratch directory is gone");
    String list = cli.run("list").ok().out();
    assertEquals(2, list.lines().count(), list);
    assertTrue(list.contains(mine.substring(0, 12)), list);
  }

  @Test
  void graphComparesAFanOutFanInWithThePlainDrainAndLeavesNothingBehind() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    List<String> before = listing(dir);

    CliHarness.Result r = cli.run("bench", "--graph", "300", "--workers", "2").ok();

    assertTrue(
        r.out()
            .matches(
                "(?s)sqlite, 300 jobs, 2 workers: plain drain [0-9.]+ s .*fan-out/fan-in graph"
                    + " [0-9.]+ s .*: [0-9.]+ x\\s*"),
        r.out());
    assertEquals(before, listing(dir), "the scratch directory is gone");
    CliHarness.Result bad = cli.run("bench", "--graph", "2");
    assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
    assertEquals("jobkit: error: --graph must be at least 3, got 2\n", bad.err());
  }

  @Test
  void limitsCompareTheDrainWithAndWithoutLimitsThatDoNotBind() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    List<String> before = listing(dir);

    CliHarness.Result r = cli.run("bench", "--limits", "200", "--workers", "2").ok();

    assertTrue(
        r.out()
            .matches(
                "(?s)sqlite, 200 jobs, 2 workers: drain without limits [0-9.]+ s .*with limits"
                    + " that do not bind [0-9.]+ s .*: [0-9.]+ % of the throughput .*"),
        r.out());
    assertTrue(r.out().contains("(medians of 3)"), r.out()); // three rounds unless --reps says
    assertEquals(before, listing(dir), "the scratch directory is gone");

    CliHarness.Result two =
        cli.run("bench", "--limits", "100", "--workers", "2", "--reps", "2").ok();
    assertTrue(two.out().contains("(medians of 2)"), two.out());
    assertEquals(before, listing(dir), "the scratch directory is gone");
  }

  @Test
  void theMedianOfAnEvenNumberOfDrainsIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Benchmark.median(new double[] {4, 1, 2, 3}));
    assertEquals(2.0, Benchmark.median(new double[] {3, 1, 2}));
  }

  @Test
  void tenantsMeasureHowSoonAnotherTenantsJobsStartBehindABacklog() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    List<String> before = listing(dir);

    CliHarness.Result r = cli.run("bench", "--tenants", "400", "--workers", "2").ok();

    assertTrue(
        r.out()
            .matches(
                "(?s)sqlite, 400 jobs of tenant A queued, 2 workers: tenant B's 10 jobs started"
                    + " [0-9.]+ ms \\(first\\) and [0-9.]+ ms \\(last\\) after their dispatch,"
                    + " while [0-9,]+ of A's started \\(medians of 1; .*"),
        r.out());
    assertEquals(before, listing(dir), "the scratch directory is gone");
  }

  @Test
  void listingIsTimedWhenAskedFor() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));

    CliHarness.Result r =
        cli.run("bench", "--json", "--jobs", "200", "--workers", "2", "--list-jobs", "10000").ok();

    Map<String, Object> json = parse(r.out());
    assertEquals(10000, ((Number) json.get("list_jobs")).intValue());
    for (String figure :
        List.of("list_by_state_p95_ms", "list_by_rare_state_p95_ms", "list_by_name_p95_ms")) {
      assertTrue(((Number) json.get(figure)).doubleValue() > 0, figure + " in " + r.out());
    }
    assertEquals(
        "jobkit: error: --list-jobs must be 0 (skip) or at least 10000, got 10",
        cli.run("bench", "--jobs", "200", "--list-jobs", "10")
            .expect(ExitCodes.USAGE)
            .err()
            .strip());
  }

  @Test
  void terminalShowsAProgressBarAndATable() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.terminal = true;

    CliHarness.Result r = cli.run("bench", "--jobs", "200", "--reps", "2").ok();

    assertTrue(r.err().contains("\r[#"), r.err());
    assertTrue(r.err().contains("rep 2/2: drain"), r.err());
    assertTrue(r.out().startsWith("jobkit bench: sqlite, 200 jobs, 8 workers, 2 reps"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("dispatch one by one")), r.out());
    assertTrue(r.out().contains("raw SQL into jobkit's table"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("jobs run more than once +0")), r.out());
    assertEquals(List.of(), listing(dir), "neither the database nor a scratch directory exists");
  }

  @Test
  void badCountsAreUsageErrors() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    CliHarness.Result r = cli.run("bench", "--jobs", "0").expect(ExitCodes.USAGE);
    assertEquals("jobkit: error: --jobs must be at least 1, got 0", r.err().strip());
  }

  @Test
  void postgresJsonHasEveryFigureAndDropsItsSchemas() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    CliHarness cli = new CliHarness(db);
    String mine = cli.submit("cli.echo", "{\"text\":\"mine\"}");

    CliHarness.Result r = cli.run("bench", "--json", "--jobs", "2000", "--workers", "2").ok();

    Map<String, Object> json = parse(r.out());
    checkFigures(json, 2000);
    assertEquals("postgresql", json.get("database"));
    assertEquals(null, query(db, SCRATCH_SCHEMAS), "scratch schemas left behind");
    String list = cli.run("list").ok().out();
    assertEquals(2, list.lines().count(), list);
    assertTrue(list.contains(mine.substring(0, 12)), list);
  }

  @Test
  void postgresLimitsCheckpointBeforeEachDrainAndDropTheirSchemas() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    CliHarness cli = new CliHarness(db);
    long before = requestedCheckpoints(db);

    CliHarness.Result r = cli.run("bench", "--limits", "200", "--workers", "2", "--reps", "2").ok();

    assertTrue(
        r.out()
            .matches(
                "(?s)postgresql, 200 jobs, 2 workers: drain without limits [0-9.]+ s .*with"
                    + " limits that do not bind [0-9.]+ s .*\\(medians of 2\\).*"),
        r.out());
    // Two warm-up drains and two of each kind, each after a CHECKPOINT.
    assertTrue(
        requestedCheckpoints(db) - before >= 6,
        "checkpoints: " + (requestedCheckpoints(db) - before));
    assertEquals(null, query(db, SCRATCH_SCHEMAS), "scratch schemas left behind");
  }

  private static final String SCRATCH_SCHEMAS =
      "SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'jobkit_bench%'";

  private static long requestedCheckpoints(TestDatabase db) throws SQLException {
    return Long.parseLong(query(db, "SELECT checkpoints_req FROM pg_stat_bgwriter"));
  }

  /** The first column of the first row of {@code sql} on {@code db}. */
  private static String query(TestDatabase db, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                db.location(), EmbeddedPostgresSupport.user(), EmbeddedPostgresSupport.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void checkFigures(Map<String, Object> json, int jobs) {
    for (String figure : POSITIVE) {
      assertTrue(json.get(figure) instanceof Double d && d > 0, figure + " in " + json);
    }
    assertEquals(0L, json.get("ran_twice"), json.toString());
    assertEquals((long) jobs, json.get("jobs"), json.toString());
    assertTrue(json.get("jobkit_version") instanceof String, json.toString());
  }

  /** The top-level scalar fields of a JSON object (numbers as Long or Double). */
  private static Map<String, Object> parse(String text) throws IOException {
    Map<String, Object> fields = new HashMap<>();
    try (JsonParser p = Json.FACTORY.createParser(text)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), text);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (t) {
          case VALUE_NUMBER_INT -> fields.put(name, p.getLongValue());
          case VALUE_NUMBER_FLOAT -> fields.put(name, p.getDoubleValue());
          case VALUE_STRING -> fields.put(name, p.getText());
          default -> p.skipChildren();
        }
      }
      assertEquals(null, p.nextToken(), "one JSON object only: " + text);
    }
    return fields;
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
