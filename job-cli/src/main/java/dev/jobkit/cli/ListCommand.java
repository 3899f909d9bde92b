package dev.jobkit.cli;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobPage;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.Tenants;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code jobkit list}: jobs, newest first, filtered. */
@Command(
    name = "list",
    description = {
      "List jobs, newest first.",
      "IDs are shortened to a prefix that is unique among the listed jobs; every command accepts it."
    })
final class ListCommand extends JobkitCommand {
  @Option(
      names = "--status",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only jobs in these states (repeatable or comma-separated): ${COMPLETION-CANDIDATES}.")
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

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "At most N jobs (1 to " + JobQuery.MAX_LIMIT + "). Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      converter = Cursors.class,
      description = "Continue after the page that printed this cursor.")
  String cursor;

  @Option(names = "--json", description = "Print {\"jobs\": [...], \"nextCursor\": ...} as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JobQuery.Builder q = JobQuery.builder().limit(limit);
    q.states(states.toArray(JobState[]::new));
    if (name != null) {
      q.name(name);
    }
    if (tag != null) {
      q.tag(tag);
    }
    if (queue != null) {
      q.queue(queue);
    }
    if (cursor != null) {
      q.cursor(cursor);
    }
    tenant().ifPresent(q::tenant); // #14 tenants
    JobQuery query = q.build();
    JobPage page;
    try (JobManager jobs = jobkit.openClient(false)) {
      page = jobs.list(query);
    }
    PrintWriter out = out();
    if (json) {
      Json.write(
          out,
          false,
          g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("jobs");
            for (JobInfo j : page.jobs()) {
              Json.job(g, j);
            }
            g.writeEndArray();
            g.writeStringField("nextCursor", page.nextCursor().orElse(null));
            g.writeEndObject();
          });
      return ExitCodes.OK;
    }
    if (page.jobs().isEmpty()) {
      out.println(cursor == null ? "no jobs" : "no more jobs");
      return ExitCodes.OK;
    }
    Style style = style();
    List<String> ids = shortIds(page.jobs().stream().map(JobInfo::id).toList());
    // #14 tenants: the column only when a listed job is not in the default tenant
    boolean tenants = page.jobs().stream().anyMatch(j -> !j.tenant().equals(Tenants.DEFAULT));
    List<String> head =
        new ArrayList<>(List.of("ID", "NAME", "STATE", "PROGRESS", "ATTEMPTS", "CREATED", "TAGS"));
    if (tenants) {
      head.add(1, "TENANT");
    }
    Table t = new Table(head.toArray(String[]::new));
    for (int i = 0; i < ids.size(); i++) {
      JobInfo j = page.jobs().get(i);
      List<Object> row =
          new ArrayList<>(
              List.of(
                  ids.get(i),
                  j.name(),
                  new Table.Cell(j.state().name(), s -> style.state(j.state(), s)),
                  ProgressView.parse(j.progressJson()).map(ProgressView::brief).orElse("-"),
                  j.attempts() + "/" + j.maxAttempts(),
                  ago(j.createdAt()),
                  String.join(",", j.tags())));
      if (tenants) {
        row.add(1, j.tenant());
      }
      t.row(row.toArray());
    }
    t.print(out, style);
    page.nextCursor()
        .ifPresent(
            c ->
                err()
                    .println(
                        style.dim(
                            "more jobs: jobkit list --cursor " + c + " (with the same filters)")));
    return ExitCodes.OK;
  }

  /**
   * A cursor is the id of the last job of the previous page: a ULID, 26 characters of Crockford's
   * base 32 whose first is at most 7. Any letter case is accepted, as for ids elsewhere.
   */
  static final class Cursors implements ITypeConverter<String> {
    private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    @Override
    public String convert(String value) {
      String id = value.strip().toUpperCase(Locale.ROOT);
      if (!ULID.matcher(id).matches()) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a job id; pass the cursor that 'jobkit list' printed after 'more jobs:'"
                + " or in nextCursor");
      }
      return id;
    }
  }
}
