package dev.jobkit.cli;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobkit results ID}: a completed job's output as JSON. */
@Command(
    name = "results",
    description = {
      "Print a completed job's output as JSON.",
      "Fails with exit code 1, naming the job's state, if it has not completed."
    })
final class ResultsCommand extends JobkitCommand {
  @Parameters(paramLabel = "ID", description = "The job's id or a unique prefix of it.")
  String id;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write the JSON to FILE instead.")
  Path file;

  // The output is JSON already: --json changes nothing but the --out confirmation, and is accepted
  // so that scripts can pass --json to every command that reads.
  @Option(
      names = "--json",
      description =
          "Print JSON only: the output as it is (the default), "
              + "or with --out a {\"id\", \"out\"} object instead of the confirmation line.")
  boolean json;

  @Override
  public Integer call() {
    JobInfo job;
    try (JobManager jobs = jobkit.openClient(false)) {
      job = find(jobs, id);
    }
    if (job.state() != JobState.COMPLETED) {
      throw new CliException(ExitCodes.JOB_NOT_COMPLETED, notCompleted(job));
    }
    String output = job.outputJson().orElse("null");
    if (file == null) {
      out().println(output);
      return ExitCodes.OK;
    }
    try {
      Files.writeString(file, output + System.lineSeparator(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "--out " + file + ": cannot write: " + e, e);
    }
    if (json) {
      JobInfo j = job;
      Json.write(
          out(),
          true,
          g -> {
            g.writeStartObject();
            g.writeStringField("id", j.id());
            g.writeStringField("out", file.toString());
            g.writeEndObject();
          });
    } else {
      out().println("wrote the output of job " + job.id() + " to " + file);
    }
    return ExitCodes.OK;
  }

  private static String notCompleted(JobInfo j) {
    String head = "job " + j.id() + " (" + j.name() + ") is " + j.state() + ", not COMPLETED";
    if (j.state().isTerminal() || j.state() == JobState.QUARANTINED) {
      return head + ", so it has no results" + j.error().map(e -> ": " + e).orElse("");
    }
    return head + " yet; wait for it with 'jobkit status " + j.id() + " --watch'";
  }
}
