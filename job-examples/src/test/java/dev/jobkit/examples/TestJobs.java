package dev.jobkit.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.JobRegistry;
import dev.jobkit.LogLevel;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LogQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the example jobs' tests. */
public final class TestJobs {
  private static final JobRegistry REGISTRY = JobRegistry.load();

  private TestJobs() {}

  /** A manager on {@code dir/jobs.db} with two workers and quick polling. */
  public static JobManager open(Path dir) {
    return JobManager.builder()
        .database(dir.resolve("jobs.db"))
        .workers("default", 2)
        .pollInterval(Duration.ofMillis(100))
        .progressInterval(Duration.ofMillis(50))
        .backoff(Duration.ofMillis(100), Duration.ofMillis(200))
        .open();
  }

  /** {@code s} as a JSON string literal. */
  public static String json(Object s) {
    return "\"" + String.valueOf(s).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Waits for the job to reach one of {@code states} and returns it. */
  public static JobInfo waitForState(JobManager jobs, String id, JobState... states) {
    List<JobState> wanted = Arrays.asList(states);
    return await("job " + id + " to be " + wanted)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> jobs.job(id).orElseThrow(), j -> wanted.contains(j.state()));
  }

  /** Waits for the job to complete and returns its output, decoded. */
  public static <O> O output(JobManager jobs, String id) {
    JobInfo info =
        waitForState(
            jobs,
            id,
            JobState.COMPLETED,
            JobState.FAILED,
            JobState.CANCELLED,
            JobState.TIMED_OUT,
            JobState.QUARANTINED);
    if (info.state() != JobState.COMPLETED) {
      fail("job " + id + " ended " + info.state() + ": " + info.error().orElse(""));
    }
    return REGISTRY.outputFromJson(info.name(), info.outputJson().orElseThrow());
  }

  /**
   * A number in the job's stored progress JSON, such as {@code "done"} or a detail like {@code
   * "pages"}; 0 while there is none.
   */
  public static long progress(JobManager jobs, String id, String key) {
    String json = jobs.job(id).flatMap(JobInfo::progressJson).orElse("");
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** Every log line of the job, at DEBUG and above, once they are all written. */
  public static List<String> logs(JobManager jobs, String id) {
    return jobs.logs(id, LogQuery.all().limit(LogQuery.MAX_LIMIT)).stream()
        .map(JobLogLine::message)
        .toList();
  }

  /** Every log line of the job at exactly {@code level}. */
  public static List<String> logs(JobManager jobs, String id, LogLevel level) {
    return jobs.logs(id, LogQuery.all().minLevel(level).limit(LogQuery.MAX_LIMIT)).stream()
        .filter(l -> l.level() == level)
        .map(JobLogLine::message)
        .toList();
  }
}
