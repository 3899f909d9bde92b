package dev.jobkit.cli;

import dev.jobkit.runtime.ApiKeys.ApiKey;
import dev.jobkit.runtime.ApiKeys.CreatedKey;
import dev.jobkit.runtime.ApiKeys.Role;
import dev.jobkit.runtime.JobManager;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobkit keys create|list|revoke}: the API keys of the HTTP API and dashboard, stored in the
 * job database. Actions are recorded with the actor {@code cli:USER}.
 */
@Command(
    name = "keys",
    description = {
      "Manage the API keys of the HTTP API and dashboard (jobkit serve).",
      "A key's secret is shown once, when it is created; only its hash is stored."
    },
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Callable<Integer> {
  /**
   * Who the CLI's actions are recorded as (in job events, {@code createdBy} and the audit trail):
   * {@code cli:USER}, the operating-system user running it (#14 tenants: the audit's actor).
   */
  static final String ACTOR = "cli:" + System.getProperty("user.name", "unknown");

  @ParentCommand Jobkit jobkit;
  @Spec CommandSpec spec;

  /** Prints the usage: a subcommand is required. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** What the three subcommands share. */
  abstract static class KeysSubcommand implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    Jobkit jobkit() {
      return keys.jobkit;
    }
  }

  /** Reads a role in any case. */
  static final class RoleConverter implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.parse(value);
    }
  }

  @Command(
      name = "create",
      description = {
        "Create an API key and print its secret, once.",
        "Roles: viewer (read), operator (+ submit and control jobs), admin (+ keys and cleanup).",
        "With --tenant, the key acts for that tenant only; without, for every tenant."
      })
  static final class Create extends KeysSubcommand {
    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "1 to 64 of a-z, 0-9, '.', '_', '-'; unique among keys not revoked.")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        converter = RoleConverter.class,
        description = "viewer, operator or admin.")
    Role role;

    @Option(
        names = "--json",
        description = "Print {\"id\", \"name\", \"role\", \"createdAt\", \"secret\"} as JSON.")
    boolean json;

    @Override
    public Integer call() {
      CreatedKey created;
      try (JobManager jobs = jobkit().openClient(true)) {
        // #14 tenants: --tenant scopes the key; without it the key acts for every tenant
        created = jobs.apiKeys().create(name, role, jobkit().tenant().orElse(null), ACTOR);
      } catch (IllegalStateException duplicate) {
        throw new CliException(ExitCodes.BAD_INPUT, duplicate.getMessage(), duplicate);
      }
      ApiKey k = created.key();
      if (json) {
        Json.write(
            out(),
            true,
            g -> {
              g.writeStartObject();
              g.writeStringField("id", k.id());
              g.writeStringField("name", k.name());
              g.writeStringField("role", lower(k.role()));
              g.writeStringField("tenant", k.tenant().orElse(null));
              g.writeStringField("createdAt", k.createdAt().toString());
              g.writeStringField("secret", created.secret());
              g.writeEndObject();
            });
      } else {
        // The secret alone on standard output, so that a script can capture it.
        out().println(created.secret());
      }
      err()
          .println(
              "jobkit: created API key "
                  + k.name()
                  + " ("
                  + lower(k.role())
                  + k.tenant().map(t -> ", tenant " + t).orElse("")
                  + "); its secret is shown only this once and cannot be shown again: store it"
                  + " now");
      err().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      description = {
        "List the API keys, revoked ones included, newest first.",
        "With --tenant, only the keys that act for that tenant."
      })
  static final class ListKeys extends KeysSubcommand {
    @Option(
        names = "--json",
        description =
            "Print a JSON array of {\"id\", \"name\", \"role\", \"tenant\", \"createdAt\","
                + " \"createdBy\", \"lastUsedAt\", \"revokedAt\"} (absent times are null; tenant"
                + " is null for a key that acts for every tenant).")
    boolean json;

    @Override
    public Integer call() {
      List<ApiKey> all;
      try (JobManager jobs = jobkit().openClient(false)) {
        all = inTenant(jobkit(), jobs.apiKeys().list());
      }
      if (json) {
        Json.write(
            out(),
            true,
            g -> {
              g.writeStartArray();
              for (ApiKey k : all) {
                g.writeStartObject();
                g.writeStringField("id", k.id());
                g.writeStringField("name", k.name());
                g.writeStringField("role", lower(k.role()));
                g.writeStringField("tenant", k.tenant().orElse(null));
                g.writeStringField("createdAt", k.createdAt().toString());
                g.writeStringField("createdBy", k.createdBy().orElse(null));
                g.writeStringField("lastUsedAt", text(k.lastUsedAt()));
                g.writeStringField("revokedAt", text(k.revokedAt()));
                g.writeEndObject();
              }
              g.writeEndArray();
            });
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        out()
            .println(
                "no API keys"
                    + jobkit().tenant().map(t -> " for tenant " + t).orElse("")
                    + "; create one with: jobkit keys create --name NAME --role ROLE"
                    + jobkit().tenant().map(t -> " --tenant " + t).orElse(""));
        return ExitCodes.OK;
      }
      Style style = jobkit().style();
      Table t = new Table("NAME", "ROLE", "TENANT", "ID", "CREATED", "LAST USED", "STATUS");
      for (ApiKey k : all) {
        t.row(
            k.name(),
            lower(k.role()),
            k.tenant().orElse("(all)"),
            k.id(),
            JobkitCommand.time(k.createdAt()),
            k.lastUsedAt().map(JobkitCommand::time).orElse("never"),
            k.active()
                ? new Table.Cell("active", style::green)
                : new Table.Cell(
                    "revoked " + JobkitCommand.time(k.revokedAt().orElseThrow()), style::dim));
      }
      t.print(out(), style);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke an API key: its secret and the sessions made with it stop working.")
  static final class Revoke extends KeysSubcommand {
    @Parameters(paramLabel = "NAME", description = "The key's name (or its id).")
    String nameOrId;

    @Override
    public Integer call() {
      boolean revoked;
      String n = nameOrId.strip();
      try (JobManager jobs = jobkit().openClient(false)) {
        // #14 tenants: with --tenant, another tenant's key is "no key", as an unknown name is
        boolean visible =
            jobkit().tenant().isEmpty()
                || inTenant(jobkit(), jobs.apiKeys().list()).stream()
                    .anyMatch(k -> k.active() && (k.name().equals(n) || k.id().equals(n)));
        revoked = visible && jobs.apiKeys().revoke(n, ACTOR);
      }
      if (!revoked) {
        throw new CliException(
            ExitCodes.NOT_FOUND,
            "no active API key named '"
                + nameOrId.strip()
                + "' in "
                + jobkit().scopeForDisplay()
                + "; see jobkit keys list");
      }
      out().println("revoked API key " + nameOrId.strip());
      return ExitCodes.OK;
    }
  }

  /** The keys that act for {@code --tenant} only, or all of them without it (#14 tenants). */
  private static List<ApiKey> inTenant(Jobkit jobkit, List<ApiKey> keys) {
    Optional<String> t = jobkit.tenant();
    return t.isEmpty() ? keys : keys.stream().filter(k -> k.tenant().equals(t)).toList();
  }

  private static String lower(Role r) {
    return r.name().toLowerCase(Locale.ROOT);
  }

  private static String text(Optional<Instant> at) {
    return at.map(Instant::toString).orElse(null);
  }
}
