package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobkit migrate --to URL}: the whole database into another one, ids kept, verified. */
@Command(
    name = "migrate",
    description = {
      "Copy the whole database (jobs with their checkpoints, events, logs and tags, and API keys) "
          + "into an empty one: SQLite to PostgreSQL or back. Ids are kept; the copy is verified "
          + "(row counts, and a checksum of every job) and the source is only read.",
      "Stop every worker first: jobs running under a live lease make it refuse."
    })
final class MigrateCommand extends JobkitCommand {
  @Option(
      names = "--to",
      paramLabel = "PATH|URL",
      required = true,
      description =
          "The target: a SQLite file (created if missing) or a PostgreSQL JDBC URL (its tables are"
              + " created if missing). It must hold no jobs and no API keys.")
  String to;

  @Option(
      names = "--to-pg-schema",
      paramLabel = "SCHEMA",
      description = "The target's PostgreSQL schema. Default: public.")
  String toSchema;

  @Option(names = "--json", description = "Print the copied row counts as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    jobkit.noTenant("migrate", "copies the whole database"); // #14 tenants
    Databases.Target source = jobkit.target();
    // The target's login comes from its URL, else PGUSER and PGPASSWORD, as for --db; its schema
    // from --to-pg-schema only (JOBKIT_PG_SCHEMA is the source's).
    boolean pgTarget = to.toLowerCase(java.util.Locale.ROOT).startsWith(Databases.POSTGRES_PREFIX);
    Databases.Target target;
    try {
      target =
          Databases.target(
              to,
              toSchema != null || !pgTarget ? toSchema : Databases.DEFAULT_SCHEMA,
              jobkit.env());
    } catch (CliException e) {
      throw new CliException(
          e.exitCode(),
          e.getMessage().replace("--db", "--to").replace("--pg-schema", "--to-pg-schema"),
          e);
    }
    if (sameDatabase(source, target)) {
      throw new CliException(
          ExitCodes.USAGE, "--to " + target.display() + " is the source database; pass another");
    }
    Path createdFile =
        target instanceof Databases.SqliteFile f && !Files.exists(f.file()) ? f.file() : null;
    JobTransfer.MigrationReport r;
    boolean ok = false;
    try (JobManager from = jobkit.openClient(false);
        JobManager into = Databases.openClient(target, jobkit.registry(), true)) {
      try {
        r = from.transfer().migrateTo(into);
      } catch (JobTransfer.RefusedException e) {
        throw new CliException(ExitCodes.JOB_NOT_COMPLETED, e.getMessage(), e);
      }
      ok = true;
    } finally {
      if (!ok && createdFile != null) {
        // Refused or failed into a file this command created: leave nothing behind.
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
          Files.deleteIfExists(createdFile.resolveSibling(createdFile.getFileName() + suffix));
        }
      }
    }
    if (json) {
      Json.write(
          out(),
          true,
          g -> {
            g.writeStartObject();
            g.writeStringField("from", source.display());
            g.writeStringField("to", target.display());
            g.writeNumberField("jobs", r.jobs());
            g.writeNumberField("events", r.events());
            g.writeNumberField("logs", r.logs());
            g.writeNumberField("tags", r.tags());
            g.writeNumberField("apiKeys", r.apiKeys());
            g.writeNumberField("batches", r.batches());
            g.writeBooleanField("verified", true);
            g.writeEndObject();
          });
    } else {
      out()
          .println(
              "migrated "
                  + r.jobs()
                  + " jobs, "
                  + r.events()
                  + " events, "
                  + r.logs()
                  + " log lines, "
                  + r.tags()
                  + " tags, "
                  + r.batches()
                  + " batches and "
                  + r.apiKeys()
                  + " API keys from "
                  + source.display()
                  + " to "
                  + target.display());
      out()
          .println(
              "verified: the same row counts and the same checksum for every job; "
                  + source.display()
                  + " is unchanged. Point workers and clients at the new database.");
    }
    return ExitCodes.OK;
  }

  private static boolean sameDatabase(Databases.Target a, Databases.Target b) {
    if (a instanceof Databases.SqliteFile x && b instanceof Databases.SqliteFile y) {
      try {
        return Files.exists(y.file()) && Files.isSameFile(x.file(), y.file());
      } catch (IOException e) {
        return false;
      }
    }
    if (a instanceof Databases.Postgres x && b instanceof Databases.Postgres y) {
      return x.url.equals(y.url) && x.schema.equals(y.schema);
    }
    return false;
  }
}
