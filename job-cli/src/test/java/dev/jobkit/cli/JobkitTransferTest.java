package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit backup}, {@code export}, {@code import} and {@code migrate}. */
class JobkitTransferTest {
  @TempDir Path dir;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  /** A database with a completed, a failed, a scheduled and a paused job, tags and a key. */
  private CliHarness filled() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String echo = cli.submit("cli.echo", "{\"text\":\"hi\",\"lines\":2}", "--tag", "a");
    String flaky = cli.submit("cli.flaky", "{\"failTimes\":1,\"nonRetryable\":true}");
    cli.submit("cli.echo", "{\"text\":\"later\"}", "--delay", "1h", "--key", "k1", "--tag", "b");
    String paused = cli.submit("cli.echo", "{\"text\":\"paused\"}", "--priority", "HIGH");
    cli.run("pause", paused).ok();
    try (JobManager w = cli.workers()) {
      CliHarness.await(w, echo, JobState.COMPLETED);
      CliHarness.await(w, flaky, JobState.FAILED);
    }
    return cli;
  }

  @Test
  void backupWritesACopyThatOpensAsTheDatabaseAndRefusesToOverwriteWithoutForce() throws Exception {
    CliHarness cli = filled();
    Path copy = dir.resolve("copy.db");
    CliHarness.Result r = cli.run("backup", copy.toString()).ok();
    assertTrue(r.line().startsWith("backed up " + cli.location + " to " + copy), r.out());
    CliHarness restored = new CliHarness(copy);
    assertEquals(cli.run("list", "--json").ok().out(), restored.run("list", "--json").ok().out());

    CliHarness.Result again = cli.run("backup", copy.toString()).expect(ExitCodes.USAGE);
    assertEquals(
        "jobkit: error: backup " + copy + " exists; pass --force to replace it",
        again.err().strip());
    cli.run("backup", copy.toString(), "--force").ok();
  }

  @Test
  void backupOnPostgresSaysWhatToUseInstead() {
    CliHarness cli = new CliHarness(TestDatabase.postgres());
    CliHarness.Result r = cli.run("backup", dir.resolve("x.db").toString()).expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("use pg_dump") && r.err().contains("pg_basebackup"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(dir.resolve("x.db")));
  }

  @Test
  void exportThenImportRecreatesEveryJobWithItsIdsHistoryAndState() throws Exception {
    CliHarness cli = filled();
    String export = cli.run("export").ok().out();
    List<String> lines = export.lines().toList();
    assertEquals(5, lines.size(), export);
    assertTrue(lines.get(0).startsWith("{\"format\":\"jobkit-jobs\",\"version\":1,"), lines.get(0));
    assertTrue(lines.get(1).contains("\"params\":{\"text\":\"hi\",\"lines\":2}"), lines.get(1));
    assertEquals(
        4,
        cli.run("export", "--state", "completed,failed,scheduled,paused").ok().out().lines().count()
            - 1);
    assertEquals(1, cli.run("export", "--tag", "b").ok().out().lines().count() - 1);

    Path file = dir.resolve("jobs.jsonl");
    Files.writeString(file, export);
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    assertEquals(
        "imported 4 jobs into " + copy.location, copy.run("import", file.toString()).ok().line());
    // Job for job the same, events and logs included (their ids are new, so compare without).
    assertEquals(withoutHeader(export), withoutHeader(copy.run("export").ok().out()));
    assertEquals(cli.run("list", "--json").ok().out(), copy.run("list", "--json").ok().out());

    CliHarness.Result again = copy.run("import", file.toString()).ok();
    assertTrue(again.out().contains("skipped 4 jobs whose id exists already"), again.out());
    CliHarness.Result replaced = copy.run("import", file.toString(), "--replace", "--json").ok();
    assertEquals("{\"imported\":0,\"replaced\":4,\"skipped\":0,\"requeued\":[]}", replaced.line());
  }

  @Test
  void exportThenImportCarriesSchedulesWithTheirHistoryAndAWaitingJobsParents() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.run("schedules", "add", "ping", "--every", "1h", "--job", "cli.echo").ok();
    String fired = cli.run("schedules", "trigger", "ping").ok().line();
    cli.run("schedules", "pause", "ping", "--reason", "maintenance").ok();
    String parent = cli.submit("cli.echo", "{\"text\":\"parent\"}");
    String child =
        cli.submit(
            "cli.echo",
            "{\"text\":\"child\"}",
            "--depends-on",
            parent,
            "--on-parent-failure",
            "fail");
    String export = cli.run("export").ok().out();
    List<String> lines = export.lines().toList();
    assertTrue(lines.get(0).startsWith("{\"format\":\"jobkit-jobs\",\"version\":3,"), lines.get(0));
    assertTrue(lines.get(1).startsWith("{\"kind\":\"schedule\",\"name\":\"ping\""), lines.get(1));
    assertTrue(lines.get(1).contains("\"pauseReason\":\"maintenance\""), lines.get(1));
    assertTrue(lines.get(1).contains("\"jobId\":\"" + fired + "\""), lines.get(1));
    String childLine = lines.stream().filter(l -> l.contains(child)).findFirst().orElseThrow();
    assertTrue(
        childLine.contains(
            "\"parents\":[{\"id\":\""
                + parent
                + "\",\"position\":0,\"onFailure\":\"FAIL\",\"state\":\"WAITING\"}]"),
        childLine);
    assertEquals(
        "{\"format\":\"jobkit-jobs\",\"version\":1,",
        cli.run("export", "--no-schedules").ok().out().substring(0, 36));

    Path file = dir.resolve("jobs.jsonl");
    Files.writeString(file, export);
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    CliHarness.Result r = copy.run("import", file.toString()).ok();
    assertTrue(r.out().contains("imported 1 schedule\n"), r.out());
    // Schedule and history exactly as stored; jobs (with their parents) the same.
    assertEquals(withoutHeader(export), withoutHeader(copy.run("export").ok().out()));
    assertEquals(
        cli.run("schedules", "show", "ping", "--json").ok().out(),
        copy.run("schedules", "show", "ping", "--json").ok().out());

    CliHarness.Result again = copy.run("import", file.toString()).ok();
    assertTrue(
        again.out().contains("skipped 1 schedule whose name exists already (pass --replace"),
        again.out());
    CliHarness.Result replaced = copy.run("import", file.toString(), "--replace", "--json").ok();
    assertTrue(
        replaced.line().endsWith(",\"schedules\":{\"imported\":0,\"replaced\":1,\"skipped\":0}}"),
        replaced.line());
    assertEquals(withoutHeader(export), withoutHeader(copy.run("export").ok().out()));

    // The imported child waits for its imported parent, and runs once the parent completes.
    try (JobManager w = copy.workers()) {
      CliHarness.await(w, parent, JobState.COMPLETED);
      CliHarness.await(w, child, JobState.COMPLETED);
    }
  }

  @Test
  void exportThenImportCarriesARunningBatchWhoseCallbackThenRunsOnceInTheCopy() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    dev.jobkit.runtime.BatchHandle h;
    String success;
    try (JobManager client = cli.builder().noWorkers().open()) {
      h =
          client
              .batch()
              .name("echoes")
              .add("cli.echo", "{\"text\":\"a\"}")
              .add("cli.echo", "{\"text\":\"b\"}")
              .onSuccess("cli.echo", "{\"text\":\"all done\"}")
              .dispatch();
      success = h.info().onSuccessJobId().orElseThrow();
    }
    String export = cli.run("export").ok().out();
    List<String> lines = export.lines().toList();
    assertTrue(lines.get(0).startsWith("{\"format\":\"jobkit-jobs\",\"version\":4,"), lines.get(0));
    assertTrue(
        lines
            .get(1)
            .startsWith("{\"kind\":\"batch\",\"id\":\"" + h.id() + "\",\"name\":\"echoes\""),
        lines.get(1));
    assertTrue(lines.get(1).contains("\"state\":\"RUNNING\",\"total\":2,"), lines.get(1));
    String member = h.members().get(0).id();
    assertTrue(
        lines.stream().anyMatch(l -> l.contains(member) && l.contains("\"batch\":\"" + h.id())),
        export);

    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, export);
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    CliHarness.Result r = copy.run("import", file.toString()).ok();
    assertTrue(r.out().contains("imported 3 jobs into "), r.out());
    assertTrue(r.out().contains("imported 1 batch\n"), r.out());
    assertEquals(withoutHeader(export), withoutHeader(copy.run("export").ok().out()));
    CliHarness.Result again = copy.run("import", file.toString(), "--json").ok();
    assertTrue(
        again.line().endsWith(",\"batches\":{\"imported\":0,\"replaced\":0,\"skipped\":1}}"),
        again.line());
    try (JobManager w = copy.workers()) {
      CliHarness.await(w, success, JobState.COMPLETED);
      assertEquals(
          dev.jobkit.runtime.BatchState.SUCCEEDED, w.batches().get(h.id()).orElseThrow().state());
    }

    // A file of an earlier jobkit (no batch lines, no batch fields) still imports.
    String old =
        export
            .lines()
            .filter(l -> !l.startsWith("{\"kind\":\"batch\""))
            .map(
                l ->
                    l.replaceAll(",\"batch\":\"[0-9A-Z]+\"", "")
                        .replace("\"version\":4,", "\"version\":1,"))
            .collect(Collectors.joining("\n"));
    Files.writeString(file, old);
    CliHarness older = new CliHarness(dir.resolve("older.db"));
    CliHarness.Result o = older.run("import", file.toString()).ok();
    assertEquals("imported 3 jobs into " + older.location, o.line());
    try (JobManager w = older.workers()) {
      CliHarness.await(w, member, JobState.COMPLETED);
    }
  }

  @Test
  void aRunningJobIsImportedQueuedAndResumesFromItsCheckpoint() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String id = cli.submit("cli.steps", "{\"total\":3,\"delayMs\":1}");
    // As if it was exported while running, at step 2, with a lease.
    String line =
        cli.run("export")
            .ok()
            .out()
            .lines()
            .skip(1)
            .findFirst()
            .orElseThrow()
            .replace("\"state\":\"QUEUED\"", "\"state\":\"RUNNING\"")
            .replace("\"leaseOwner\":null", "\"leaseOwner\":\"gone:1:1:1\"")
            .replace("\"leaseExpiresAt\":null", "\"leaseExpiresAt\":\"2026-01-01T00:00:00Z\"")
            .replace(
                "\"checkpoint\":null,\"checkpointMsgpack\":null",
                "\"checkpoint\":{\"total\":3,\"delayMs\":1,\"next\":2,\"startedAt\":0}");
    Path file = dir.resolve("running.jsonl");
    Files.writeString(file, header() + "\n" + line + "\n");
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    CliHarness.Result r = copy.run("import", file.toString()).ok();
    assertTrue(
        r.out()
            .contains(
                "1 job RUNNING when exported was imported QUEUED and will resume from its"
                    + " checkpoint: "
                    + id),
        r.out());
    try (JobManager w = copy.workers()) {
      CliHarness.await(w, id, JobState.COMPLETED);
    }
    assertEquals("\"done 3 from 2 resumed=true\"", copy.run("results", id).ok().line());
  }

  @Test
  void aJobWhoseTypeIsNotOnTheClassPathRoundTripsExactly() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.submit("cli.echo", "{\"text\":\"x\"}");
    String line =
        cli.run("export")
            .ok()
            .out()
            .lines()
            .skip(1)
            .findFirst()
            .orElseThrow()
            .replace("\"name\":\"cli.echo\"", "\"name\":\"elsewhere.job\"");
    Path file = dir.resolve("other.jsonl");
    Files.writeString(file, header() + "\n" + line + "\n");
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    copy.run("import", file.toString()).ok();
    String again = copy.run("export").ok().out().lines().skip(1).findFirst().orElseThrow();
    // Without the class the parameters' JSON is null; the MessagePack is the same.
    assertEquals(line.replaceFirst("\"params\":\\{[^}]*\\}", "\"params\":null"), again);
  }

  @Test
  void importChecksEveryLineFirstAndNamesEachBadOne() throws Exception {
    CliHarness cli = filled();
    List<String> lines = cli.run("export").ok().out().lines().collect(Collectors.toList());
    lines.set(2, lines.get(2).replace("\"state\":\"FAILED\"", "\"state\":\"BROKEN\""));
    lines.set(3, "{not json");
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    CliHarness copy = new CliHarness(dir.resolve("copy.db"));
    CliHarness.Result r = copy.run("import", file.toString()).expect(ExitCodes.BAD_INPUT);
    List<String> errors = r.err().strip().lines().toList();
    assertEquals(2, errors.size(), r.err());
    assertTrue(errors.get(0).startsWith("jobkit: error: " + file + " line 3: job "), errors.get(0));
    assertTrue(errors.get(0).contains("\"state\" is 'BROKEN', not one of QUEUED"), errors.get(0));
    assertTrue(errors.get(1).startsWith("jobkit: error: " + file + " line 4: malformed JSON"));
    assertTrue(errors.get(1).endsWith("; nothing was imported"), errors.get(1));
    assertFalse(Files.exists(copy.db), "nothing was written, not even a database");

    Files.writeString(file, String.join("\n", lines.subList(1, 2)) + "\n");
    assertTrue(
        copy.run("import", file.toString())
            .expect(ExitCodes.BAD_INPUT)
            .err()
            .contains(file + " line 1: not the header of a jobkit export"));
  }

  @Test
  void migrateToPostgresAndBackGivesTheSameExportAndRefusesWhileAJobRuns() throws Exception {
    CliHarness cli = filled();
    cli.run("keys", "create", "--name", "ci", "--role", "viewer").ok();
    TestDatabase pg = TestDatabase.postgres();
    cli.env.putAll(new CliHarness(pg).env); // the target's login, in PGUSER and PGPASSWORD
    CliHarness.Result there = cli.run("migrate", "--to", pg.location()).ok();
    assertTrue(there.out().startsWith("migrated 4 jobs, "), there.out());
    assertTrue(there.out().contains("verified"), there.out());

    CliHarness onPg = new CliHarness(pg);
    Path back = dir.resolve("back.db");
    CliHarness.Result home = onPg.run("migrate", "--to", back.toString(), "--json").ok();
    assertTrue(home.line().contains("\"jobs\":4,"), home.out());
    assertTrue(home.line().contains("\"apiKeys\":1,"), home.out());
    CliHarness returned = new CliHarness(back);
    assertEquals(
        withoutHeaderKeepingIds(cli.run("export").ok().out()),
        withoutHeaderKeepingIds(returned.run("export").ok().out()));
    assertEquals(cli.run("keys", "list").ok().out(), returned.run("keys", "list").ok().out());

    CliHarness.Result full = cli.run("migrate", "--to", back.toString()).expect(1);
    assertTrue(full.err().contains("holds 4 job(s)"), full.err());

    String slow = cli.submit("cli.steps", "{\"total\":1000,\"delayMs\":50}");
    Path never = dir.resolve("never.db");
    try (JobManager w = cli.workers()) {
      CliHarness.await(w, slow, JobState.RUNNING);
      CliHarness.Result refused = cli.run("migrate", "--to", never.toString()).expect(1);
      assertTrue(refused.err().contains("stop every worker first"), refused.err());
      assertTrue(refused.err().contains(slow), refused.err());
    }
    assertFalse(Files.exists(never), "a refused migration leaves no file behind");
  }

  private static String header() {
    return "{\"format\":\"jobkit-jobs\",\"version\":1}";
  }

  /** The job lines, with event and log ids blanked (an import gives them new ones). */
  private static String withoutHeader(String export) {
    return export
        .lines()
        .skip(1)
        .map(l -> l.replaceAll("\\{\"id\":\\d+,\"at\"", "{\"id\":0,\"at\""))
        .collect(Collectors.joining("\n"));
  }

  private static String withoutHeaderKeepingIds(String export) {
    return export.lines().skip(1).collect(Collectors.joining("\n"));
  }
}
