package dev.jobkit.runtime.cli;

import dev.jobkit.JobException;
import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Opens a {@link JobManager} from the {@code --db} string: the one place that knows which forms
 * that string takes. Today it is the path of a SQLite file, relative to the current directory; a
 * JDBC URL such as {@code jdbc:postgresql://host/db} is recognised and refused with a clear message
 * until the runtime can open one.
 */
final class Databases {
  private Databases() {}

  /**
   * A manager that runs no jobs, for the commands that read and control jobs. With {@code create}
   * false the database must exist already, so that a mistyped {@code --db} is not silently created
   * as an empty database.
   */
  static JobManager openClient(String location, JobRegistry registry, boolean create) {
    return open(location, registry, create, JobManager.Builder::noWorkers);
  }

  /** A manager running workers as {@code settings} configure them; creates the database if needed. */
  static JobManager openWorker(
      String location, JobRegistry registry, UnaryOperator<JobManager.Builder> settings) {
    return open(location, registry, true, settings);
  }

  private static JobManager open(String location, JobRegistry registry, boolean create,
      UnaryOperator<JobManager.Builder> settings) {
    Path file = sqliteFile(location);
    if (!create && !Files.exists(file)) {
      throw new CliException(ExitCodes.STORAGE, "no job database at " + file.toAbsolutePath().normalize()
          + " (pass --db PATH or set JOBKIT_DB; 'submit' and 'worker' create the database)");
    }
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.STORAGE,
          "cannot open job database " + file + ": it is a directory; pass the database file");
    }
    JobManager.Builder b = JobManager.builder().database(file).registry(registry);
    try {
      return settings.apply(b).open();
    } catch (JobException e) {
      throw new CliException(ExitCodes.STORAGE, e.getMessage(), e);
    }
  }

  /** The SQLite file named by {@code location}, or a usage error for forms not supported yet. */
  static Path sqliteFile(String location) {
    if (location.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "--db must not be empty");
    }
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:")) {
      throw new CliException(ExitCodes.USAGE, "--db " + location
          + ": JDBC URLs are not supported yet; pass the path of a SQLite database file");
    }
    try {
      return Path.of(location);
    } catch (InvalidPathException e) {
      throw new CliException(ExitCodes.USAGE, "--db " + location + ": " + e.getMessage());
    }
  }
}
