package dev.jobkit.cli;

import dev.jobkit.runtime.AuditEntry;
import dev.jobkit.runtime.AuditPage;
import dev.jobkit.runtime.AuditQuery;
import dev.jobkit.runtime.JobManager;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jobkit audit list} (#14 tenants): the audit trail of the job database, newest first: who
 * submitted, cancelled, retried, changed a schedule, a template, a key or a tenant.
 */
@Command(
    name = "audit",
    description = "Show the audit trail: who did what, newest first.",
    subcommands = AuditCommand.ListEntries.class)
final class AuditCommand implements Callable<Integer> {
  @ParentCommand Jobkit jobkit;
  @Spec CommandSpec spec;

  /** Prints the usage: a subcommand is required. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "list",
      description = {
        "List audit entries, newest first: time, tenant, actor, action, target, detail.",
        "With --tenant, only the entries of that tenant."
      })
  static final class ListEntries implements Callable<Integer> {
    @ParentCommand AuditCommand audit;
    @Spec CommandSpec spec;

    @Option(
        names = "--actor",
        paramLabel = "ACTOR",
        description = "Only entries of this actor, such as key:ci or cli:alice.")
    String actor;

    @Option(
        names = "--action",
        paramLabel = "ACTION",
        description = "Only this action, such as job.cancel, or a family such as job.*.")
    String action;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        converter = SinceConverter.class,
        description =
            "Only entries at or after TIME: ISO-8601 with a zone (2026-12-07T10:00:00Z), or a"
                + " duration ago (24h, 7d).")
    Instant since;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description =
            "At most N entries (1 to " + AuditQuery.MAX_LIMIT + "). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(
        names = "--cursor",
        paramLabel = "CURSOR",
        description = "Continue after the page that printed this cursor.")
    String cursor;

    @Option(
        names = "--json",
        description = "Print {\"entries\": [...], \"nextCursor\": ...} as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Jobkit jobkit = audit.jobkit;
      if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
        throw new CliException(
            ExitCodes.USAGE,
            "--limit must be between 1 and " + AuditQuery.MAX_LIMIT + ", got " + limit);
      }
      AuditQuery.Builder q = AuditQuery.builder().limit(limit).since(since);
      jobkit.tenant().ifPresent(q::tenant);
      if (actor != null && !actor.isBlank()) {
        q.actor(actor.strip());
      }
      if (action != null && !action.isBlank()) {
        q.action(action.strip());
      }
      if (cursor != null && !cursor.isBlank()) {
        q.cursor(cursor.strip());
      }
      AuditPage page;
      try (JobManager jobs = jobkit.openClient(false)) {
        page = jobs.audit().list(q.build());
      } catch (IllegalArgumentException e) {
        // A cursor the log did not return.
        throw new CliException(ExitCodes.USAGE, "--cursor: " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Json.write(
            out,
            false,
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("entries");
              for (AuditEntry e : page.entries()) {
                g.writeStartObject();
                g.writeStringField("id", e.id());
                g.writeStringField("at", e.at().toString());
                g.writeStringField("tenant", e.tenant().orElse(null));
                g.writeStringField("actor", e.actor());
                g.writeStringField("action", e.action());
                g.writeStringField("target", e.target().orElse(null));
                g.writeStringField("detail", e.detail().orElse(null));
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeStringField("nextCursor", page.nextCursor().orElse(null));
              g.writeEndObject();
            });
        return ExitCodes.OK;
      }
      if (page.entries().isEmpty()) {
        out.println(cursor == null ? "no audit entries" : "no more audit entries");
        return ExitCodes.OK;
      }
      Style style = jobkit.style();
      Table t = new Table("TIME", "TENANT", "ACTOR", "ACTION", "TARGET", "DETAIL");
      for (AuditEntry e : page.entries()) {
        t.row(
            JobkitCommand.time(e.at()),
            e.tenant().orElse("-"),
            e.actor(),
            e.action(),
            e.target().orElse("-"),
            new Table.Cell(e.detail().orElse(""), style::dim));
      }
      t.print(out, style);
      page.nextCursor()
          .ifPresent(
              c ->
                  spec.commandLine()
                      .getErr()
                      .println(
                          style.dim(
                              "more entries: jobkit audit list --cursor "
                                  + c
                                  + " (with the same filters)")));
      return ExitCodes.OK;
    }
  }

  /** An ISO-8601 time with a zone, or a duration before now ({@code 24h}). */
  static final class SinceConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value.strip()).toInstant();
      } catch (DateTimeParseException e) {
        // not a time: a duration ago
      }
      Duration ago;
      try {
        ago = Durations.parse(value);
      } catch (TypeConversionException e) {
        throw new TypeConversionException(
            "invalid time '"
                + value
                + "': use ISO-8601 with a zone, such as 2026-12-07T10:00:00Z, or a duration ago,"
                + " such as 24h or 7d");
      }
      return Instant.now().minus(ago);
    }
  }
}
