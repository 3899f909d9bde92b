package dev.jobkit.cli;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobRegistry;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TemplateException;
import dev.jobkit.runtime.TemplateInfo;
import dev.jobkit.runtime.Templates;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobkit templates save|list|show|delete}: named parameter presets of a job type, stored in
 * the job database (issue #12); {@code jobkit submit --template NAME} dispatches one. Saved with
 * the actor {@code cli}.
 */
@Command(
    name = "templates",
    description = {
      "Manage job templates: saved, named JSON parameters of a job type.",
      "Submit one with: jobkit submit --template NAME [--set field=value ...]"
    },
    subcommands = {
      TemplatesCommand.Save.class,
      TemplatesCommand.ListTemplates.class,
      TemplatesCommand.Show.class,
      TemplatesCommand.Delete.class
    })
final class TemplatesCommand implements Callable<Integer> {
  @ParentCommand Jobkit jobkit;
  @Spec CommandSpec spec;

  /** Prints the usage: a subcommand is required. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The exit code and one-line message of a template error. */
  static CliException toCli(TemplateException e) {
    int code =
        e.kind() == TemplateException.Kind.UNKNOWN_TEMPLATE
            ? ExitCodes.NOT_FOUND
            : ExitCodes.BAD_INPUT;
    return new CliException(code, e.getMessage(), e);
  }

  /** What the subcommands share. */
  abstract static class TemplatesSubcommand implements Callable<Integer> {
    @ParentCommand TemplatesCommand templates;
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Jobkit jobkit() {
      return templates.jobkit;
    }

    /**
     * The template with this name (with {@code --tenant}, of that tenant: another tenant's is not
     * found), or NOT_FOUND naming close ones.
     */
    TemplateInfo find(JobManager jobs, String name) {
      return TemplatesCommand.find(jobkit(), jobs, name);
    }
  }

  @Command(
      name = "save",
      description = {
        "Save a template: create it, or replace the one with this name.",
        "The parameters are checked against the job's fields; fields left out keep the job's"
            + " defaults when the template is used."
      })
  static final class Save extends TemplatesSubcommand {
    @Parameters(
        paramLabel = "NAME",
        description = "1 to 64 letters, digits, '.', '_', '-', starting with a letter or digit.")
    String name;

    @Option(
        names = "--job",
        required = true,
        paramLabel = "TYPE",
        description = "The job's registered name (see 'jobkit types').")
    String job;

    @Option(
        names = "--json",
        paramLabel = "JSON",
        description = "The parameters as a JSON object. Default: {}.")
    String json = "{}";

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description;

    @Override
    public Integer call() {
      // Checked before the database is opened (or created), as submit does, with the same
      // messages the runtime gives.
      JobRegistry registry = jobkit().registry();
      if (!registry.contains(job)) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "template '"
                + name
                + "': "
                + new UnknownJobException(job, new TreeSet<>(registry.names())).getMessage()
                + Suggest.didYouMean(job, registry.names()));
      }
      try {
        registry.fromJson(job, json);
      } catch (JobDecodeException e) {
        throw new CliException(
            ExitCodes.BAD_INPUT, "template '" + name + "': " + e.getMessage(), e);
      }
      Templates.Saved saved;
      try (JobManager jobs = jobkit().openClient(true)) {
        // #14 tenants: into --tenant; without it, a replaced template keeps its tenant. Names are
        // unique across tenants, so a name another tenant has is refused rather than taken over.
        Optional<TemplateInfo> existing = jobs.templates().get(name);
        Optional<String> tenant = jobkit().tenant();
        if (tenant.isPresent()
            && existing.isPresent()
            && !existing.get().tenant().equals(tenant.get())) {
          throw new CliException(
              ExitCodes.BAD_INPUT,
              "template '"
                  + name
                  + "': another tenant has a template with this name (names are unique across"
                  + " tenants); choose another name");
        }
        String into = tenant.orElse(existing.map(TemplateInfo::tenant).orElse(Tenants.DEFAULT));
        saved = jobs.templates().save(name, job, json, description, into, KeysCommand.ACTOR);
      } catch (TemplateException e) {
        throw toCli(e);
      }
      out()
          .println(
              (saved.created() ? "saved template " : "updated template ")
                  + name
                  + " ("
                  + job
                  + ")");
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the templates, by name.")
  static final class ListTemplates extends TemplatesSubcommand {
    @Option(
        names = "--json",
        description =
            "Print a JSON array of {\"name\", \"job\", \"tenant\", \"params\", \"description\","
                + " \"createdAt\", \"createdBy\", \"updatedAt\"}.")
    boolean json;

    @Override
    public Integer call() {
      List<TemplateInfo> all;
      try (JobManager jobs = jobkit().openClient(false)) {
        Optional<String> tenant = jobkit().tenant(); // #14 tenants
        all = tenant.isEmpty() ? jobs.templates().list() : jobs.templates().list(tenant.get());
      }
      if (json) {
        Json.write(
            out(),
            true,
            g -> {
              g.writeStartArray();
              for (TemplateInfo t : all) {
                TemplatesCommand.write(g, t);
              }
              g.writeEndArray();
            });
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out()
            .println(
                "no templates; save one with: jobkit templates save NAME --job TYPE --json PARAMS");
        return ExitCodes.OK;
      }
      Style style = jobkit().style();
      // #14 tenants: the column only when a template is not in the default tenant
      boolean tenants = all.stream().anyMatch(x -> !x.tenant().equals(Tenants.DEFAULT));
      Table t =
          tenants
              ? new Table("NAME", "TENANT", "JOB", "UPDATED", "DESCRIPTION")
              : new Table("NAME", "JOB", "UPDATED", "DESCRIPTION");
      for (TemplateInfo x : all) {
        Table.Cell description = new Table.Cell(x.description().orElse(""), style::dim);
        String updated = JobkitCommand.time(x.updatedAt());
        if (tenants) {
          t.row(x.name(), x.tenant(), x.jobName(), updated, description);
        } else {
          t.row(x.name(), x.jobName(), updated, description);
        }
      }
      t.print(out(), style);
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show a template with its parameters.")
  static final class Show extends TemplatesSubcommand {
    @Parameters(paramLabel = "NAME", description = "The template's name.")
    String name;

    @Option(names = "--json", description = "Print it as one JSON object, as 'list --json' does.")
    boolean json;

    @Override
    public Integer call() {
      TemplateInfo t;
      try (JobManager jobs = jobkit().openClient(false)) {
        t = find(jobs, name.strip());
      }
      if (json) {
        Json.write(out(), true, g -> TemplatesCommand.write(g, t));
        return ExitCodes.OK;
      }
      PrintWriter o = out();
      o.println("template     " + t.name());
      o.println("job          " + t.jobName());
      if (!t.tenant().equals(Tenants.DEFAULT)) {
        o.println("tenant       " + t.tenant());
      }
      t.description().ifPresent(d -> o.println("description  " + d));
      o.println(
          "created      "
              + JobkitCommand.time(t.createdAt())
              + t.createdBy().map(b -> " by " + b).orElse(""));
      o.println("updated      " + JobkitCommand.time(t.updatedAt()));
      o.println("params");
      o.println(Json.pretty(t.paramsJson()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete",
      description = "Delete a template. Jobs submitted from it are not affected.")
  static final class Delete extends TemplatesSubcommand {
    @Parameters(paramLabel = "NAME", description = "The template's name.")
    String name;

    @Override
    public Integer call() {
      try (JobManager jobs = jobkit().openClient(false)) {
        String n = name.strip();
        if (jobkit().tenant().isPresent()) {
          find(jobs, n); // #14 tenants: another tenant's template is not found
        }
        if (!jobs.templates().delete(n, KeysCommand.ACTOR)) {
          find(jobs, n); // throws NOT_FOUND with close names
        }
        out().println("deleted template " + n);
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The template with this name, in {@code --tenant} when given (#14 tenants: another tenant's
   * template is not found, as an unknown name is), or NOT_FOUND naming close ones.
   */
  static TemplateInfo find(Jobkit jobkit, JobManager jobs, String name) {
    Optional<String> tenant = jobkit.tenant();
    Optional<TemplateInfo> t =
        jobs.templates().get(name).filter(x -> tenant.isEmpty() || tenant.get().equals(x.tenant()));
    if (t.isPresent()) {
      return t.get();
    }
    List<TemplateInfo> visible =
        tenant.isEmpty() ? jobs.templates().list() : jobs.templates().list(tenant.get());
    throw new CliException(
        ExitCodes.NOT_FOUND,
        "no template named '"
            + name
            + "' in "
            + jobkit.scopeForDisplay()
            + Suggest.didYouMean(name, visible.stream().map(TemplateInfo::name).toList())
            + "; see jobkit templates list");
  }

  static void write(com.fasterxml.jackson.core.JsonGenerator g, TemplateInfo t) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("job", t.jobName());
    g.writeStringField("tenant", t.tenant()); // #14 tenants
    Json.embedded(g, "params", Optional.of(t.paramsJson()));
    g.writeStringField("description", t.description().orElse(null));
    g.writeStringField("createdAt", t.createdAt().toString());
    g.writeStringField("createdBy", t.createdBy().orElse(null));
    g.writeStringField("updatedAt", t.updatedAt().toString());
    g.writeEndObject();
  }
}
