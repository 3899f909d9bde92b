package dev.jobkit.cli;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobParent;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.OnParentFailure;
import dev.jobkit.runtime.Tenants;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobkit status ID [--watch]}: one job's details, or its live progress. */
@Command(
    name = "status",
    description = {
      "Show a job's details.",
      "With --watch, redraw its progress with rate and ETA until it ends or is paused; the exit code "
          + "is then 0 if it completed and 1 otherwise."
    })
final class StatusCommand extends JobkitCommand {
  private static final int OUTPUT_PREVIEW = 200;

  @Parameters(paramLabel = "ID", description = "The job's id or a unique prefix of it.")
  String id;

  @Option(
      names = {"-w", "--watch"},
      description = "Follow the job until it ends or is paused.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "500ms",
      description = "How often --watch reads the job. Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(
      names = "--json",
      description = "Print the job as a JSON object (with --watch: once it ends).")
  boolean json;

  /**
   * Prints {@code j} as {@code status --json} does (also {@code submit --print-json}): the job's
   * fields, then {@code batch} and {@code waitingFor} (#12), what the text's batch and waiting
   * lines say, or null.
   */
  static void printJson(java.io.PrintWriter out, JobManager jobs, JobInfo j) {
    String batch = jobs.batches().batchOf(j.id()).orElse(null);
    String waiting = jobs.waitingReason(j.id()).orElse(null);
    Json.write(
        out,
        false,
        g ->
            Json.job(
                g,
                j,
                more -> {
                  more.writeStringField("batch", batch);
                  more.writeStringField("waitingFor", waiting);
                }));
  }

  @Override
  public Integer call() throws InterruptedException {
    try (JobManager jobs = jobkit.openClient(false)) {
      JobInfo job = find(jobs, id);
      if (watch) {
        job = watch(jobs, job);
      }
      if (json) {
        printJson(out(), jobs, job);
      } else {
        details(job);
        parents(jobs, job); // #12 dependencies
        jobs.batches() // #12 batches
            .batchOf(job.id())
            .ifPresent(b -> out().println("batch     " + b + " (jobkit batches show " + b + ")"));
        // #12 limits: why a due job does not start.
        jobs.waitingReason(job.id()).ifPresent(w -> out().println("waiting   " + w));
      }
      if (!watch) {
        return ExitCodes.OK;
      }
      if (!job.state().isTerminal()) {
        err().println(waitingHint(job.id(), job.state()));
      }
      return job.state() == JobState.COMPLETED ? ExitCodes.OK : ExitCodes.JOB_NOT_COMPLETED;
    }
  }

  /**
   * Whether {@code --watch} (and {@code logs --follow}) stops at this state: terminal, or waiting
   * for an operator: quarantined until someone retries it, paused until someone resumes it.
   */
  static boolean ended(JobState s) {
    return s.isTerminal() || s == JobState.QUARANTINED || s == JobState.PAUSED;
  }

  /**
   * The stderr line for a watch that stopped at a state waiting for an operator. Not an error of
   * the command, so not an {@code error:} line.
   */
  static String waitingHint(String id, JobState state) {
    return "jobkit: job "
        + id
        + " is "
        + state
        + "; it does not run again until 'jobkit "
        + (state == JobState.PAUSED ? "resume " : "retry ")
        + id
        + "'";
  }

  private JobInfo watch(JobManager jobs, JobInfo job) throws InterruptedException {
    PrintWriter out = out();
    boolean redraw = jobkit.terminal() && !json;
    ProgressView.Rate rate = new ProgressView.Rate();
    String lastPrinted = null;
    while (true) {
      Optional<ProgressView> progress = ProgressView.parse(job.progressJson());
      progress.ifPresent(p -> rate.sample(System.nanoTime(), p));
      if (!json) {
        String state = style().state(job.state(), String.format("%-13s", job.state()));
        String line = state + " " + progress.map(p -> p.line(30, rate)).orElse("");
        if (redraw) {
          out.print("\r\u001b[2K" + line.stripTrailing());
          out.flush();
        } else {
          // Not a terminal: one line per change of state or progress, without the moving rate.
          String key = job.state() + " " + progress.map(ProgressView::brief).orElse("");
          if (!key.equals(lastPrinted)) {
            out.println(line.stripTrailing());
            lastPrinted = key;
          }
        }
      }
      if (ended(job.state())) {
        break;
      }
      Thread.sleep(interval.toMillis());
      String fullId = job.id();
      job =
          jobs.job(fullId)
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.NOT_FOUND,
                          "job " + fullId + " was deleted while being watched"));
    }
    if (redraw) {
      out.println();
    }
    return job;
  }

  private void details(JobInfo j) {
    PrintWriter out = out();
    Style s = style();
    out.println("id        " + s.bold(j.id()));
    out.println("name      " + j.name());
    if (!j.tenant().equals(Tenants.DEFAULT)) { // #14 tenants
      out.println("tenant    " + j.tenant());
    }
    out.println("state     " + s.state(j.state(), j.state().name()));
    out.println("queue     " + j.queue() + " (priority " + j.priority() + ")");
    out.println("attempts  " + j.attempts() + " of " + j.maxAttempts());
    if (!j.tags().isEmpty()) {
      out.println("tags      " + String.join(", ", j.tags()));
    }
    out.println("created   " + time(j.createdAt()) + " (" + ago(j.createdAt()) + ")");
    j.startedAt().ifPresent(at -> out.println("started   " + time(at) + " (" + ago(at) + ")"));
    j.finishedAt()
        .ifPresent(
            at ->
                out.println(
                    "finished  "
                        + time(at)
                        + j.startedAt()
                            .map(st -> " (ran " + Durations.format(Duration.between(st, at)) + ")")
                            .orElse("")));
    ProgressView.parse(j.progressJson())
        .ifPresent(p -> out.println("progress  " + p.line(30, new ProgressView.Rate())));
    j.error().ifPresent(e -> out.println("error     " + s.red(e)));
    j.outputJson()
        .ifPresent(
            o ->
                out.println(
                    "output    "
                        + (o.length() <= OUTPUT_PREVIEW
                            ? o
                            : o.substring(0, OUTPUT_PREVIEW)
                                + "... (the whole: jobkit results "
                                + j.id()
                                + ")")));
  }

  // #12 dependencies
  /** What the job waits for: its parents that have not completed, and how many it had. */
  private void parents(JobManager jobs, JobInfo j) {
    List<JobParent> parents = jobs.parents(j.id());
    if (parents.isEmpty()) {
      return;
    }
    List<JobParent> open = parents.stream().filter(p -> !p.satisfied()).toList();
    PrintWriter out = out();
    out.println(
        "parents   "
            + parents.size()
            + (open.isEmpty() ? ", all done" : ", " + open.size() + " not done"));
    if (j.state() != JobState.WAITING) {
      return;
    }
    for (JobParent p : open) {
      out.println(
          "waits for "
              + p.id()
              + " "
              + p.name().orElse("(deleted)")
              + " "
              + p.state().map(s -> style().state(s, s.name())).orElse("")
              + (p.onFailure() == OnParentFailure.CANCEL
                  ? ""
                  : " (on failure: "
                      + p.onFailure().name().toLowerCase(Locale.ROOT).replace('_', '-')
                      + ")"));
    }
  }
}
