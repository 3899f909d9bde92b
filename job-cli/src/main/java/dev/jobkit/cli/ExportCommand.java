package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobTransfer;
import dev.jobkit.runtime.TemplateInfo;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobkit export > jobs.jsonl}: jobs exactly as stored, one JSON object per line. */
@Command(
    name = "export",
    description = {
      "Write jobs as JSON Lines: a header line, the job templates and the schedules (one per line,"
          + " each schedule with its history), the batches of the jobs exported, then one job "
          + "per line with its parameters, latest checkpoint, state, attempts, options, progress, "
          + "output, error, times, events, logs, parent edges and batch. Read it back with 'jobkit"
          + " import'."
    })
final class ExportCommand extends JobkitCommand {
  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description = "Only jobs in these states (repeatable or comma-separated).")
  List<JobState> states = List.of();

  @Option(names = "--name", paramLabel = "NAME", description = "Only jobs of this type.")
  String name;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only jobs with this tag.")
  String tag;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      converter = QueueNames.class,
      description = "Only jobs of this queue.")
  String queue;

  // #12 templates
  @Option(
      names = "--no-templates",
      description = "Leave out the job templates (written by default, whatever the filters).")
  boolean noTemplates;

  // #16 schedules
  @Option(
      names = "--no-schedules",
      description = "Leave out the schedules (written by default, whatever the filters).")
  boolean noSchedules;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE (which must not exist) instead of standard output.")
  Path outFile;

  @Override
  public Integer call() throws IOException {
    JobQuery.Builder q = JobQuery.builder().states(states.toArray(JobState[]::new));
    if (name != null) {
      q.name(name);
    }
    if (tag != null) {
      q.tag(tag);
    }
    if (queue != null) {
      q.queue(queue);
    }
    tenant().ifPresent(q::tenant); // #14 tenants
    JobQuery query = q.build();
    JobLines lines = new JobLines(jobkit.registry());
    long n;
    try (JobManager jobs = jobkit.openClient(false)) {
      if (outFile == null) {
        PrintWriter out = out();
        n = export(jobs, query, lines, out);
      } else {
        Writer w;
        try {
          w =
              Files.newBufferedWriter(
                  outFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
          throw new CliException(
              ExitCodes.BAD_INPUT,
              "--out "
                  + outFile
                  + ": cannot create it ("
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage())
                  + "); it must not exist");
        }
        try (BufferedWriter bw = new BufferedWriter(w)) {
          n = export(jobs, query, lines, bw);
        }
        out().println("exported " + n + (n == 1 ? " job" : " jobs") + " to " + outFile);
      }
    }
    err().flush();
    return ExitCodes.OK;
  }

  private long export(JobManager jobs, JobQuery query, JobLines lines, Writer out) {
    // #12 templates: all of them (the job filters do not apply), after the header; with
    // --tenant (#14), those of the tenant
    Optional<String> tenant = tenant();
    List<TemplateInfo> templates =
        noTemplates
            ? List.of()
            : tenant.isEmpty() ? jobs.templates().list() : jobs.templates().list(tenant.get());
    // #16 schedules: all of them, each as stored with its history, after the templates
    List<JobTransfer.ScheduleRecord> schedules =
        noSchedules ? List.of() : jobs.transfer().exportSchedules();
    if (tenant.isPresent()) {
      schedules = schedules.stream().filter(s -> s.tenant().equals(tenant.get())).toList();
    }
    // #12 batches: those of the jobs exported, read before the jobs (an import counts a batch's
    // members again when it gets all of them)
    List<JobTransfer.BatchRecord> batches = new java.util.ArrayList<>();
    jobs.transfer().exportBatches(query, batches::add);
    lines.writeHeader(
        out,
        jobkit.databaseForDisplay(),
        Instant.now(),
        !batches.isEmpty()
            ? JobLines.VERSION_WITH_BATCHES
            : !schedules.isEmpty()
                ? JobLines.VERSION_WITH_SCHEDULES
                : templates.isEmpty() ? JobLines.VERSION : JobLines.VERSION_WITH_TEMPLATES);
    for (TemplateInfo t : templates) {
      TemplateLines.write(out, t);
    }
    for (JobTransfer.ScheduleRecord s : schedules) {
      ScheduleLines.write(out, s);
    }
    for (JobTransfer.BatchRecord b : batches) {
      BatchLines.write(out, b);
    }
    long n =
        jobs.transfer()
            .exportJobs(
                query,
                r -> {
                  lines.write(out, r);
                });
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
