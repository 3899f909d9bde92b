package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.JobRegistry;
import dev.jobkit.Priority;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleInfo;
import dev.jobkit.runtime.ScheduleSpec;
import dev.jobkit.runtime.Schedules;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jobkit schedules add|list|show|pause|resume|trigger|delete}: the recurring schedules
 * stored in the job database (#12). Changes are recorded with the actor {@code cli}.
 */
@Command(
    name = "schedules",
    description = {
      "Manage the recurring schedules stored in the job database.",
      "Every worker process on the database fires their slots (see docs/scheduling.md)."
    },
    subcommands = {
      SchedulesCommand.Add.class,
      SchedulesCommand.ListSchedules.class,
      SchedulesCommand.Show.class,
      SchedulesCommand.Pause.class,
      SchedulesCommand.Resume.class,
      SchedulesCommand.Trigger.class,
      SchedulesCommand.Delete.class
    })
final class SchedulesCommand implements Callable<Integer> {
  @ParentCommand Jobkit jobkit;
  @Spec CommandSpec spec;

  /** Prints the usage: a subcommand is required. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** What the subcommands share. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand SchedulesCommand schedules;
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Jobkit jobkit() {
      return schedules.jobkit;
    }

    /**
     * The schedule named {@code name} (with {@code --tenant}, of that tenant: #14 tenants, another
     * tenant's is not found), or NOT_FOUND naming the close names.
     */
    ScheduleInfo find(Schedules s, String name) {
      Optional<String> tenant = jobkit().tenant();
      return s.get(name)
          .filter(i -> tenant.isEmpty() || tenant.get().equals(i.tenant()))
          .orElseThrow(() -> unknown(s, name));
    }

    /** Checks, with {@code --tenant}, that the schedule is the tenant's, before changing it. */
    void checkTenant(Schedules s, String name) {
      if (jobkit().tenant().isPresent()) {
        find(s, name);
      }
    }

    /** The one-line error for a schedule that does not exist, with the closest name if any. */
    CliException unknown(Schedules s, String name) {
      Optional<String> tenant = jobkit().tenant();
      List<String> names =
          (tenant.isEmpty() ? s.list() : s.list(tenant.get()))
              .stream().map(ScheduleInfo::name).toList();
      return new CliException(
          ExitCodes.NOT_FOUND,
          "no schedule named '"
              + name
              + "' in "
              + jobkit().scopeForDisplay()
              + Suggest.didYouMean(name, names)
              + (names.isEmpty()
                  ? "; there are none: add one with jobkit schedules add"
                  : "; see jobkit schedules list"));
    }
  }

  // ------------------------------------------------------------------ add

  @Command(
      name = "add",
      description = {
        "Create a schedule, or replace the one with this name.",
        "Replacing keeps whether it is paused and, unless the timing changed, its next slot;"
            + " options not given take their defaults."
      })
  static final class Add extends Sub {
    @Parameters(
        paramLabel = "NAME",
        description = "1 to 100 of letters, digits, '.', '_', ':', '-'; unique.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    When when;

    static final class When {
      @Option(
          names = "--cron",
          paramLabel = "EXPR",
          required = true,
          description =
              "A cron expression: 5 fields (min hour day month weekday), 6 with seconds first,"
                  + " or a macro such as @hourly.")
      String cron;

      @Option(
          names = "--every",
          paramLabel = "DURATION",
          required = true,
          converter = Durations.class,
          description = "A fixed interval of at least 1s, such as 30s, 5m or 1h30m.")
      Duration every;
    }

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        description = "The time zone of --cron, such as Europe/Berlin. Default: UTC.")
    String zone;

    @Option(
        names = "--job",
        required = true,
        paramLabel = "TYPE",
        description = "The job's registered name (see 'jobkit types').")
    String job;

    @Option(
        names = "--json",
        paramLabel = "PARAMS",
        description = "The job's parameters as a JSON object. Default: {}.")
    String json = "{}";

    @Option(
        names = "--queue",
        paramLabel = "QUEUE",
        converter = QueueNames.class,
        description = "The queue of its jobs. Default: the job's.")
    String queue;

    @Option(
        names = "--priority",
        paramLabel = "PRIORITY",
        description = "LOW, NORMAL, HIGH or CRITICAL. Default: the job's.")
    Priority priority;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag of its jobs; repeatable.")
    List<String> tags = List.of();

    @Option(
        names = "--max-attempts",
        paramLabel = "N",
        description = "Attempts of each job. Default: the job's.")
    Integer maxAttempts;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "Timeout of one attempt of each job, such as 5m. Default: the job's.")
    Duration timeout;

    @Option(
        names = "--misfire",
        paramLabel = "POLICY",
        converter = MisfireConverter.class,
        description =
            "Slots missed while no worker ran: skip, fire-once (the latest fires late; default)"
                + " or fire-all (up to --misfire-cap).")
    ScheduleSpec.Misfire misfire;

    @Option(
        names = "--misfire-cap",
        paramLabel = "N",
        description = "With --misfire fire-all: at most N missed slots fire. Default: 100.")
    Integer misfireCap;

    @Option(
        names = "--misfire-grace",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "How late a slot may fire before it counts as missed. Default: 1m.")
    Duration misfireGrace;

    @Option(
        names = "--overlap",
        paramLabel = "POLICY",
        converter = OverlapConverter.class,
        description = "A slot while the previous run goes on: skip, queue-one or allow (default).")
    ScheduleSpec.Overlap overlap;

    @Option(
        names = "--fall-back",
        paramLabel = "POLICY",
        converter = FallBackConverter.class,
        description =
            "A local time that a daylight-saving fall-back repeats fires once (default) or both"
                + " times.")
    ScheduleSpec.FallBack fallBack;

    @Option(
        names = "--jitter",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "Start each job up to this long after its slot (fixed per slot). Default: 0.")
    Duration jitter;

    @Override
    public Integer call() {
      // Checked before the database is opened (or created), so that bad input stores nothing.
      Optional<String> tenant = jobkit().tenant();
      ScheduleSpec built = spec(tenant.orElse(null));
      JobRegistry registry = jobkit().registry();
      registry.fromJson(job, json);
      try (JobManager jobs = jobkit().openClient(true)) {
        Schedules s = jobs.schedules();
        Optional<ScheduleInfo> existing = s.get(name);
        boolean existed = existing.isPresent();
        // #14 tenants: into --tenant; without it, a replaced schedule keeps its tenant. Names are
        // unique across tenants, so a name another tenant has is refused rather than taken over.
        if (tenant.isPresent() && existed && !existing.get().tenant().equals(tenant.get())) {
          throw new CliException(
              ExitCodes.BAD_INPUT,
              "schedule '"
                  + name
                  + "': another tenant has a schedule with this name (names are unique across"
                  + " tenants); choose another name");
        }
        if (tenant.isEmpty() && existed && !existing.get().tenant().equals(Tenants.DEFAULT)) {
          built = spec(existing.get().tenant());
        }
        ScheduleInfo info = s.put(built, KeysCommand.ACTOR);
        out()
            .println(
                (existed ? "updated" : "created")
                    + " schedule "
                    + info.name()
                    + " ("
                    + info.when()
                    + "); next fire "
                    + info.nextFire().map(JobkitCommand::time).orElse("none")
                    + (info.paused() ? " (paused)" : ""));
      }
      return ExitCodes.OK;
    }

    /** The schedule as the options say, in {@code tenant} (null: the default tenant). */
    private ScheduleSpec spec(String tenant) {
      if (zone != null && when.cron == null) {
        throw new CliException(
            ExitCodes.USAGE, "--zone applies to --cron only; an --every interval has no zone");
      }
      if (misfireCap != null && misfire != ScheduleSpec.Misfire.FIRE_ALL) {
        throw new CliException(
            ExitCodes.USAGE, "--misfire-cap applies to --misfire fire-all only; add it");
      }
      ScheduleSpec.Builder b =
          when.cron != null
              ? ScheduleSpec.cron(name, when.cron)
              : ScheduleSpec.every(name, when.every);
      if (zone != null) {
        b.zone(zone);
      }
      b.job(job, json).tags(tags);
      if (queue != null) {
        b.queue(queue);
      }
      if (priority != null) {
        b.priority(priority);
      }
      if (maxAttempts != null) {
        if (maxAttempts < 1) {
          throw new CliException(
              ExitCodes.USAGE, "--max-attempts must be at least 1, got " + maxAttempts);
        }
        b.maxAttempts(maxAttempts);
      }
      if (timeout != null) {
        b.timeout(timeout);
      }
      if (misfire != null) {
        if (misfireCap != null) {
          b.misfire(misfire, misfireCap);
        } else {
          b.misfire(misfire);
        }
      }
      if (misfireGrace != null) {
        b.misfireGrace(misfireGrace);
      }
      if (overlap != null) {
        b.overlap(overlap);
      }
      if (fallBack != null) {
        b.fallBack(fallBack);
      }
      if (jitter != null) {
        b.jitter(jitter);
      }
      if (tenant != null) {
        b.tenant(tenant);
      }
      return b.build();
    }
  }

  // ------------------------------------------------------------------ list

  @Command(name = "list", description = "List the schedules, by name.")
  static final class ListSchedules extends Sub {
    @Option(
        names = "--json",
        description = "Print a JSON array of schedules (the fields of 'show --json').")
    boolean json;

    @Override
    public Integer call() {
      List<ScheduleInfo> all;
      try (JobManager jobs = jobkit().openClient(false)) {
        Optional<String> tenant = jobkit().tenant(); // #14 tenants
        all = tenant.isEmpty() ? jobs.schedules().list() : jobs.schedules().list(tenant.get());
      }
      if (json) {
        Json.write(
            out(),
            true,
            g -> {
              g.writeStartArray();
              for (ScheduleInfo i : all) {
                g.writeStartObject();
                fields(g, i);
                g.writeEndObject();
              }
              g.writeEndArray();
            });
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out()
            .println(
                "no schedules; add one with: jobkit schedules add NAME --every 1h --job TYPE"
                    + " --json '{...}'");
        return ExitCodes.OK;
      }
      Style style = jobkit().style();
      // #14 tenants: the column only when a schedule is not in the default tenant
      boolean tenants = all.stream().anyMatch(i -> !i.tenant().equals(Tenants.DEFAULT));
      Table t =
          tenants
              ? new Table("NAME", "TENANT", "WHEN", "JOB", "NEXT FIRE", "LAST FIRE", "STATE")
              : new Table("NAME", "WHEN", "JOB", "NEXT FIRE", "LAST FIRE", "STATE");
      for (ScheduleInfo i : all) {
        List<Object> row = new ArrayList<>();
        row.add(i.name());
        if (tenants) {
          row.add(i.tenant());
        }
        row.addAll(
            List.of(
                i.when(),
                i.jobName(),
                i.paused() ? "-" : i.nextFire().map(JobkitCommand::time).orElse("none"),
                i.lastFire().map(JobkitCommand::time).orElse("never"),
                i.paused()
                    ? new Table.Cell(
                        "paused" + i.pauseReason().map(r -> ": " + r).orElse(""), style::yellow)
                    : new Table.Cell("active", style::green)));
        t.row(row.toArray());
      }
      t.print(out(), style);
      return ExitCodes.OK;
    }
  }

  // ------------------------------------------------------------------ show

  @Command(
      name = "show",
      description = "Show a schedule: every setting, its next fire times and its history.")
  static final class Show extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(
        names = "--next",
        paramLabel = "N",
        description = "Show the next N fire times (0 to 1000). Default: 5.")
    int next = 5;

    @Option(
        names = "--history",
        paramLabel = "N",
        description = "Show the latest N history rows (0 to 1000). Default: 10.")
    int history = 10;

    @Option(
        names = "--json",
        description =
            "Print the schedule as a JSON object, with \"next\" (the fire times) and \"history\".")
    boolean json;

    @Override
    public Integer call() {
      if (next < 0 || next > Schedules.MAX_PREVIEW || history < 0 || history > 1000) {
        throw new CliException(
            ExitCodes.USAGE,
            "--next and --history must be 0 to 1000, got --next " + next + " --history " + history);
      }
      ScheduleInfo info;
      List<Instant> upcoming;
      List<ScheduleFire> fires;
      try (JobManager jobs = jobkit().openClient(false)) {
        Schedules s = jobs.schedules();
        String n = name.strip();
        info = find(s, n);
        upcoming = s.preview(n, next).orElse(List.of());
        fires = history == 0 ? List.of() : s.history(n, history).orElse(List.of());
      }
      if (json) {
        Json.write(
            out(),
            false,
            g -> {
              g.writeStartObject();
              fields(g, info);
              g.writeArrayFieldStart("next");
              for (Instant at : upcoming) {
                g.writeString(at.toString());
              }
              g.writeEndArray();
              g.writeArrayFieldStart("history");
              for (ScheduleFire f : fires) {
                fire(g, f);
              }
              g.writeEndArray();
              g.writeEndObject();
            });
        return ExitCodes.OK;
      }
      print(info, upcoming, fires);
      return ExitCodes.OK;
    }

    private void print(ScheduleInfo i, List<Instant> upcoming, List<ScheduleFire> fires) {
      Style style = jobkit().style();
      PrintWriter o = out();
      List<String[]> kv = new ArrayList<>();
      kv.add(row("name", i.name()));
      kv.add(
          row(
              "state",
              i.paused()
                  ? style.yellow("paused" + i.pauseReason().map(r -> ": " + r).orElse(""))
                  : style.green("active")));
      kv.add(row("when", i.when()));
      if (!i.tenant().equals(Tenants.DEFAULT)) { // #14 tenants
        kv.add(row("tenant", i.tenant()));
      }
      kv.add(row("job", i.jobName()));
      kv.add(row("params", i.paramsJson().orElse("(type not registered here)")));
      kv.add(row("queue", i.queue()));
      kv.add(row("priority", i.priority().name()));
      kv.add(row("tags", i.tags().isEmpty() ? "-" : String.join(", ", i.tags())));
      kv.add(row("max attempts", Integer.toString(i.maxAttempts())));
      kv.add(row("timeout", i.timeout().map(Durations::format).orElse("none")));
      kv.add(
          row(
              "misfire",
              policy(i.misfire())
                  + (i.misfire() == ScheduleSpec.Misfire.FIRE_ALL
                      ? " (cap " + i.misfireCap() + ")"
                      : "")
                  + ", grace "
                  + Durations.format(i.misfireGrace())));
      kv.add(row("overlap", policy(i.overlap())));
      if (i.cron().isPresent()) {
        kv.add(row("fall back", policy(i.fallBack())));
      }
      kv.add(row("jitter", i.jitter().isZero() ? "none" : Durations.format(i.jitter())));
      kv.add(row("next fire", i.nextFire().map(JobkitCommand::time).orElse("none")));
      i.pendingSlot().ifPresent(p -> kv.add(row("pending slot", JobkitCommand.time(p))));
      kv.add(
          row(
              "last fire",
              i.lastFire().map(JobkitCommand::time).orElse("never")
                  + i.lastJobId().map(id -> " (job " + id + ")").orElse("")));
      kv.add(
          row(
              "created",
              JobkitCommand.time(i.createdAt())
                  + i.createdBy().map(by -> " by " + by).orElse("")
                  + (i.declared() ? " (declared in code)" : "")));
      kv.add(row("updated", JobkitCommand.time(i.updatedAt())));
      int width = kv.stream().mapToInt(r -> r[0].length()).max().orElse(0);
      for (String[] r : kv) {
        o.println(style.bold(r[0] + ":") + " ".repeat(width - r[0].length() + 1) + r[1]);
      }
      if (!upcoming.isEmpty()) {
        o.println();
        o.println(style.bold("next fire times" + (i.paused() ? " (once resumed)" : "") + ":"));
        for (Instant at : upcoming) {
          o.println("  " + JobkitCommand.time(at));
        }
      }
      if (history > 0) {
        o.println();
        if (fires.isEmpty()) {
          o.println("no history yet");
          return;
        }
        Table t = new Table("SLOT", "OUTCOME", "JOB", "REASON");
        for (ScheduleFire f : fires) {
          t.row(
              JobkitCommand.time(f.slot()),
              f.outcome() == ScheduleFire.Outcome.SKIPPED
                  ? new Table.Cell(f.outcome().name(), style::yellow)
                  : new Table.Cell(f.outcome().name(), style::green),
              f.jobId().orElse("-"),
              f.reason() == null ? "" : f.reason());
        }
        t.print(o, style);
      }
    }

    private static String[] row(String k, String v) {
      return new String[] {k, v};
    }
  }

  // ------------------------------------------------------------------ pause, resume, trigger,
  // delete

  @Command(
      name = "pause",
      description = "Pause a schedule: no slot fires until it is resumed; running jobs go on.")
  static final class Pause extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, shown with it.")
    String reason;

    @Override
    public Integer call() {
      try (JobManager jobs = jobkit().openClient(false)) {
        Schedules s = jobs.schedules();
        String n = name.strip();
        checkTenant(s, n);
        s.pause(n, reason, KeysCommand.ACTOR).orElseThrow(() -> unknown(s, n));
        out().println("paused schedule " + n);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "resume",
      description =
          "Resume a paused schedule from its next slot; the slots missed meanwhile are skipped.")
  static final class Resume extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      try (JobManager jobs = jobkit().openClient(false)) {
        Schedules s = jobs.schedules();
        String n = name.strip();
        checkTenant(s, n);
        ScheduleInfo i = s.resume(n, KeysCommand.ACTOR).orElseThrow(() -> unknown(s, n));
        out()
            .println(
                "resumed schedule "
                    + n
                    + "; next fire "
                    + i.nextFire().map(JobkitCommand::time).orElse("none"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "trigger",
      description = {
        "Dispatch the schedule's job now, even when it is paused, and print the job's id.",
        "Its slots are not affected."
      })
  static final class Trigger extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      try (JobManager jobs = jobkit().openClient(false)) {
        Schedules s = jobs.schedules();
        String n = name.strip();
        checkTenant(s, n);
        JobHandle<?> h = s.trigger(n, KeysCommand.ACTOR).orElseThrow(() -> unknown(s, n));
        out().println(h.id());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete",
      description = "Delete a schedule and its history; the jobs it dispatched stay.")
  static final class Delete extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Override
    public Integer call() {
      try (JobManager jobs = jobkit().openClient(false)) {
        Schedules s = jobs.schedules();
        String n = name.strip();
        checkTenant(s, n);
        if (!s.delete(n, KeysCommand.ACTOR)) {
          throw unknown(s, n);
        }
        out().println("deleted schedule " + n);
      }
      return ExitCodes.OK;
    }
  }

  // ------------------------------------------------------------------ JSON and policies

  /** The fields of a schedule, as {@code list --json} and {@code show --json} print them. */
  static void fields(JsonGenerator g, ScheduleInfo i) throws IOException {
    g.writeStringField("name", i.name());
    g.writeStringField("tenant", i.tenant()); // #14 tenants
    g.writeStringField("cron", i.cron().orElse(null));
    g.writeStringField("every", i.interval().map(Duration::toString).orElse(null));
    g.writeStringField("zone", i.cron().isPresent() ? i.zone().getId() : null);
    g.writeStringField("job", i.jobName());
    Json.embedded(g, "params", i.paramsJson());
    g.writeStringField("queue", i.queue());
    g.writeStringField("priority", i.priority().name());
    g.writeArrayFieldStart("tags");
    for (String t : i.tags()) {
      g.writeString(t);
    }
    g.writeEndArray();
    g.writeNumberField("maxAttempts", i.maxAttempts());
    g.writeStringField("timeout", i.timeout().map(Duration::toString).orElse(null));
    g.writeStringField("misfire", i.misfire().name());
    g.writeNumberField("misfireCap", i.misfireCap());
    g.writeStringField("misfireGrace", i.misfireGrace().toString());
    g.writeStringField("overlap", i.overlap().name());
    g.writeStringField("fallBack", i.fallBack().name());
    g.writeStringField("jitter", i.jitter().toString());
    g.writeBooleanField("paused", i.paused());
    g.writeStringField("pauseReason", i.pauseReason().orElse(null));
    Json.instant(g, "nextFire", i.nextFire());
    Json.instant(g, "pendingSlot", i.pendingSlot());
    Json.instant(g, "lastFire", i.lastFire());
    g.writeStringField("lastJobId", i.lastJobId().orElse(null));
    g.writeBooleanField("declared", i.declared());
    Json.instant(g, "createdAt", Optional.of(i.createdAt()));
    g.writeStringField("createdBy", i.createdBy().orElse(null));
    Json.instant(g, "updatedAt", Optional.of(i.updatedAt()));
  }

  private static void fire(JsonGenerator g, ScheduleFire f) throws IOException {
    g.writeStartObject();
    g.writeStringField("slot", f.slot().toString());
    g.writeStringField("outcome", f.outcome().name());
    g.writeStringField("jobId", f.jobId().orElse(null));
    g.writeStringField("reason", f.reason());
    g.writeStringField("recordedAt", f.recordedAt().toString());
    g.writeEndObject();
  }

  /** A policy as typed on the command line: {@code fire-once}. */
  static String policy(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Reads a policy in any case, with '-' or '_': {@code fire-once}, {@code FIRE_ONCE}. */
  private static <E extends Enum<E>> E policy(Class<E> type, String option, String value) {
    String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(policy(e));
    }
    throw new TypeConversionException(
        option + ": unknown policy '" + value + "'; use " + String.join(", ", names));
  }

  /** {@code --misfire skip|fire-once|fire-all}. */
  static final class MisfireConverter implements ITypeConverter<ScheduleSpec.Misfire> {
    @Override
    public ScheduleSpec.Misfire convert(String value) {
      return policy(ScheduleSpec.Misfire.class, "--misfire", value);
    }
  }

  /** {@code --overlap skip|queue-one|allow}. */
  static final class OverlapConverter implements ITypeConverter<ScheduleSpec.Overlap> {
    @Override
    public ScheduleSpec.Overlap convert(String value) {
      return policy(ScheduleSpec.Overlap.class, "--overlap", value);
    }
  }

  /** {@code --fall-back once|both}. */
  static final class FallBackConverter implements ITypeConverter<ScheduleSpec.FallBack> {
    @Override
    public ScheduleSpec.FallBack convert(String value) {
      return policy(ScheduleSpec.FallBack.class, "--fall-back", value);
    }
  }
}
