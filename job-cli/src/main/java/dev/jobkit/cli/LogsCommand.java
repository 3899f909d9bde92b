package dev.jobkit.cli;

import dev.jobkit.LogLevel;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LogQuery;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jobkit logs ID}: a job's log lines, optionally followed until the job ends or is paused.
 */
@Command(
    name = "logs",
    description = {
      "Print a job's log lines, oldest first.",
      "With --follow, keep printing new lines until the job ends or is paused."
    })
final class LogsCommand extends JobkitCommand {
  private static final int PAGE = 1000;

  @Parameters(paramLabel = "ID", description = "The job's id or a unique prefix of it.")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description = "Wait for new lines until the job ends or is paused.")
  boolean follow;

  @Option(
      names = "--level",
      paramLabel = "LEVEL",
      defaultValue = "DEBUG",
      description = "Lowest level shown: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  LogLevel level;

  @Option(
      names = "--grep",
      paramLabel = "REGEX",
      description = "Only lines whose message matches REGEX.")
  String grep;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (then follow).")
  Integer tail;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "500ms",
      description = "How often --follow polls. Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--json", description = "Print one JSON object per line.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    Pattern pattern = compile();
    if (tail != null && tail < 0) {
      throw new CliException(ExitCodes.USAGE, "--tail must not be negative, got " + tail);
    }
    try (JobManager jobs = jobkit.openClient(false)) {
      String jobId = find(jobs, id).id();
      long after = 0;
      boolean first = true;
      while (true) {
        // Read the state before the lines: lines written before the job ended are then all seen.
        JobState state = jobs.job(jobId).map(JobInfo::state).orElse(null);
        boolean ended = state == null || StatusCommand.ended(state);
        Deque<JobLogLine> batch = new ArrayDeque<>();
        while (true) {
          List<JobLogLine> page =
              jobs.logs(jobId, LogQuery.all().minLevel(level).after(after).limit(PAGE));
          for (JobLogLine l : page) {
            after = l.id();
            if (pattern == null || pattern.matcher(l.message()).find()) {
              batch.addLast(l);
              if (first && tail != null && batch.size() > tail) {
                batch.removeFirst();
              }
            }
          }
          if (page.size() < PAGE) {
            break;
          }
        }
        first = false;
        print(batch);
        if (!follow || ended) {
          if (follow && state != null && !state.isTerminal()) {
            err().println(StatusCommand.waitingHint(jobId, state));
          }
          return ExitCodes.OK;
        }
        Thread.sleep(interval.toMillis());
      }
    }
  }

  private Pattern compile() {
    if (grep == null) {
      return null;
    }
    try {
      return Pattern.compile(grep);
    } catch (PatternSyntaxException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "--grep: invalid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " of '"
              + grep
              + "'");
    }
  }

  private void print(Deque<JobLogLine> lines) {
    PrintWriter out = out();
    Style style = style();
    for (JobLogLine l : lines) {
      if (json) {
        Json.write(
            out,
            true,
            g -> {
              g.writeStartObject();
              g.writeNumberField("id", l.id());
              g.writeStringField("at", l.at().toString());
              g.writeStringField("level", l.level().name());
              g.writeNumberField("attempt", l.attempt());
              g.writeStringField("message", l.message());
              g.writeEndObject();
            });
      } else {
        out.println(
            style.dim(l.at().toString())
                + " "
                + style.level(l.level(), String.format("%-5s", l.level()))
                + " "
                + style.dim("[" + l.attempt() + "]")
                + " "
                + l.message());
      }
    }
    out.flush();
  }
}
