package dev.jobkit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LimitSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code jobkit status} shows of a job that waits for its rate limit (#12 limits). */
class JobkitLimitsTest {
  @TempDir Path dir;

  @Test
  void statusSaysWhenARateLimitedJobStartsNext() {
    CliHarness cli = new CliHarness(dir.resolve("jobs.db"));
    String first;
    String second;
    try (JobManager jobs =
        cli.builder()
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .limit(LimitSpec.rate("cli.echo", 1, Duration.ofHours(1)))
            .open()) {
      first = jobs.dispatchByName("cli.echo", "{\"text\":\"a\"}").id();
      second = jobs.dispatchByName("cli.echo", "{\"text\":\"b\"}").id();
      CliHarness.await(jobs, first, JobState.COMPLETED);
    }
    String status = cli.run("status", second).ok().out();
    assertTrue(status.contains("state     QUEUED"), status);
    assertTrue(
        status.matches("(?s).*\nwaiting   next start in 3[0-9.]+ s \\(rate cli\\.echo 1/1h\\)\n.*"),
        status);
    assertFalse(cli.run("status", first).ok().out().contains("waiting"));
    String json = cli.run("status", second, "--json").ok().out();
    assertTrue(
        json.matches(
            "(?s).*\"waitingFor\" *: *\"next start in 3[0-9.]+ s \\(rate cli\\.echo 1/1h\\)\".*"),
        json);
    assertTrue(
        cli.run("status", first, "--json").ok().out().matches("(?s).*\"waitingFor\" *: *null.*"));
  }
}
