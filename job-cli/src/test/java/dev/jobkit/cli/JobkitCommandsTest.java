package dev.jobkit.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command against a temporary database, with real jobs. */
class JobkitCommandsTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  @Test
  void typesListsTheRegisteredJobsWithParameters() {
    String out = cli.run("types").ok().out();
    assertTrue(out.startsWith("NAME"), out);
    assertTrue(
        out.lines()
            .anyMatch(
                l ->
                    l.startsWith("cli.echo")
                        && l.contains("Echoes its text in capitals")
                        && l.contains("text: string, lines: integer")),
        out);

    String one = cli.run("types", "cli.echo").ok().out();
    assertTrue(one.contains("cli.echo - Echoes its text in capitals"), one);
    assertTrue(one.contains("\"$schema\""), one);
    assertTrue(one.contains("output       java.lang.String"), one);

    String json = cli.run("types", "--json").ok().out();
    assertTrue(json.trim().startsWith("["), json);
    assertTrue(json.contains("\"name\" : \"cli.steps\""), json);
    assertTrue(json.contains("\"description\" : \"Counts through items slowly\""), json);
    assertTrue(json.contains("\"schema\" : {"), json);
    assertFalse(Files.exists(cli.db), "types needs no database");

    CliHarness.Result r = cli.run("types", "cli.ekho").expect(ExitCodes.BAD_INPUT);
    assertTrue(r.err().contains("unknown job 'cli.ekho'"), r.err());
    assertTrue(r.err().contains("did you mean 'cli.echo'?"), r.err());
  }

  @Test
  void submitPrintsOnlyTheIdAndAppliesTheOptions() {
    String id = cli.run("submit", "cli.echo", "--json", "{\"text\":\"hi\"}").ok().out();
    assertTrue(id.matches("[0-9A-Z]{26}\\R"), id);

    String id2 =
        cli.submit(
            "cli.echo",
            "{\"text\":\"later\"}",
            "--priority",
            "high",
            "--queue",
            "slow",
            "--delay",
            "1h",
            "--tag",
            "a",
            "--tag",
            "b",
            "--max-attempts",
            "5",
            "--timeout",
            "5m");
    String json = cli.run("status", id2, "--json").ok().out();
    assertTrue(json.contains("\"state\" : \"SCHEDULED\""), json);
    assertTrue(json.contains("\"priority\" : \"HIGH\""), json);
    assertTrue(json.contains("\"queue\" : \"slow\""), json);
    assertTrue(json.contains("\"maxAttempts\" : 5"), json);
    assertTrue(json.contains("\"tags\" : [ \"a\", \"b\" ]"), json);

    String at = cli.submit("cli.echo", "{}", "--at", "2099-01-01T00:00:00Z");
    assertTrue(cli.run("status", at).ok().out().contains("SCHEDULED"));

    String k1 = cli.submit("cli.echo", "{}", "--key", "once");
    String k2 = cli.submit("cli.echo", "{}", "--key", "once");
    assertEquals(k1, k2, "an idempotency key returns the first job");
  }

  @Test
  void submitReadsParametersFromAFile() throws Exception {
    Path params = dir.resolve("params.json");
    Files.writeString(params, "{\n  \"text\": \"from file\"\n}\n");
    String id = cli.run("submit", "cli.echo", "--json-file", params.toString()).ok().line();
    try (JobManager jobs = JobManager.builder().database(cli.db).noWorkers().open()) {
      assertTrue(jobs.job(id).isPresent());
    }
    CliHarness.Result missing =
        cli.run("submit", "cli.echo", "--json-file", dir.resolve("nope.json").toString())
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
  }

  @Test
  void submitRejectsBadInputWithoutCreatingTheDatabase() {
    CliHarness.Result unknown =
        cli.run("submit", "cli.ecoh", "--json", "{}").expect(ExitCodes.BAD_INPUT);
    assertEquals(1, unknown.err().lines().count(), unknown.err());
    assertTrue(unknown.err().startsWith("jobkit: error: unknown job 'cli.ecoh'"), unknown.err());
    assertTrue(unknown.err().contains("known: ") && unknown.err().contains("cli.echo"));
    assertTrue(unknown.err().contains("did you mean 'cli.echo'?"), unknown.err());

    CliHarness.Result malformed =
        cli.run("submit", "cli.echo", "--json", "{\n \"text\": \"a\",\n x}")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(
        malformed.err().startsWith("jobkit: error: bad job parameters: cli.echo:"),
        malformed.err());
    assertTrue(malformed.err().contains("(line 3, column 2)"), malformed.err());

    CliHarness.Result mistyped =
        cli.run("submit", "cli.echo", "--json", "{\"lines\": \"many\"}")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(mistyped.err().contains("$.lines"), mistyped.err());
    assertTrue(mistyped.err().contains("line 1, column"), mistyped.err());
    assertTrue(mistyped.out().isEmpty());
    assertFalse(Files.exists(cli.db), "bad input must not create the database");

    CliHarness.Result both =
        cli.run("submit", "cli.echo", "--json", "{}", "--json-file", "x").expect(ExitCodes.USAGE);
    assertTrue(both.err().contains("mutually exclusive"), both.err());
    assertTrue(
        cli.run("submit", "cli.echo", "--delay", "10x")
            .expect(ExitCodes.USAGE)
            .err()
            .contains("invalid duration '10x'"));
    assertTrue(
        cli.run("submit", "cli.echo", "--priority", "URGENT")
            .expect(ExitCodes.USAGE)
            .err()
            .contains("--priority"));
    assertTrue(
        cli.run("submit", "cli.echo", "--at", "tomorrow")
            .expect(ExitCodes.USAGE)
            .err()
            .contains("invalid time 'tomorrow'"));
    assertTrue(
        cli.run("submit", "cli.echo", "--tag", "a,b")
            .expect(ExitCodes.USAGE)
            .err()
            .contains("comma"));
  }

  @Test
  void listFiltersAndShowsShortUniqueIdsNewestFirst() {
    String a = cli.submit("cli.echo", "{}", "--tag", "red");
    String b = cli.submit("cli.steps", "{\"total\":3}", "--queue", "slow");
    String c = cli.submit("cli.echo", "{}", "--delay", "1h", "--tag", "red");

    String out = cli.run("list").ok().out();
    List<String> lines = out.lines().toList();
    assertEquals(
        "ID            NAME       STATE      PROGRESS  ATTEMPTS  CREATED  TAGS", lines.get(0));
    assertEquals(4, lines.size(), out);
    assertTrue(lines.get(1).startsWith(c.substring(0, 12)), out);
    assertTrue(lines.get(2).startsWith(b.substring(0, 12)), out);
    assertTrue(lines.get(3).startsWith(a.substring(0, 12)), out);
    assertTrue(
        lines.get(1).contains("SCHEDULED")
            && lines.get(1).contains("0/3")
            && lines.get(1).contains("ago")
            && lines.get(1).endsWith("red"),
        out);

    assertEquals(2, rows(cli.run("list", "--tag", "red").ok().out()));
    assertEquals(1, rows(cli.run("list", "--name", "cli.steps").ok().out()));
    assertEquals(1, rows(cli.run("list", "--queue", "slow").ok().out()));
    assertEquals(2, rows(cli.run("list", "--status", "queued").ok().out()));
    assertEquals(3, rows(cli.run("list", "--status", "QUEUED,SCHEDULED").ok().out()));
    assertEquals("no jobs", cli.run("list", "--status", "FAILED").ok().line());

    CliHarness.Result page = cli.run("list", "--limit", "2").ok();
    assertEquals(2, rows(page.out()));
    assertTrue(page.err().contains("more jobs: jobkit list --cursor "), page.err());
    String cursor = page.err().replaceAll("(?s).*--cursor (\\S+).*", "$1");
    assertEquals(1, rows(cli.run("list", "--limit", "2", "--cursor", cursor).ok().out()));

    String json = cli.run("list", "--json", "--tag", "red").ok().out();
    assertTrue(json.contains("\"id\" : \"" + a + "\""), json);
    assertTrue(json.contains("\"id\" : \"" + c + "\""), json);
    assertTrue(json.contains("\"nextCursor\" : null"), json);

    assertTrue(
        cli.run("list", "--status", "DONE").expect(ExitCodes.USAGE).err().contains("--status"));
    assertTrue(cli.run("list", "--limit", "0").expect(ExitCodes.USAGE).err().contains("limit"));
  }

  private static long rows(String table) {
    return table.lines().count() - 1;
  }

  @Test
  void shortIdsGrowUntilUnique() {
    assertEquals(
        List.of("01AAAAAAAAAA", "01AAAAAAAAAB"),
        JobkitCommand.shortIds(
            List.of("01AAAAAAAAAAAAAAAAAAAAAAAA", "01AAAAAAAAABAAAAAAAAAAAAAA")));
    assertEquals(
        List.of("01AAAAAAAAAAAAX", "01AAAAAAAAAAAAY"),
        JobkitCommand.shortIds(
            List.of("01AAAAAAAAAAAAXAAAAAAAAAAA", "01AAAAAAAAAAAAYAAAAAAAAAAA")));
  }

  @Test
  void statusShowsDetailsAndResolvesPrefixes() throws Exception {
    String id = cli.submit("cli.echo", "{\"text\":\"hey\",\"lines\":1}", "--tag", "t1");
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, id, JobState.COMPLETED);
    }
    String out = cli.run("status", id.substring(0, 12).toLowerCase()).ok().out();
    assertTrue(out.contains("id        " + id), out);
    assertTrue(out.contains("name      cli.echo"), out);
    assertTrue(out.contains("state     COMPLETED"), out);
    assertTrue(out.contains("attempts  1 of 3"), out);
    assertTrue(out.contains("tags      t1"), out);
    assertTrue(out.contains("finished  ") && out.contains("(ran "), out);
    assertTrue(out.contains("output    \"HEY\""), out);

    String json = cli.run("status", id, "--json").ok().out();
    assertTrue(json.contains("\"output\" : \"HEY\""), json);
    assertTrue(json.contains("\"terminal\" : true"), json);

    CliHarness.Result unknown = cli.run("status", "7ZZZZZ").expect(ExitCodes.NOT_FOUND);
    assertEquals(
        "jobkit: error: no job with id or id prefix '7ZZZZZ' in " + cli.db, unknown.err().strip());

    cli.submit("cli.echo", "{}");
    CliHarness.Result ambiguous = cli.run("status", "0").expect(ExitCodes.USAGE);
    assertTrue(
        ambiguous.err().startsWith("jobkit: error: job id prefix '0' matches several jobs ("),
        ambiguous.err());
    assertTrue(ambiguous.err().contains(id), ambiguous.err());
  }

  @Test
  void resultsPrintTheOutputOnlyOfCompletedJobs() throws Exception {
    String done = cli.submit("cli.echo", "{\"text\":\"out\"}");
    String failed = cli.submit("cli.flaky", "{\"nonRetryable\":true}");
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, done, JobState.COMPLETED);
      CliHarness.await(jobs, failed, JobState.FAILED);
    }
    String waiting = cli.submit("cli.echo", "{}");

    assertEquals("\"OUT\"", cli.run("results", done).ok().line());
    Path file = dir.resolve("out.json");
    assertTrue(cli.run("results", done, "--out", file.toString()).ok().out().contains("wrote"));
    assertEquals("\"OUT\"", Files.readString(file).strip());

    CliHarness.Result notYet = cli.run("results", waiting).expect(ExitCodes.JOB_NOT_COMPLETED);
    assertTrue(notYet.err().contains("is QUEUED, not COMPLETED yet"), notYet.err());
    assertTrue(notYet.out().isEmpty());
    CliHarness.Result fail = cli.run("results", failed).expect(ExitCodes.JOB_NOT_COMPLETED);
    assertTrue(
        fail.err()
            .contains(
                "is FAILED, not COMPLETED, so it has no results: "
                    + "dev.jobkit.NonRetryableException: bad input, attempt 1"),
        fail.err());
    cli.run("results", "7ZZZZZZZ").expect(ExitCodes.NOT_FOUND);
  }

  @Test
  void controlCommandsChangeTheState() throws Exception {
    String id = cli.submit("cli.echo", "{}", "--delay", "1h");
    String shortId = id.substring(0, 14);
    assertTrue(cli.run("pause", shortId).ok().line().endsWith(": PAUSED"));
    assertTrue(cli.run("resume", shortId).ok().line().endsWith(": SCHEDULED"));
    assertEquals("job " + id + " (cli.echo): CANCELLED", cli.run("cancel", shortId).ok().line());
    assertTrue(cli.run("retry", shortId).ok().line().endsWith(": QUEUED"));
    assertTrue(cli.run("retry", shortId).ok().line().contains("retry changed nothing"));
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, id, JobState.COMPLETED);
    }
    CliHarness.Result refused = cli.run("cancel", id).expect(ExitCodes.JOB_NOT_COMPLETED);
    assertEquals(
        "jobkit: error: job " + id + ": cannot cancel: it is COMPLETED", refused.err().strip());
    cli.run("pause", "7ZZZZZZ").expect(ExitCodes.NOT_FOUND);
  }

  @Test
  void statsCleanupAndStorage() throws Exception {
    assertEquals(ExitCodes.STORAGE, cli.run("stats").code());
    String ok = cli.submit("cli.echo", "{}");
    String bad = cli.submit("cli.flaky", "{\"nonRetryable\":true}");
    cli.submit("cli.echo", "{}", "--delay", "1h");
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, ok, JobState.COMPLETED);
      CliHarness.await(jobs, bad, JobState.FAILED);
    }
    String stats = cli.run("stats").ok().out();
    assertTrue(
        stats.lines().anyMatch(l -> l.matches("NAME +SCHEDULED +COMPLETED +FAILED +TOTAL")), stats);
    assertTrue(stats.lines().anyMatch(l -> l.matches("cli\\.echo +1 +1 +0 +2")), stats);
    assertTrue(stats.lines().anyMatch(l -> l.matches("all +1 +1 +1 +3")), stats);
    assertTrue(stats.contains("success rate 50.0%"), stats);
    assertTrue(stats.contains("run time     mean "), stats);
    String json = cli.run("stats", "--json").ok().out();
    assertTrue(json.contains("\"total\" : 3"), json);
    assertTrue(json.contains("\"COMPLETED\" : 1"), json);
    assertTrue(json.contains("\"successRate\" : 0.5"), json);

    assertEquals(
        "deleted 0 jobs that finished more than 7d ago",
        cli.run("cleanup", "--older-than", "7d").ok().line());
    // The jobs finished moments ago: once more than 1 ms ago, a dry run counts them.
    await("2 finished jobs older than 1 ms")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () ->
                assertEquals(
                    "would delete 2 jobs that finished more than 1ms ago",
                    cli.run("cleanup", "--older-than", "1ms", "--dry-run").ok().line()));
    assertEquals(
        "{\"jobs\":2,\"dryRun\":false}",
        cli.run("cleanup", "--older-than", "1ms", "--json").ok().line());
    assertEquals(1, rows(cli.run("list").ok().out()));
    cli.run("cleanup").expect(ExitCodes.USAGE);

    String storage = cli.run("storage").ok().out();
    assertTrue(storage.contains("database  " + cli.db), storage);
    assertTrue(
        storage
            .lines()
            .anyMatch(l -> l.matches("size +\\d+\\.\\d KiB \\(\\d+ pages of \\d+ bytes\\)")),
        storage);
    String sj = cli.run("storage", "--json").ok().out();
    assertTrue(sj.contains("\"location\" : \"" + cli.db + "\""), sj);
    assertTrue(sj.contains("\"sizeBytes\" : "), sj);
  }

  @Test
  void readCommandsNeverRunJobs() throws Exception {
    String id = cli.submit("cli.echo", "{}");
    for (String[] args :
        List.of(
            new String[] {"list"},
            new String[] {"status", id},
            new String[] {"stats"},
            new String[] {"logs", id})) {
      cli.run(args).ok();
    }
    try (JobManager jobs = JobManager.builder().database(cli.db).noWorkers().open()) {
      // Nothing runs it afterwards either: it stays QUEUED for a while.
      await("job " + id + " to stay QUEUED")
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> jobs.job(id).orElseThrow().state() == JobState.QUEUED);
      JobInfo j = jobs.job(id).orElseThrow();
      assertEquals(JobState.QUEUED, j.state());
      assertTrue(j.createdAt().isBefore(Instant.now()));
    }
  }
}
