package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobkit.Priority;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleInfo;
import dev.jobkit.runtime.ScheduleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit schedules add|list|show|pause|resume|trigger|delete} (#12). */
class JobkitSchedulesTest {
  @TempDir Path dir;

  private CliHarness cli() {
    return new CliHarness(dir.resolve("jobs.db"));
  }

  private static ScheduleInfo stored(CliHarness cli, String name) {
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      return jobs.schedules().get(name).orElseThrow();
    }
  }

  @Test
  void addStoresEveryOptionAndListAndShowPrintIt() {
    CliHarness cli = cli();
    Instant before = Instant.now();
    String added =
        cli.run(
                "schedules",
                "add",
                "report",
                "--every",
                "1h30m",
                "--job",
                "cli.echo",
                "--json",
                "{\"text\": \"hi\"}",
                "--queue",
                "reports",
                "--priority",
                "high",
                "--tag",
                "nightly",
                "--tag",
                "team-a",
                "--max-attempts",
                "4",
                "--timeout",
                "5m",
                "--misfire",
                "fire-all",
                "--misfire-cap",
                "7",
                "--misfire-grace",
                "30s",
                "--overlap",
                "queue-one",
                "--jitter",
                "10s")
            .ok()
            .line();
    assertTrue(added.startsWith("created schedule report (every 1h30m); next fire "), added);

    ScheduleInfo i = stored(cli, "report");
    assertEquals(Optional.of(Duration.ofMinutes(90)), i.interval());
    assertEquals("cli.echo", i.jobName());
    assertEquals(Optional.of("{\"text\":\"hi\",\"lines\":0}"), i.paramsJson());
    assertEquals("reports", i.queue());
    assertEquals(Priority.HIGH, i.priority());
    assertEquals(List.of("nightly", "team-a"), i.tags());
    assertEquals(4, i.maxAttempts());
    assertEquals(Optional.of(Duration.ofMinutes(5)), i.timeout());
    assertEquals(ScheduleSpec.Misfire.FIRE_ALL, i.misfire());
    assertEquals(7, i.misfireCap());
    assertEquals(Duration.ofSeconds(30), i.misfireGrace());
    assertEquals(ScheduleSpec.Overlap.QUEUE_ONE, i.overlap());
    assertEquals(Duration.ofSeconds(10), i.jitter());
    assertEquals(Optional.of(KeysCommand.ACTOR), i.createdBy());
    Instant next = i.nextFire().orElseThrow();
    assertFalse(next.isBefore(before.plus(Duration.ofMinutes(90)).minusSeconds(1)), next::toString);

    String list = cli.run("schedules", "list").ok().out();
    List<String> lines = list.lines().toList();
    assertEquals(2, lines.size(), list);
    assertTrue(lines.get(0).startsWith("NAME"), list);
    assertTrue(lines.get(1).matches("report +every 1h30m +cli\\.echo +\\S+ +never +active"), list);
    assertTrue(lines.get(1).contains(JobkitCommand.time(next)), list);

    String json = cli.run("schedules", "list", "--json").ok().line();
    assertTrue(
        json.startsWith(
            "[{\"name\":\"report\",\"tenant\":\"default\",\"cron\":null,\"every\":\"PT1H30M\",\"zone\":null,"
                + "\"job\":\"cli.echo\",\"params\":{\"text\":\"hi\",\"lines\":0},"
                + "\"queue\":\"reports\",\"priority\":\"HIGH\",\"tags\":[\"nightly\",\"team-a\"],"
                + "\"maxAttempts\":4,\"timeout\":\"PT5M\",\"misfire\":\"FIRE_ALL\","
                + "\"misfireCap\":7,\"misfireGrace\":\"PT30S\",\"overlap\":\"QUEUE_ONE\","
                + "\"fallBack\":\"ONCE\",\"jitter\":\"PT10S\",\"paused\":false,"
                + "\"pauseReason\":null,\"nextFire\":\""
                + next
                + "\""),
        json);

    String show = cli.run("schedules", "show", "report", "--next", "3").ok().out();
    assertTrue(show.contains("when:         every 1h30m"), show);
    assertTrue(show.contains("misfire:      fire-all (cap 7), grace 30s"), show);
    assertTrue(show.contains("overlap:      queue-one"), show);
    assertTrue(show.contains("created:      ") && show.contains(" by " + KeysCommand.ACTOR), show);
    assertTrue(
        show.contains(
            "next fire times:\n  "
                + JobkitCommand.time(next)
                + "\n  "
                + JobkitCommand.time(next.plus(Duration.ofMinutes(90)))
                + "\n  "
                + JobkitCommand.time(next.plus(Duration.ofMinutes(180)))
                + "\n"),
        show);
    assertTrue(show.contains("no history yet"), show);

    // Adding again replaces the settings; what is not given takes its default.
    String updated =
        cli.run("schedules", "add", "report", "--every", "1h30m", "--job", "cli.echo").ok().line();
    assertTrue(updated.startsWith("updated schedule report"), updated);
    ScheduleInfo u = stored(cli, "report");
    assertEquals(Optional.of(next), u.nextFire(), "same timing, same next slot");
    assertEquals(ScheduleSpec.Overlap.ALLOW, u.overlap());
    assertEquals(Optional.of("{\"text\":\"\",\"lines\":0}"), u.paramsJson());
  }

  @Test
  void pauseResumeTriggerAndDeleteChangeTheScheduleAndShowTellsTheHistory() {
    CliHarness cli = cli();
    cli.run("schedules", "add", "ping", "--every", "1h", "--job", "cli.echo").ok();

    assertEquals(
        "paused schedule ping",
        cli.run("schedules", "pause", "ping", "--reason", "maintenance").ok().line());
    ScheduleInfo paused = stored(cli, "ping");
    assertTrue(paused.paused());
    assertEquals(Optional.of("maintenance"), paused.pauseReason());
    assertTrue(
        cli.run("schedules", "list").ok().out().contains("paused: maintenance"),
        "list shows the reason");

    // Trigger works while paused and prints the job's id.
    String id = cli.run("schedules", "trigger", "ping").ok().line();
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      JobInfo job = jobs.job(id).orElseThrow();
      assertEquals("cli.echo", job.name());
      assertEquals(Optional.of(KeysCommand.ACTOR), job.createdBy());
      List<ScheduleFire> h = jobs.schedules().history("ping", 10).orElseThrow();
      assertEquals(ScheduleFire.Outcome.TRIGGERED, h.get(0).outcome());
      assertEquals(Optional.of(id), h.get(0).jobId());
    }
    String show = cli.run("schedules", "show", "ping").ok().out();
    assertTrue(show.contains("state:        paused: maintenance"), show);
    assertTrue(show.contains("next fire times (once resumed):"), show);
    assertTrue(
        show.matches(
            "(?s).*\\S+ +TRIGGERED +"
                + id
                + " +triggered by "
                + Pattern.quote(KeysCommand.ACTOR)
                + "\n.*"),
        show);
    String showJson = cli.run("schedules", "show", "ping", "--json", "--next", "2").ok().out();
    assertTrue(showJson.contains("\"outcome\" : \"TRIGGERED\""), showJson);
    assertTrue(showJson.contains("\"jobId\" : \"" + id + "\""), showJson);
    assertTrue(showJson.contains("\"paused\" : true"), showJson);

    String resumed = cli.run("schedules", "resume", "ping").ok().line();
    assertTrue(resumed.startsWith("resumed schedule ping; next fire "), resumed);
    assertFalse(stored(cli, "ping").paused());

    assertEquals("deleted schedule ping", cli.run("schedules", "delete", "ping").ok().line());
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      assertEquals(Optional.empty(), jobs.schedules().get("ping"));
      assertTrue(jobs.job(id).isPresent(), "the triggered job stays");
    }
    assertTrue(cli.run("schedules", "list").ok().out().startsWith("no schedules; add one with"));
  }

  @Test
  void aWorkerFiresAnIntervalScheduleAndShowListsTheFiredSlots() {
    CliHarness cli = cli();
    cli.run("schedules", "add", "tick", "--every", "1s", "--job", "cli.echo").ok();
    try (JobManager workers = cli.workers()) {
      Awaitility.await("two fired slots")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  workers.schedules().history("tick", 10).orElseThrow().stream()
                          .filter(f -> f.outcome() == ScheduleFire.Outcome.FIRED)
                          .count()
                      >= 2);
      cli.run("schedules", "pause", "tick").ok();
    }
    ScheduleInfo i = stored(cli, "tick");
    String show = cli.run("schedules", "show", "tick").ok().out();
    assertTrue(show.contains(" FIRED "), show);
    assertTrue(show.contains("(job " + i.lastJobId().orElseThrow() + ")"), show);
    String list = cli.run("schedules", "list").ok().out();
    assertTrue(list.contains(JobkitCommand.time(i.lastFire().orElseThrow())), list);
  }

  @Test
  void unknownNamesAndBadInputAreOneLineErrorsWithTheDocumentedExitCodes() {
    CliHarness cli = cli();
    // Bad input is refused before the database is created.
    CliHarness.Result json =
        cli.run(
                "schedules",
                "add",
                "x",
                "--every",
                "1m",
                "--job",
                "cli.echo",
                "--json",
                "{\"text\": 5}")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(json.err().startsWith("jobkit: error: bad job parameters: "), json.err());
    assertTrue(json.err().contains("text"), json.err());
    CliHarness.Result type =
        cli.run("schedules", "add", "x", "--every", "1m", "--job", "cli.ecko")
            .expect(ExitCodes.BAD_INPUT);
    assertTrue(type.err().contains("did you mean 'cli.echo'?"), type.err());
    CliHarness.Result zone =
        cli.run(
                "schedules",
                "add",
                "x",
                "--cron",
                "0 * * * *",
                "--zone",
                "Mars/Olympus",
                "--job",
                "cli.echo")
            .expect(ExitCodes.USAGE);
    assertEquals(
        "jobkit: error: schedule 'x': unknown time zone 'Mars/Olympus': use an IANA zone id such"
            + " as Europe/Berlin or America/New_York, or UTC",
        zone.err().strip());
    CliHarness.Result blankCron =
        cli.run("schedules", "add", "x", "--cron", " ", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertTrue(blankCron.err().startsWith("jobkit: error: cron '"), blankCron.err());
    CliHarness.Result fast =
        cli.run("schedules", "add", "x", "--every", "500ms", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertEquals(
        "jobkit: error: schedule 'x': interval PT0.5S is shorter than 1 second",
        fast.err().strip());
    CliHarness.Result name =
        cli.run("schedules", "add", "a b", "--every", "1m", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertTrue(name.err().contains("schedule name 'a b' is not valid"), name.err());
    CliHarness.Result zoneEvery =
        cli.run("schedules", "add", "x", "--every", "1m", "--zone", "UTC", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertTrue(zoneEvery.err().contains("--zone applies to --cron only"), zoneEvery.err());
    CliHarness.Result policy =
        cli.run("schedules", "add", "x", "--every", "1m", "--overlap", "never", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertTrue(
        policy.err().contains("unknown policy 'never'; use skip, queue-one, allow"), policy.err());
    CliHarness.Result cap =
        cli.run("schedules", "add", "x", "--every", "1m", "--misfire-cap", "3", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertTrue(cap.err().contains("--misfire-cap applies to --misfire fire-all"), cap.err());
    cli.run("schedules", "add", "x", "--job", "cli.echo").expect(ExitCodes.USAGE);
    cli.run("schedules", "add", "x", "--every", "1m", "--cron", "* * * * *", "--job", "cli.echo")
        .expect(ExitCodes.USAGE);
    for (CliHarness.Result r :
        List.of(json, type, zone, blankCron, fast, name, zoneEvery, policy, cap)) {
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertEquals("", r.out());
    }
    assertFalse(Files.exists(cli.db), "nothing was stored, not even an empty database");

    cli.run("schedules", "add", "nightly-report", "--every", "1d", "--job", "cli.echo").ok();
    for (String action : List.of("show", "pause", "resume", "trigger", "delete")) {
      CliHarness.Result r =
          cli.run("schedules", action, "nightly-reprot").expect(ExitCodes.NOT_FOUND);
      assertEquals(
          "jobkit: error: no schedule named 'nightly-reprot' in "
              + cli.db
              + "; did you mean 'nightly-report'?; see jobkit schedules list",
          r.err().strip(),
          action);
    }
    cli.run("schedules").expect(ExitCodes.USAGE);
  }

  /**
   * Cron schedules pass the expression and zone through. Runs once the real cron parser is in
   * (until then {@code CronExpression} is a stub that accepts anything and cannot compute a slot).
   */
  @Test
  void aCronScheduleShowsItsExpressionZoneAndNextSlots() {
    boolean realParser;
    try {
      ScheduleSpec.cron("probe", "0 25 * * *");
      realParser = false;
    } catch (IllegalArgumentException e) {
      realParser = true;
    }
    assumeTrue(realParser, "needs the cron parser of #12 (a stub on this branch)");
    CliHarness cli = cli();
    String added =
        cli.run(
                "schedules",
                "add",
                "every5",
                "--cron",
                "*/5 * * * *",
                "--zone",
                "Europe/Berlin",
                "--fall-back",
                "both",
                "--job",
                "cli.echo")
            .ok()
            .line();
    assertTrue(
        added.startsWith("created schedule every5 (cron */5 * * * * (Europe/Berlin))"), added);
    String json = cli.run("schedules", "show", "every5", "--json", "--next", "3").ok().out();
    assertTrue(json.contains("\"cron\" : \"*/5 * * * *\""), json);
    assertTrue(json.contains("\"zone\" : \"Europe/Berlin\""), json);
    assertTrue(json.contains("\"fallBack\" : \"BOTH\""), json);
    try (JobManager jobs = cli.builder().noWorkers().open()) {
      List<Instant> next = jobs.schedules().preview("every5", 3).orElseThrow();
      assertEquals(Duration.ofMinutes(5), Duration.between(next.get(0), next.get(1)));
    }
    CliHarness.Result bad =
        cli.run("schedules", "add", "bad", "--cron", "0 25 * * *", "--job", "cli.echo")
            .expect(ExitCodes.USAGE);
    assertTrue(bad.err().startsWith("jobkit: error: cron '0 25 * * *': "), bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
  }
}
