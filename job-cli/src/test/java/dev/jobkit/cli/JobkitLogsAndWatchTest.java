package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logs} and {@code status --watch} against jobs run by an in-process worker. */
class JobkitLogsAndWatchTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  @Test
  void logsFilterByLevelRegexAndTail() throws Exception {
    String id = cli.submit("cli.echo", "{\"text\":\"x\",\"lines\":12}");
    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, id, JobState.COMPLETED);
    }
    List<String> all = cli.run("logs", id).ok().out().lines().toList();
    assertEquals(13, all.size(), all.toString());
    assertTrue(all.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z INFO  \\[1\\] line 1"), all.get(0));
    assertTrue(all.get(12).endsWith("WARN  [1] careful with x"), all.get(12));

    assertEquals(List.of("careful with x"), messages(cli.run("logs", id, "--level", "warn")));
    assertEquals(
        List.of("line 1", "line 10", "line 11", "line 12"),
        messages(cli.run("logs", id, "--grep", "^line 1")));
    assertEquals(
        List.of("line 12", "careful with x"), messages(cli.run("logs", id, "--tail", "2")));
    assertEquals(
        List.of("line 11", "line 12"),
        messages(cli.run("logs", id, "--tail", "2", "--grep", "line")));

    List<String> json = cli.run("logs", id, "--json", "--tail", "1").ok().out().lines().toList();
    assertEquals(1, json.size());
    assertTrue(
        json.get(0)
            .matches(
                "\\{\"id\":\\d+,\"at\":\"[^\"]+\",\"level\":\"WARN\","
                    + "\"attempt\":1,\"message\":\"careful with x\"}"),
        json.get(0));

    assertTrue(
        cli.run("logs", id, "--grep", "(")
            .expect(ExitCodes.USAGE)
            .err()
            .contains("--grep: invalid regular expression"));
    cli.run("logs", "7ZZZZZZZ").expect(ExitCodes.NOT_FOUND);
  }

  private static List<String> messages(CliHarness.Result r) {
    return r.ok().out().lines().map(l -> l.replaceFirst("^\\S+ \\S+ +\\[\\d+\\] ", "")).toList();
  }

  @Test
  void logsFollowUntilTheJobEnds() throws Exception {
    String id = cli.submit("cli.steps", "{\"total\":8,\"delayMs\":60}");
    try (JobManager jobs = cli.workers()) {
      CliHarness.Result r = cli.run("logs", id, "--follow", "--interval", "50ms").ok();
      List<String> items = messages(r);
      assertEquals(8, items.size(), r.out());
      assertEquals("item 8", items.get(7));
      assertEquals(JobState.COMPLETED, jobs.job(id).orElseThrow().state());
    }
  }

  @Test
  void watchFollowsProgressAndExitsWithTheFinalState() throws Exception {
    String id = cli.submit("cli.steps", "{\"total\":10,\"delayMs\":60}");
    String failing = cli.submit("cli.flaky", "{\"nonRetryable\":true}");
    try (JobManager jobs = cli.workers()) {
      assertTrue(jobs.health().isHealthy());
      CliHarness.Result r = cli.run("status", id, "--watch", "--interval", "40ms").ok();
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith("RUNNING ")), r.out());
      assertTrue(
          r.out()
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith(
                          "COMPLETED     [##############################] 100.0%  10/10 items")),
          r.out());
      assertTrue(r.out().contains("state     COMPLETED"), r.out());
      assertTrue(r.out().contains("output    \"done 10 from 0 resumed=false\""), r.out());

      CliHarness.Result f = cli.run("status", failing, "--watch", "--interval", "40ms");
      f.expect(ExitCodes.JOB_NOT_COMPLETED);
      assertTrue(f.out().contains("state     FAILED"), f.out());

      String json = cli.run("status", failing, "--watch", "--json").expect(1).out();
      assertTrue(json.trim().startsWith("{") && json.contains("\"state\" : \"FAILED\""), json);
    }
  }

  @Test
  void watchRedrawsOneLineOnATerminal() throws Exception {
    cli.terminal = true;
    cli.env.put("NO_COLOR", "1");
    String id = cli.submit("cli.steps", "{\"total\":5,\"delayMs\":50}");
    try (JobManager jobs = cli.workers()) {
      assertTrue(jobs.health().isHealthy());
      String out = cli.run("status", id, "--watch", "--interval", "30ms").ok().out();
      assertTrue(out.startsWith("\r\u001b[2K"), out);
      assertTrue(out.contains("\r\u001b[2KCOMPLETED     [####"), out);
      assertTrue(out.lines().anyMatch(l -> l.startsWith("state     COMPLETED")), out);
    }
  }

  @Test
  void rateAndEtaComeFromSamples() {
    ProgressView p1 =
        ProgressView.parse(
                java.util.Optional.of(
                    "{\"kind\":\"COUNT\",\"percent\":25.0,\"done\":25,\"total\":100,\"unit\":\"files\"}"))
            .orElseThrow();
    ProgressView p2 =
        ProgressView.parse(
                java.util.Optional.of(
                    "{\"kind\":\"COUNT\",\"percent\":50.0,\"done\":50,\"total\":100,\"unit\":\"files\","
                        + "\"message\":\"copying\",\"details\":{\"a\":{\"b\":1}}}"))
            .orElseThrow();
    ProgressView.Rate rate = new ProgressView.Rate();
    rate.sample(0, p1);
    assertEquals("[#####...............]  25.0%  25/100 files", p1.line(20, rate));
    rate.sample(5_000_000_000L, p2);
    assertEquals(
        "[##########..........]  50.0%  50/100 files  5.0 files/s  ETA 10s  copying",
        p2.line(20, rate));
    assertEquals("50% 50/100 files", p2.brief());
    ProgressView pct =
        ProgressView.parse(java.util.Optional.of("{\"kind\":\"PERCENT\",\"percent\":12.5}"))
            .orElseThrow();
    assertEquals("13%", pct.brief());
    assertEquals(
        "waiting",
        ProgressView.parse(
                java.util.Optional.of("{\"kind\":\"INDETERMINATE\",\"message\":\"waiting\"}"))
            .orElseThrow()
            .brief());
    assertTrue(ProgressView.parse(java.util.Optional.of("not json")).isEmpty());
  }
}
