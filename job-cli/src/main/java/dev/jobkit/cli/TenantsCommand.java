package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TenantInfo;
import dev.jobkit.runtime.TenantSpec;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jobkit tenants list|show|set|delete} (#14 tenants): the tenants' weights and quotas,
 * stored in the job database and shared by every process on it. Changes are recorded in the audit
 * trail with the CLI's actor.
 */
@Command(
    name = "tenants",
    description = {
      "Manage the tenants' settings: weight in fair claiming, and quotas.",
      "A tenant needs no settings to be used: without them it has weight 1 and no quotas."
    },
    subcommands = {
      TenantsCommand.ListTenants.class,
      TenantsCommand.Show.class,
      TenantsCommand.Set.class,
      TenantsCommand.Delete.class
    })
final class TenantsCommand implements Callable<Integer> {
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
    @ParentCommand TenantsCommand tenants;
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Jobkit jobkit() {
      return tenants.jobkit;
    }

    /** The tenant's name, checked; with {@code --tenant}, it must be that tenant. */
    String name(String given, boolean changes) {
      String n;
      try {
        n = Tenants.checkName(given.strip());
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
      }
      Optional<String> only = jobkit().tenant();
      if (only.isPresent() && !only.get().equals(n)) {
        if (changes) {
          throw new CliException(
              ExitCodes.USAGE,
              "--tenant "
                  + only.get()
                  + " limits this command to tenant '"
                  + only.get()
                  + "', not '"
                  + n
                  + "'; drop --tenant or name "
                  + only.get());
        }
        throw notFound(n);
      }
      return n;
    }

    CliException notFound(String n) {
      return new CliException(
          ExitCodes.NOT_FOUND,
          "no tenant '"
              + n
              + "' in "
              + jobkit().databaseForDisplay()
              + ": it has no settings and no waiting or running jobs; see jobkit tenants list");
    }
  }

  @Command(
      name = "list",
      description = {
        "List the tenants that have settings or waiting or running jobs, by name, with their"
            + " counts.",
        "With --tenant, only that tenant."
      })
  static final class ListTenants extends Sub {
    @Option(
        names = "--json",
        description = "Print a JSON array of tenants (the fields of 'show --json').")
    boolean json;

    @Override
    public Integer call() {
      List<TenantInfo> all;
      try (JobManager jobs = jobkit().openClient(false)) {
        Optional<String> only = jobkit().tenant();
        all =
            only.isEmpty()
                ? jobs.tenants().list()
                : jobs.tenants().get(only.get()).map(List::of).orElse(List.of());
      }
      if (json) {
        Json.write(
            out(),
            true,
            g -> {
              g.writeStartArray();
              for (TenantInfo t : all) {
                write(g, t);
              }
              g.writeEndArray();
            });
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out().println("no tenants; every job is in the default tenant");
        return ExitCodes.OK;
      }
      Style style = jobkit().style();
      Table t =
          new Table(
              "NAME",
              "WEIGHT",
              "QUEUED",
              "RUNNING",
              "MAX QUEUED",
              "MAX RUNNING",
              "SUBMISSIONS",
              "DESCRIPTION");
      for (TenantInfo i : all) {
        TenantSpec s = i.spec();
        t.row(
            i.name(),
            Integer.toString(s.weight()),
            Long.toString(i.queued()),
            Long.toString(i.running()),
            quota(s.maxQueued()),
            quota(s.maxRunning()),
            rate(s),
            new Table.Cell(
                i.configured() ? s.description().orElse("") : "(no settings)", style::dim));
      }
      t.print(out(), style);
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one tenant: its settings and its counts.")
  static final class Show extends Sub {
    @Parameters(paramLabel = "NAME", description = "The tenant.")
    String name;

    @Option(names = "--json", description = "Print the tenant as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      String n = name(name, false);
      TenantInfo t;
      try (JobManager jobs = jobkit().openClient(false)) {
        t = jobs.tenants().get(n).orElseThrow(() -> notFound(n));
      }
      if (json) {
        Json.write(out(), true, g -> write(g, t));
        return ExitCodes.OK;
      }
      print(out(), t);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set",
      aliases = "put",
      description = {
        "Create or change a tenant's settings. Options not given keep their stored value (or the"
            + " default: weight 1, no quota); 0 turns a quota off.",
        "Quotas are enforced when jobs are stored (max queued, submissions, max stored bytes) and"
            + " claimed (max running)."
      })
  static final class Set extends Sub {
    @Parameters(paramLabel = "NAME", description = "The tenant.")
    String name;

    @Option(
        names = "--weight",
        paramLabel = "W",
        description = "Its share in fair claiming within a queue, 1 to 1000. Default: 1.")
    Integer weight;

    @Option(
        names = "--max-queued",
        paramLabel = "N",
        description =
            "The most jobs that may wait (queued, scheduled, retrying, waiting); 0: none.")
    Long maxQueued;

    @Option(
        names = "--max-running",
        paramLabel = "N",
        description = "The most jobs that may run at once on all workers; 0: none.")
    Integer maxRunning;

    @Option(
        names = "--submissions",
        paramLabel = "N/PERIOD",
        converter = RateConverter.class,
        description = "The most jobs submitted per period, such as 100/1m or 5000/1h; 0: none.")
    Rate submissions;

    @Option(
        names = "--burst",
        paramLabel = "N",
        description =
            "Submissions allowed at once beyond the even rate; 0: a whole period's worth.")
    Integer burst;

    @Option(
        names = "--max-stored-bytes",
        paramLabel = "N",
        description = "The most bytes of parameters its stored jobs may hold; 0: none.")
    Long maxStoredBytes;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        description = "What the tenant is (empty to remove it).")
    String description;

    @Option(names = "--json", description = "Print the tenant as stored, as 'show --json' does.")
    boolean json;

    @Override
    public Integer call() {
      String n = name(name, true);
      TenantInfo stored;
      boolean existed;
      try (JobManager jobs = jobkit().openClient(true)) {
        Optional<TenantInfo> before = jobs.tenants().get(n).filter(TenantInfo::configured);
        existed = before.isPresent();
        TenantSpec spec = merge(n, before.map(TenantInfo::spec));
        stored = jobs.tenants().put(spec, KeysCommand.ACTOR);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
      }
      if (json) {
        Json.write(out(), true, g -> write(g, stored));
      } else {
        out().println((existed ? "updated" : "created") + " tenant " + n + ": " + summary(stored));
      }
      return ExitCodes.OK;
    }

    /** The stored settings (or the defaults) with the options given. */
    private TenantSpec merge(String n, Optional<TenantSpec> before) {
      TenantSpec.Builder b = TenantSpec.builder(n);
      before.ifPresent(
          s -> {
            b.weight(s.weight())
                .maxQueued(s.maxQueued())
                .maxRunning(s.maxRunning())
                .maxStoredBytes(s.maxStoredBytes())
                .description(s.description().orElse(null));
            if (s.submissions() > 0) {
              b.submissions(s.submissions(), s.submissionPeriod()).burst(s.burst());
            }
          });
      if (weight != null) {
        b.weight(weight);
      }
      if (maxQueued != null) {
        b.maxQueued(maxQueued);
      }
      if (maxRunning != null) {
        b.maxRunning(maxRunning);
      }
      if (submissions != null) {
        b.submissions(submissions.count(), submissions.period());
      }
      if (burst != null) {
        boolean rate =
            submissions != null
                ? submissions.count() > 0
                : before.filter(x -> x.submissions() > 0).isPresent();
        if (!rate && burst > 0) {
          throw new CliException(
              ExitCodes.USAGE,
              "--burst applies to a submission rate, and tenant '"
                  + n
                  + "' has none; add --submissions N/PERIOD");
        }
        b.burst(burst);
      }
      if (maxStoredBytes != null) {
        b.maxStoredBytes(maxStoredBytes);
      }
      if (description != null) {
        b.description(description);
      }
      return b.build();
    }
  }

  @Command(
      name = "delete",
      description =
          "Delete a tenant's settings: it has weight 1 and no quotas from then on. Its jobs,"
              + " schedules, templates and keys stay.")
  static final class Delete extends Sub {
    @Parameters(paramLabel = "NAME", description = "The tenant.")
    String name;

    @Override
    public Integer call() {
      String n = name(name, true);
      try (JobManager jobs = jobkit().openClient(false)) {
        if (!jobs.tenants().delete(n, KeysCommand.ACTOR)) {
          throw new CliException(
              ExitCodes.NOT_FOUND,
              "tenant '"
                  + n
                  + "' has no settings in "
                  + jobkit().databaseForDisplay()
                  + "; see jobkit tenants list");
        }
      }
      out()
          .println(
              "deleted the settings of tenant "
                  + n
                  + "; its jobs, schedules, templates and keys stay");
      return ExitCodes.OK;
    }
  }

  // ------------------------------------------------------------------ output

  private static void print(PrintWriter o, TenantInfo t) {
    TenantSpec s = t.spec();
    o.println("tenant        " + t.name());
    s.description().ifPresent(d -> o.println("description   " + d));
    o.println("weight        " + s.weight());
    o.println("queued        " + t.queued() + " (max " + quota(s.maxQueued()) + ")");
    o.println("running       " + t.running() + " (max " + quota(s.maxRunning()) + ")");
    o.println(
        "submissions   " + rate(s) + (s.submissions() > 0 ? " (burst " + burst(s) + ")" : ""));
    o.println("stored bytes  max " + quota(s.maxStoredBytes()));
    if (t.configured()) {
      o.println("created       " + JobkitCommand.time(t.createdAt().orElseThrow()));
      o.println("updated       " + JobkitCommand.time(t.updatedAt().orElseThrow()));
    } else {
      o.println("settings      none (the defaults)");
    }
  }

  /** One line of the settings, for {@code set}. */
  private static String summary(TenantInfo t) {
    TenantSpec s = t.spec();
    List<String> parts = new ArrayList<>();
    parts.add("weight " + s.weight());
    parts.add("max queued " + quota(s.maxQueued()));
    parts.add("max running " + quota(s.maxRunning()));
    parts.add("submissions " + rate(s) + (s.submissions() > 0 ? " (burst " + burst(s) + ")" : ""));
    parts.add("max stored bytes " + quota(s.maxStoredBytes()));
    return String.join(", ", parts);
  }

  private static String quota(long n) {
    return n == 0 ? "none" : Long.toString(n);
  }

  private static String rate(TenantSpec s) {
    return s.submissions() == 0
        ? "none"
        : s.submissions() + "/" + Durations.format(s.submissionPeriod());
  }

  private static int burst(TenantSpec s) {
    return s.burst() == 0 ? s.submissions() : s.burst();
  }

  /** A tenant as a JSON object ({@code show --json}, {@code list --json}, {@code set --json}). */
  static void write(JsonGenerator g, TenantInfo t) throws IOException {
    TenantSpec s = t.spec();
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("description", s.description().orElse(null));
    g.writeNumberField("weight", s.weight());
    g.writeNumberField("maxQueued", s.maxQueued());
    g.writeNumberField("maxRunning", s.maxRunning());
    g.writeNumberField("submissions", s.submissions());
    g.writeStringField(
        "submissionPeriod", s.submissions() == 0 ? null : s.submissionPeriod().toString());
    g.writeNumberField("burst", s.burst());
    g.writeNumberField("maxStoredBytes", s.maxStoredBytes());
    g.writeNumberField("queued", t.queued());
    g.writeNumberField("running", t.running());
    g.writeBooleanField("configured", t.configured());
    Json.instant(g, "createdAt", t.createdAt());
    Json.instant(g, "updatedAt", t.updatedAt());
    g.writeEndObject();
  }

  // ------------------------------------------------------------------ --submissions

  /** A submission rate: {@code count} jobs per {@code period}; count 0 for none. */
  record Rate(int count, Duration period) {}

  /** Reads {@code N/PERIOD} ({@code 100/1m}, {@code 5000/1h}, {@code 10/PT1S}) or {@code 0}. */
  static final class RateConverter implements ITypeConverter<Rate> {
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\S+)");

    @Override
    public Rate convert(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (v.equals("0") || v.equals("none")) {
        return new Rate(0, Duration.ZERO);
      }
      Matcher m = RATE.matcher(v);
      if (!m.matches()) {
        throw new TypeConversionException(
            "invalid rate '"
                + value
                + "': use N/PERIOD, such as 100/1m or 5000/1h, or 0 for no rate quota");
      }
      Duration d = Durations.parse(m.group(2));
      if (d.isZero() || d.toMillis() < 1) {
        throw new TypeConversionException(
            "invalid rate '" + value + "': the period must be at least 1ms");
      }
      return new Rate(Integer.parseInt(m.group(1)), d);
    }
  }
}
