package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.RetentionPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic retention from the command line (#16): {@code worker --keep-completed/--keep-failed}
 * and what {@code jobkit storage} shows of it, and {@code storage --compact}.
 */
class JobkitRetentionTest {
  @TempDir Path dir;

  /** Runs {@code n} echo jobs to completion with a clock 8 days back, so they finished then. */
  private static void completedEightDaysAgo(CliHarness cli, int n) throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(8)), ZoneOffset.UTC);
    try (JobManager old =
        cli.builder()
            .clock(past)
            .retention(RetentionPolicy.none())
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .open()) {
      List<JobHandle<?>> hs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        hs.add(old.dispatchByName("cli.echo", "{\"text\":\"x\"}"));
      }
      for (JobHandle<?> h : hs) {
        h.result().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void storageShowsThePolicyTheLastRunAndReclaimableSpace() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    cli.submit("cli.echo", "{}");
    String fresh = cli.run("storage").ok().out();
    assertTrue(
        fresh.contains(
            "\nretention never ran here; workers apply it (default: completed 7d,"
                + " failed/cancelled/timed out 30d)\n"),
        fresh);
    assertTrue(
        fresh
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "free +\\S+ \\S+ \\(\\d+ pages?, given back after"
                            + " each retention pass\\)")),
        fresh);

    completedEightDaysAgo(cli, 3);
    try (JobManager w =
        cli.builder()
            .retention(RetentionPolicy.keep(Duration.ofDays(1), RetentionPolicy.FOREVER))
            .workers("other", 1)
            .open()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> w.maintenance().lastFinished().isPresent());
    }
    String out = cli.run("storage").ok().out();
    assertTrue(out.contains("\nretention completed 1d, failed/cancelled/timed out forever\n"), out);
    assertTrue(
        out.lines()
            .anyMatch(
                l ->
                    l.matches(
                        "last run  \\S+Z for \\S+: deleted 3 jobs \\(3 completed, 0 failed,"
                            + " cancelled or timed out\\), gave back .+")),
        out);
    assertTrue(out.contains("\ndeleted   3 jobs in all by retention\n"), out);
    assertEquals(1, cli.run("list", "--json").ok().out().split("\"id\"").length - 1);

    String json = cli.run("storage", "--json").ok().out();
    assertTrue(json.contains("\"vacuum\" : \"incremental\""), json);
    assertTrue(json.contains("\"reclaimableBytes\" : "), json);
    assertTrue(json.contains("\"totalDeleted\" : 3"), json);
    assertTrue(
        json.contains("\"policy\" : \"completed 1d, failed/cancelled/timed out forever\""), json);

    String compact = cli.run("storage", "--compact").ok().out();
    assertTrue(
        compact
            .lines()
            .findFirst()
            .orElseThrow()
            .matches("compacted: gave back .+ before, .+ now\\)"),
        compact);
    assertTrue(compact.contains("(0 pages, given back"), compact);
  }

  @Test
  void keepFlagsRejectZeroAndNonsense() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String err = cli.run("worker", "--keep-completed", "0").expect(ExitCodes.USAGE).err();
    assertTrue(
        err.contains("'0' keeps nothing: give a positive duration such as 7d, or 'forever'"), err);
    cli.run("worker", "--keep-failed", "soon").expect(ExitCodes.USAGE);
  }

  @Test
  void workerFlagsSetThePolicyItApplies() throws Exception {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    completedEightDaysAgo(cli, 2);
    WorkerProcessTest.WorkerProcess w =
        WorkerProcessTest.startWorker(
            dir,
            cli.db.toAbsolutePath().toString(),
            Map.of(),
            "--workers",
            "1",
            "--keep-completed",
            "1d",
            "--keep-failed",
            "forever");
    try {
      w.await(l -> l.contains(" ready: "));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> cli.run("storage").ok().out().contains("\ndeleted   2 jobs in all"));
      assertTrue(
          cli.run("storage")
              .ok()
              .out()
              .contains("\nretention completed 1d, failed/cancelled/timed out forever\n"));
    } finally {
      w.process().toHandle().destroy();
      assertTrue(w.process().waitFor(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void benchRetentionReportsBothDrainsAndTheFileSizes() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String json = cli.run("bench", "--retention", "2000", "--workers", "1", "--json").ok().out();
    for (String key :
        List.of(
            "\"old_jobs\" : 2000",
            "\"deleted\" : 2000",
            "\"drain_with_retention_per_s\" : ",
            "\"drain_without_retention_per_s\" : ",
            "\"size_before_bytes\" : ",
            "\"size_after_bytes\" : ")) {
      assertTrue(json.contains(key), key + " in " + json);
    }
    cli.run("bench", "--retention", "-1").expect(ExitCodes.USAGE);
  }
}
