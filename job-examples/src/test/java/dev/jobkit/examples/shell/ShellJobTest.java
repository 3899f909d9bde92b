package dev.jobkit.examples.shell;

import static dev.jobkit.examples.TestJobs.json;
import static dev.jobkit.examples.TestJobs.logs;
import static dev.jobkit.examples.TestJobs.output;
import static dev.jobkit.examples.TestJobs.waitForState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.LogLevel;
import dev.jobkit.examples.TestJobs;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class ShellJobTest {
  @TempDir Path tmp;

  @Test
  void streamsStdoutAsInfoAndStderrAsWarnAndRecordsTheExitCode() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "shell",
              "{\"command\": [\"sh\", \"-c\", "
                  + json("echo one; echo oops >&2; echo \"$GREETING\"; pwd")
                  + "], \"env\": {\"GREETING\":"
                  + " \"hi there\"}, \"workingDir\": "
                  + json(tmp)
                  + "}");
      ShellResult result = output(jobs, handle.id());

      assertEquals(0, result.exitCode());
      assertEquals(3, result.stdoutLines());
      assertEquals(1, result.stderrLines());
      assertEquals(tmp.toRealPath().toString(), result.lastLine());
      List<String> info = logs(jobs, handle.id(), LogLevel.INFO);
      assertTrue(info.containsAll(List.of("one", "hi there", "Exit code 0")), info.toString());
      assertEquals(List.of("oops"), logs(jobs, handle.id(), LogLevel.WARN));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aNonZeroExitFailsTheJobAtOnceUnlessAllowed() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> failing =
          jobs.dispatchByName(
              "shell", "{\"command\": [\"sh\", \"-c\", \"echo bad input >&2; exit 3\"]}");
      JobHandle<?> allowed =
          jobs.dispatchByName(
              "shell", "{\"command\": [\"sh\", \"-c\", \"exit 3\"], \"failOnNonZeroExit\": false}");

      JobInfo info = waitForState(jobs, failing.id(), JobState.FAILED);
      assertEquals(1, info.attempts(), "not retried");
      assertTrue(
          info.error().orElse("").contains("exited with code 3: bad input"),
          info.error().orElse(""));
      ShellResult result = output(jobs, allowed.id());
      assertEquals(3, result.exitCode());
    }
  }

  @Test
  void retriesAFailedCommandWhenAsked() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "shell",
              "{\"command\": [\"false\"], \"retryOnFailure\": true}",
              DispatchOptions.builder().maxAttempts(2).build());
      JobInfo info = waitForState(jobs, handle.id(), JobState.FAILED);
      assertEquals(2, info.attempts());
    }
  }

  @Test
  void aMissingProgramFailsAtOnce() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle = jobs.dispatchByName("shell", "{\"command\": [\"no-such-program-x\"]}");
      JobInfo info = waitForState(jobs, handle.id(), JobState.FAILED);
      assertEquals(1, info.attempts());
      assertTrue(info.error().orElse("").contains("cannot start no-such-program-x"));
    }
  }

  @Test
  void nullInTheCommandOrTheEnvironmentFailsAtOnceNamingIt() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> nullEnv =
          jobs.dispatchByName("shell", "{\"command\": [\"true\"], \"env\": {\"A\": null}}");
      JobHandle<?> nullArg = jobs.dispatchByName("shell", "{\"command\": [\"echo\", null]}");

      JobInfo env = waitForState(jobs, nullEnv.id(), JobState.FAILED);
      assertEquals(1, env.attempts(), "not retried");
      assertEquals(
          "dev.jobkit.NonRetryableException: shell: env 'A' is null; give it a string value,"
              + " such as \"\"",
          env.error().orElse(""));
      JobInfo arg = waitForState(jobs, nullArg.id(), JobState.FAILED);
      assertEquals(1, arg.attempts(), "not retried");
      assertEquals(
          "dev.jobkit.NonRetryableException: shell: command[1] is null; every argument must be"
              + " a string",
          arg.error().orElse(""));
    }
  }

  @Test
  void cancelKillsTheWholeProcessTree() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> handle =
          jobs.dispatchByName(
              "shell",
              "{\"command\": [\"sh\", \"-c\", \"sleep 60 & sleep 60\"], \"stopGrace\": \"PT1S\"}");
      List<ProcessHandle> sleeps = waitForSleeps(2);

      handle.cancel();
      waitForState(jobs, handle.id(), JobState.CANCELLED);
      await("both sleeps to be gone")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> sleeps.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aTimeoutKillsTheCommandAndEndsTimedOut() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      long start = System.nanoTime();
      JobHandle<?> handle =
          jobs.dispatchByName(
              "shell",
              "{\"command\": [\"sh\", \"-c\", \"trap '' TERM; sleep 60\"], \"stopGrace\": \"PT0.5S\"}",
              DispatchOptions.builder().timeout(Duration.ofSeconds(1)).build());
      List<ProcessHandle> sleeps = waitForSleeps(1);

      waitForState(jobs, handle.id(), JobState.TIMED_OUT);
      await("sleep to be gone")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> sleeps.stream().noneMatch(ProcessHandle::isAlive));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
      assertTrue(
          logs(jobs, handle.id(), LogLevel.WARN).stream()
              .anyMatch(l -> l.startsWith("Stopping the command")));
    }
  }

  /** The {@code sleep} processes this test JVM started, once there are {@code n}. */
  private static List<ProcessHandle> waitForSleeps(int n) {
    await(n + " sleep processes")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> sleeps().size() >= n);
    return sleeps();
  }

  private static List<ProcessHandle> sleeps() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().orElse("").endsWith("sleep"))
        .toList();
  }
}
