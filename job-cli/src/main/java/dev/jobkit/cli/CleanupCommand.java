package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobkit cleanup --older-than 7d}: deletes finished jobs. */
@Command(
    name = "cleanup",
    description = {
      "Delete jobs that finished (completed, failed, cancelled or timed out) longer ago than "
          + "--older-than, with their logs and events.",
      "Waiting, running, paused and quarantined jobs are never deleted."
    })
final class CleanupCommand extends JobkitCommand {
  @Option(
      names = "--older-than",
      paramLabel = "DURATION",
      required = true,
      converter = Durations.class,
      description = "Such as 12h, 7d or 4w.")
  Duration olderThan;

  @Option(
      names = {"-n", "--dry-run"},
      description = "Only count the jobs that would be deleted.")
  boolean dryRun;

  @Option(names = "--json", description = "Print {\"jobs\": N, \"dryRun\": ...} as JSON.")
  boolean json;

  @Override
  public Integer call() {
    jobkit.noTenant("cleanup", "deletes finished jobs of every tenant"); // #14 tenants
    long n;
    try (JobManager jobs = jobkit.openClient(false)) {
      n = jobs.cleanup(olderThan, dryRun);
    }
    if (json) {
      Json.write(
          out(),
          true,
          g -> {
            g.writeStartObject();
            g.writeNumberField("jobs", n);
            g.writeBooleanField("dryRun", dryRun);
            g.writeEndObject();
          });
    } else {
      out()
          .println(
              (dryRun ? "would delete " : "deleted ")
                  + n
                  + (n == 1 ? " job" : " jobs")
                  + " that finished more than "
                  + Durations.format(olderThan)
                  + " ago");
    }
    return ExitCodes.OK;
  }
}
