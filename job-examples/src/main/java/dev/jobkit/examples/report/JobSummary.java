package dev.jobkit.examples.report;

import dev.jobkit.JobRegistry;
import dev.jobkit.examples.Summarizable;
import dev.jobkit.runtime.JobInfo;
import java.time.Duration;

/**
 * One job in a {@link Report}.
 *
 * @param id the job's id
 * @param name its job name, or {@code "?"} when no job has that id
 * @param state its state, such as {@code COMPLETED}, or {@code NOT_FOUND}
 * @param attempts attempts started
 * @param runTime from the start of its latest attempt to its end; zero while not finished
 * @param summary one line: the output's own summary for a completed job, the error otherwise
 */
public record JobSummary(
    String id, String name, String state, int attempts, Duration runTime, String summary) {
  private static final int MAX_SUMMARY = 120;

  /** The summary of a job that does not exist. */
  public static JobSummary notFound(String id) {
    return new JobSummary(id, "?", "NOT_FOUND", 0, Duration.ZERO, "no job with this id");
  }

  /**
   * Summarizes a job. A completed job whose output is {@link Summarizable} (decoded with {@code
   * registry}) describes itself; other outputs are shown as JSON, cut to a line.
   */
  public static JobSummary of(JobInfo info, JobRegistry registry) {
    Duration runTime =
        info.startedAt().isPresent() && info.finishedAt().isPresent()
            ? Duration.between(info.startedAt().get(), info.finishedAt().get())
            : Duration.ZERO;
    String summary =
        switch (info.state()) {
          case COMPLETED ->
              info.outputJson()
                  .map(json -> describe(info.name(), json, registry))
                  .orElse("completed");
          case RUNNING, PAUSED, QUEUED, SCHEDULED, WAITING_RETRY ->
              info.progressJson().map(p -> "progress " + p).orElse("not started");
          default -> info.error().orElse(info.state().name().toLowerCase(java.util.Locale.ROOT));
        };
    return new JobSummary(
        info.id(), info.name(), info.state().name(), info.attempts(), runTime, oneLine(summary));
  }

  private static String describe(String name, String json, JobRegistry registry) {
    if (registry.contains(name)) {
      Object output = registry.outputFromJson(name, json);
      if (output instanceof Summarizable s) {
        return s.summary();
      }
    }
    return json;
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY - 1) + "…";
  }
}
