package dev.jobkit.cli;

import dev.jobkit.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobkit backup FILE}: a consistent copy of a SQLite database while workers run. */
@Command(
    name = "backup",
    description = {
      "Write a consistent copy of the SQLite database to FILE while workers keep running "
          + "(no sqlite3 tool needed).",
      "To restore: stop every process on the database, copy FILE over the database file and "
          + "delete its -wal and -shm files. On PostgreSQL use pg_dump or pg_basebackup."
    })
final class BackupCommand extends JobkitCommand {
  @Parameters(paramLabel = "FILE", description = "The copy to write; it must not exist.")
  Path file;

  @Option(names = "--force", description = "Replace FILE if it exists.")
  boolean force;

  @Option(names = "--json", description = "Print {\"database\",\"backup\",\"bytes\"} as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    jobkit.noTenant("backup", "copies the whole database"); // #14 tenants
    if (jobkit.target() instanceof Databases.Postgres pg) {
      throw new CliException(
          ExitCodes.USAGE,
          "backup copies SQLite files; for the PostgreSQL database "
              + pg.display()
              + " use pg_dump (a logical copy of the database) or pg_basebackup (the whole server)");
    }
    if (Files.isDirectory(file)) {
      throw new CliException(
          ExitCodes.USAGE, "backup " + file + ": it is a directory; pass the file to write");
    }
    if (Files.exists(file) && !force) {
      throw new CliException(
          ExitCodes.USAGE, "backup " + file + " exists; pass --force to replace it");
    }
    try (JobManager jobs = jobkit.openClient(false)) {
      jobs.transfer().backup(file, force);
    }
    long bytes = Files.size(file);
    if (json) {
      Json.write(
          out(),
          true,
          g -> {
            g.writeStartObject();
            g.writeStringField("database", jobkit.databaseForDisplay());
            g.writeStringField("backup", file.toString());
            g.writeNumberField("bytes", bytes);
            g.writeEndObject();
          });
    } else {
      out()
          .println(
              "backed up "
                  + jobkit.databaseForDisplay()
                  + " to "
                  + file
                  + " ("
                  + bytes
                  + " bytes)");
    }
    return ExitCodes.OK;
  }
}
