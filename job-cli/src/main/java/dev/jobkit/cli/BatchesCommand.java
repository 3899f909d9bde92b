package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.runtime.BatchInfo;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobkit batches list|show ID}: batches of jobs with callbacks (issue #12), with their
 * counts, progress and ETA. Batches are dispatched from Java ({@code JobManager.batch()}) or over
 * HTTP.
 */
@Command(
    name = "batches",
    description = {"Show batches of jobs: their counts, progress, ETA, callbacks and members."},
    subcommands = {BatchesCommand.ListBatches.class, BatchesCommand.Show.class})
final class BatchesCommand implements Callable<Integer> {
  @ParentCommand Jobkit jobkit;
  @Spec CommandSpec spec;

  /** Prints the usage: a subcommand is required. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "list", description = "List batches, newest first.")
  static final class ListBatches implements Callable<Integer> {
    @ParentCommand BatchesCommand batches;
    @Spec CommandSpec spec;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "At most this many (1 to 1000). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--json", description = "Print a JSON array of batches.")
    boolean json;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 1000) {
        throw new CliException(ExitCodes.USAGE, "--limit must be between 1 and 1000, got " + limit);
      }
      List<BatchInfo> all;
      try (JobManager jobs = batches.jobkit.openClient(false)) {
        Optional<String> tenant = batches.jobkit.tenant(); // #14 tenants
        all =
            tenant.isEmpty()
                ? jobs.batches().list(limit)
                : jobs.batches().list(tenant.get(), limit);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Json.write(
            out,
            true,
            g -> {
              g.writeStartArray();
              for (BatchInfo b : all) {
                write(g, b);
              }
              g.writeEndArray();
            });
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out.println("no batches; dispatch one with JobManager.batch() or POST /api/v1/batches");
        return ExitCodes.OK;
      }
      Style style = batches.jobkit.style();
      // #14 tenants: the column only when a batch is not in the default tenant
      boolean tenants = all.stream().anyMatch(b -> !b.tenant().equals(Tenants.DEFAULT));
      List<String> head =
          new ArrayList<>(List.of("ID", "NAME", "STATE", "DONE", "FAILED", "PROGRESS", "CREATED"));
      if (tenants) {
        head.add(2, "TENANT");
      }
      Table t = new Table(head.toArray(String[]::new));
      for (BatchInfo b : all) {
        List<Object> row =
            new ArrayList<>(
                List.of(
                    b.id(),
                    b.name().orElse(""),
                    b.state().name(),
                    b.completed() + "/" + b.total(),
                    Integer.toString(b.failed() + b.cancelled()),
                    percent(b.progress()),
                    JobkitCommand.time(b.createdAt())));
        if (tenants) {
          row.add(2, b.tenant());
        }
        t.row(row.toArray());
      }
      t.print(out, style);
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show a batch: counts, progress, ETA, callbacks, members.")
  static final class Show implements Callable<Integer> {
    @ParentCommand BatchesCommand batches;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The batch's id.")
    String id;

    @Option(
        names = "--members",
        paramLabel = "N",
        defaultValue = "20",
        description = "List at most this many members (0 for none). Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--json", description = "Print the batch as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      BatchInfo b;
      List<JobInfo> list;
      try (JobManager jobs = batches.jobkit.openClient(false)) {
        Optional<String> tenant = batches.jobkit.tenant();
        Optional<BatchInfo> found =
            jobs.batches()
                .get(id.strip())
                // #14 tenants: another tenant's batch is not found, as an unknown id is
                .filter(x -> tenant.isEmpty() || tenant.get().equals(x.tenant()));
        if (found.isEmpty()) {
          throw new CliException(
              ExitCodes.NOT_FOUND,
              "no batch with id "
                  + id.strip()
                  + " in "
                  + batches.jobkit.scopeForDisplay()
                  + "; see jobkit batches list");
        }
        b = found.get();
        list = members <= 0 ? List.of() : jobs.batches().members(b.id(), Math.min(members, 1000));
      }
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        Json.write(o, true, g -> write(g, b));
        return ExitCodes.OK;
      }
      Style s = batches.jobkit.style();
      o.println("batch      " + s.bold(b.id()));
      b.name().ifPresent(n -> o.println("name       " + n));
      if (!b.tenant().equals(Tenants.DEFAULT)) {
        o.println("tenant     " + b.tenant());
      }
      b.description().ifPresent(d -> o.println("about      " + d));
      o.println("state      " + b.state().name());
      o.println(
          "members    "
              + b.total()
              + ": "
              + b.completed()
              + " completed, "
              + b.failed()
              + " failed, "
              + b.cancelled()
              + " cancelled, "
              + b.running()
              + " running, "
              + b.pending()
              + " not final");
      o.println("progress   " + percent(b.progress()));
      b.eta()
          .ifPresent(
              at -> o.println("eta        " + JobkitCommand.time(at) + " (" + left(at) + ")"));
      o.println(
          "created    "
              + JobkitCommand.time(b.createdAt())
              + b.createdBy().map(x -> " by " + x).orElse(""));
      b.finishedAt().ifPresent(at -> o.println("finished   " + JobkitCommand.time(at)));
      b.onSuccessJobId().ifPresent(x -> o.println("on success " + x));
      b.onFailureJobId().ifPresent(x -> o.println("on failure " + x));
      b.onCompleteJobId().ifPresent(x -> o.println("on complete " + x));
      if (!list.isEmpty()) {
        Table t = new Table("MEMBER", "NAME", "STATE", "ATTEMPTS");
        for (JobInfo j : list) {
          t.row(j.id(), j.name(), j.state().name(), j.attempts() + "/" + j.maxAttempts());
        }
        o.println();
        t.print(o, s);
        if (list.size() < b.total()) {
          o.println("(" + list.size() + " of " + b.total() + " members; more with --members N)");
        }
      }
      return ExitCodes.OK;
    }
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  private static String left(Instant at) {
    Duration d = Duration.between(Instant.now(), at);
    if (d.isNegative()) {
      return "due";
    }
    return "in " + (d.toSeconds() < 120 ? d.toSeconds() + "s" : d.toMinutes() + "m");
  }

  /** A batch as a JSON object (the same fields as GET /api/v1/batches/{id}). */
  static void write(JsonGenerator g, BatchInfo b) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", b.id());
    g.writeStringField("name", b.name().orElse(null));
    g.writeStringField("tenant", b.tenant()); // #14 tenants
    g.writeStringField("description", b.description().orElse(null));
    g.writeStringField("state", b.state().name());
    g.writeNumberField("total", b.total());
    g.writeNumberField("completed", b.completed());
    g.writeNumberField("failed", b.failed());
    g.writeNumberField("cancelled", b.cancelled());
    g.writeNumberField("running", b.running());
    g.writeNumberField("pending", b.pending());
    g.writeNumberField("progress", b.progress());
    g.writeStringField("eta", b.eta().map(Instant::toString).orElse(null));
    g.writeStringField("createdAt", b.createdAt().toString());
    g.writeStringField("finishedAt", b.finishedAt().map(Instant::toString).orElse(null));
    g.writeStringField("createdBy", b.createdBy().orElse(null));
    g.writeStringField("onSuccess", b.onSuccessJobId().orElse(null));
    g.writeStringField("onFailure", b.onFailureJobId().orElse(null));
    g.writeStringField("onComplete", b.onCompleteJobId().orElse(null));
    g.writeEndObject();
  }
}
