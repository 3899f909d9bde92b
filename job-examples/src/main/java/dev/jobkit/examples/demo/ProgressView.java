package dev.jobkit.examples.demo;

import dev.jobkit.JobRegistry;
import dev.jobkit.examples.report.JobSummary;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobState;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shows one line per job with its state and progress, as read from the database.
 *
 * <p>On a terminal the lines are redrawn in place. Otherwise (a pipe, a log file, a test) a job's
 * line is printed again only when its state changes, or at most once a second while its progress
 * moves, so the output stays readable.
 */
final class ProgressView {
  private static final long PLAIN_INTERVAL_MS = 1000;
  private static final int BAR_WIDTH = 20;

  private final PrintWriter out;
  private final boolean terminal;
  private final JobRegistry registry;
  private final Map<String, String> shown = new HashMap<>();
  private final Map<String, Long> shownAt = new HashMap<>();
  private int linesDrawn;

  ProgressView(PrintWriter out, boolean terminal, JobRegistry registry) {
    this.out = out;
    this.terminal = terminal;
    this.registry = registry;
  }

  /** Shows the jobs' current lines. */
  void show(List<JobInfo> jobs) {
    if (terminal) {
      redraw(jobs);
      return;
    }
    long now = System.currentTimeMillis();
    for (JobInfo job : jobs) {
      String line = line(job);
      String before = shown.get(job.id());
      boolean stateChanged = before == null || !before.startsWith(prefix(job));
      boolean due = now - shownAt.getOrDefault(job.id(), 0L) >= PLAIN_INTERVAL_MS;
      if (!line.equals(before) && (stateChanged || due)) {
        out.println(line);
        shown.put(job.id(), line);
        shownAt.put(job.id(), now);
      }
    }
    out.flush();
  }

  /** Ends the live view: the next output starts below it. */
  void stop() {
    linesDrawn = 0;
    shown.clear();
    shownAt.clear();
  }

  private void redraw(List<JobInfo> jobs) {
    if (linesDrawn > 0) {
      out.print("\033[" + linesDrawn + "A"); // cursor up to the first line drawn
    }
    for (JobInfo job : jobs) {
      out.print("\033[2K"); // clear the line
      out.println(line(job));
    }
    linesDrawn = jobs.size();
    out.flush();
  }

  private static String prefix(JobInfo job) {
    return String.format(Locale.ROOT, "      %-10s  %-9s", job.name(), job.state());
  }

  /** {@code file_copy RUNNING [#######.............] 35% 42/120 files}. */
  String line(JobInfo job) {
    String detail;
    if (job.state() == JobState.COMPLETED || job.state().isTerminal()) {
      detail = JobSummary.of(job, registry).summary();
    } else {
      detail = job.progressJson().map(ProgressView::describe).orElse("");
    }
    return prefix(job) + " " + detail;
  }

  /** A progress JSON as the runtime stores it, in words: a bar for counts, else its message. */
  static String describe(String progressJson) {
    Long done = number(progressJson, "done");
    Long total = number(progressJson, "total");
    String message = string(progressJson, "message");
    if (done != null && total != null && total > 0) {
      int filled = (int) (BAR_WIDTH * done / total);
      String unit = string(progressJson, "unit");
      return "["
          + "#".repeat(filled)
          + ".".repeat(BAR_WIDTH - filled)
          + "] "
          + String.format(Locale.ROOT, "%3d%% %d/%d", 100 * done / total, done, total)
          + (unit == null ? "" : " " + unit);
    }
    return message == null ? "" : message;
  }

  private static Long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
    return m.find() ? Long.valueOf(m.group(1)) : null;
  }

  private static String string(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
  }
}
