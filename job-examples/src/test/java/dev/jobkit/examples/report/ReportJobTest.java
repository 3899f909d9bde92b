package dev.jobkit.examples.report;

import static dev.jobkit.examples.TestJobs.json;
import static dev.jobkit.examples.TestJobs.output;
import static dev.jobkit.examples.TestJobs.waitForState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.examples.TestJobs;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class ReportJobTest {
  @TempDir Path tmp;

  @Test
  void summarizesEarlierJobsFromTheirStoredOutputs() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      String ok = jobs.dispatchByName("shell", "{\"command\": [\"echo\", \"hello\"]}").id();
      String failed = jobs.dispatchByName("shell", "{\"command\": [\"false\"]}").id();
      waitForState(jobs, ok, JobState.COMPLETED);
      waitForState(jobs, failed, JobState.FAILED);

      JobHandle<?> report =
          jobs.dispatchByName(
              "report",
              "{\"database\": "
                  + json(tmp.resolve("jobs.db"))
                  + ", \"jobIds\": ["
                  + json(ok)
                  + ", "
                  + json(failed)
                  + ", \"nope\"]}");
      Report r = output(jobs, report.id());

      assertEquals(3, r.total());
      assertEquals(Map.of("COMPLETED", 1L, "FAILED", 1L, "NOT_FOUND", 1L), r.byState());
      JobSummary first = r.jobs().get(0);
      assertEquals(ok, first.id());
      assertEquals("shell", first.name());
      assertEquals(1, first.attempts());
      assertTrue(
          first.summary().startsWith("exit 0 after ") && first.summary().endsWith(": hello"),
          first.summary());
      assertTrue(
          r.jobs().get(1).summary().contains("exited with code 1"), r.jobs().get(1).summary());
      assertEquals("NOT_FOUND", r.jobs().get(2).state());
      assertEquals("3 jobs: 1 COMPLETED, 1 FAILED, 1 NOT_FOUND", r.summary());
    }
  }

  @Test
  void aMissingDatabaseFailsAtOnce() {
    try (JobManager jobs = TestJobs.open(tmp)) {
      JobHandle<?> report =
          jobs.dispatchByName(
              "report",
              "{\"database\": " + json(tmp.resolve("nope.db")) + ", \"jobIds\": [\"x\"]}");
      assertTrue(
          waitForState(jobs, report.id(), JobState.FAILED)
              .error()
              .orElse("")
              .contains("must be an existing job database"));
    }
  }
}
