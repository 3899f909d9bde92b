package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobParent;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.OnParentFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit submit --depends-on} and what {@code jobkit status} shows of it (#12). */
class JobkitDependenciesTest {
  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir.resolve("jobs.db"));
  }

  @Test
  void submitWithDependsOnWaitsAndStatusShowsWhatTheJobWaitsFor() {
    String a = cli.submit("cli.echo", "{\"text\":\"a\"}");
    String b = cli.submit("cli.echo", "{\"text\":\"b\"}");
    // Ids or unique prefixes, comma-separated or repeated.
    String c =
        cli.submit(
            "cli.echo",
            "{\"text\":\"c\"}",
            "--depends-on",
            a + "," + b.substring(0, 20),
            "--on-parent-failure",
            "run-anyway");
    String status = cli.run("status", c).ok().out();
    assertTrue(status.contains("state     WAITING"), status);
    assertTrue(status.contains("parents   2, 2 not done"), status);
    assertTrue(
        status.contains("waits for " + a + " cli.echo QUEUED (on failure: run-anyway)"), status);
    assertTrue(status.contains("waits for " + b + " cli.echo QUEUED"), status);
    assertTrue(cli.run("status", c, "--json").ok().out().contains("\"state\" : \"WAITING\""));

    try (JobManager jobs = cli.workers()) {
      CliHarness.await(jobs, c, JobState.COMPLETED);
      List<JobParent> parents = jobs.parents(c);
      assertEquals(List.of(a, b), parents.stream().map(JobParent::id).toList());
      assertTrue(parents.stream().allMatch(p -> p.onFailure() == OnParentFailure.RUN_ANYWAY));
    }
    String done = cli.run("status", c).ok().out();
    assertTrue(done.contains("parents   2, all done"), done);
    assertFalse(done.contains("waits for"), done);
  }

  @Test
  void badParentsAreRefusedWithOneLineAndNothingIsStored() {
    String a = cli.submit("cli.echo", "{}");
    CliHarness.Result r =
        cli.run("submit", "cli.echo", "--json", "{}", "--depends-on", "01ZZZZZZZZ")
            .expect(ExitCodes.NOT_FOUND);
    assertTrue(r.err().contains("--depends-on: no job with id or id prefix '01ZZZZZZZZ'"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());

    r =
        cli.run("submit", "cli.echo", "--json", "{}", "--on-parent-failure", "fail")
            .expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("--on-parent-failure needs --depends-on"), r.err());

    r =
        cli.run(
                "submit",
                "cli.echo",
                "--json",
                "{}",
                "--depends-on",
                a,
                "--on-parent-failure",
                "ignore")
            .expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("use cancel, fail or run-anyway"), r.err());
    assertEquals(1, cli.run("list", "--json").ok().out().split("\"id\"").length - 1);
  }
}
