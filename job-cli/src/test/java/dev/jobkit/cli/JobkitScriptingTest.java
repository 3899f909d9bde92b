package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What scripts rely on: JSON output of {@code submit}, the control commands and {@code results},
 * parameters from standard input, and watches that stop when a job is paused.
 */
class JobkitScriptingTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  @Test
  void submitReadsParametersFromStandardInput() throws Exception {
    cli.stdin = "{\n  \"text\": \"from stdin\",\n  \"lines\": 2\n}\n";
    String id = cli.run("submit", "cli.echo", "--json-file", "-").ok().line();
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, id, JobState.COMPLETED);
    }
    assertEquals("\"FROM STDIN\"", cli.run("results", id).ok().line());

    cli.stdin = "{\"text\": 1}";
    CliHarness.Result mistyped =
        cli.run("submit", "cli.echo", "--json-file", "-").expect(ExitCodes.BAD_INPUT);
    assertTrue(
        mistyped.err().contains("$.text") && mistyped.err().contains("line 1, column"),
        mistyped.err());

    cli.stdin = "  \n";
    CliHarness.Result empty =
        cli.run("submit", "cli.echo", "--json-file", "-").expect(ExitCodes.BAD_INPUT);
    assertEquals(
        "jobkit: error: --json-file -: standard input is empty; for no parameters pass {}",
        empty.err().strip());
  }

  @Test
  void submitPrintJsonPrintsTheJobAsStatusDoes() {
    String out =
        cli.run(
                "submit",
                "cli.echo",
                "--json",
                "{\"text\":\"x\"}",
                "--print-json",
                "--tag",
                "t",
                "--delay",
                "1h",
                "--key",
                "k1")
            .ok()
            .out();
    assertTrue(out.strip().startsWith("{") && out.strip().endsWith("}"), out);
    String id = out.replaceAll("(?s).*\"id\" : \"([0-9A-Z]{26})\".*", "$1");
    assertEquals(26, id.length(), out);
    assertTrue(out.contains("\"name\" : \"cli.echo\""), out);
    assertTrue(out.contains("\"state\" : \"SCHEDULED\""), out);
    assertTrue(out.contains("\"tags\" : [ \"t\" ]"), out);
    // Same shape as status --json, apart from nothing.
    assertEquals(cli.run("status", id, "--json").ok().out(), out);
    // An idempotency key hit prints the first job.
    String again =
        cli.run("submit", "cli.echo", "--json", "{}", "--print-json", "--key", "k1").ok().out();
    assertEquals(out, again);
  }

  @Test
  void controlCommandsPrintJson() throws Exception {
    String id = cli.submit("cli.echo", "{}", "--delay", "1h");
    assertEquals(
        control(id, "pause", "SCHEDULED", "PAUSED", true, false),
        cli.run("pause", id.substring(0, 13), "--json").ok().line());
    assertEquals(
        control(id, "pause", "PAUSED", "PAUSED", false, false),
        cli.run("pause", id, "--json").ok().line());
    assertEquals(
        control(id, "resume", "PAUSED", "SCHEDULED", true, false),
        cli.run("resume", id, "--json").ok().line());
    assertEquals(
        control(id, "cancel", "SCHEDULED", "CANCELLED", true, false),
        cli.run("cancel", id, "--json").ok().line());
    assertEquals(
        control(id, "retry", "CANCELLED", "QUEUED", true, false),
        cli.run("retry", id, "--json").ok().line());
    assertEquals(
        control(id, "retry", "QUEUED", "QUEUED", false, false),
        cli.run("retry", id, "--json").ok().line());

    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, id, JobState.COMPLETED);
    }
    CliHarness.Result refused = cli.run("cancel", id, "--json").expect(ExitCodes.JOB_NOT_COMPLETED);
    assertEquals("", refused.out(), "a refused call prints no JSON");
    assertTrue(
        refused.err().startsWith("jobkit: error: job " + id + ": cannot cancel"), refused.err());
    assertEquals("", cli.run("pause", "7ZZZZZZ", "--json").expect(ExitCodes.NOT_FOUND).out());
  }

  private static String control(
      String id, String action, String before, String after, boolean applied, boolean pending) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\"cli.echo\",\"action\":\""
        + action
        + "\",\"previousState\":\""
        + before
        + "\",\"state\":\""
        + after
        + "\",\"applied\":"
        + applied
        + ",\"pending\":"
        + pending
        + "}";
  }

  @Test
  void resultsJsonIsTheOutputItself() throws Exception {
    String id = cli.submit("cli.echo", "{\"text\":\"out\"}");
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, id, JobState.COMPLETED);
    }
    assertEquals("\"OUT\"", cli.run("results", id, "--json").ok().line());
    Path file = dir.resolve("out.json");
    assertEquals(
        "{\"id\":\"" + id + "\",\"out\":\"" + file.toString().replace("\\", "\\\\") + "\"}",
        cli.run("results", id, "--json", "--out", file.toString()).ok().line());
    assertEquals("\"OUT\"", Files.readString(file).strip());
  }

  @Test
  void watchAndFollowStopWhenTheJobIsPaused() throws Exception {
    String id = cli.submit("cli.steps", "{\"total\":120,\"delayMs\":25}");
    try (JobManager jobs = cli.workers()) {
      CompletableFuture<CliHarness.Result> watch =
          CompletableFuture.supplyAsync(
              () -> cli.run("status", id, "--watch", "--interval", "30ms"));
      CompletableFuture<CliHarness.Result> follow =
          CompletableFuture.supplyAsync(
              () -> cli.run("logs", id, "--follow", "--interval", "30ms", "--tail", "1"));
      awaitProgress(jobs, id);

      // Paused from another process, as an operator would: the worker stops at its next
      // checkInterrupt() once its heartbeat reads the request.
      String paused = cli.run("pause", id, "--json").ok().line();
      // Usually still RUNNING with the stop pending; PAUSED if the worker was quicker.
      assertTrue(
          paused.endsWith(
                  "\"previousState\":\"RUNNING\",\"state\":\"RUNNING\","
                      + "\"applied\":true,\"pending\":true}")
              || paused.endsWith(
                  "\"previousState\":\"RUNNING\","
                      + "\"state\":\"PAUSED\",\"applied\":true,\"pending\":false}"),
          paused);
      CliHarness.await(jobs, id, JobState.PAUSED);

      CliHarness.Result w = watch.get(15, TimeUnit.SECONDS).expect(ExitCodes.JOB_NOT_COMPLETED);
      assertTrue(w.out().lines().anyMatch(l -> l.startsWith("RUNNING ")), w.out());
      assertTrue(w.out().lines().anyMatch(l -> l.startsWith("PAUSED ")), w.out());
      assertTrue(w.out().contains("state     PAUSED"), w.out());
      assertEquals(
          "jobkit: job "
              + id
              + " is PAUSED; it does not run again until 'jobkit resume "
              + id
              + "'",
          w.err().strip());

      CliHarness.Result f = follow.get(15, TimeUnit.SECONDS).ok();
      assertTrue(f.out().lines().anyMatch(l -> l.matches(".* \\[1\\] item \\d+")), f.out());
      assertTrue(
          f.err().contains("is PAUSED; it does not run again until 'jobkit resume"), f.err());

      // Started on a paused job, the watch ends at once; with --json only the object is printed.
      CliHarness.Result j =
          cli.run("status", id, "--watch", "--json").expect(ExitCodes.JOB_NOT_COMPLETED);
      assertTrue(
          j.out().strip().startsWith("{") && j.out().contains("\"state\" : \"PAUSED\""), j.out());

      // Resumed, it runs to the end and the watch then succeeds.
      cli.run("resume", id).ok();
      String out = cli.run("status", id, "--watch", "--interval", "30ms").ok().out();
      assertTrue(out.contains("state     COMPLETED"), out);
      assertTrue(out.contains("resumed=true"), out);
    }
  }

  private static void awaitProgress(JobManager jobs, String id) {
    Awaitility.await("job " + id + " running with progress")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> jobs.job(id).orElseThrow(),
            j -> j.state() == JobState.RUNNING && j.progressJson().isPresent());
  }
}
