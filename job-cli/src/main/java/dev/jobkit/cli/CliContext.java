package dev.jobkit.cli;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.Tenants;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.TypeConversionException;

/**
 * What the command line hands a {@link CliPlugin} besides its arguments: the global options given
 * before the plugin's name ({@code jobkit --db URL serve}), and the built-in commands' way of
 * opening the job database.
 */
public final class CliContext {
  private final String database;
  private final String pgSchema;
  private final String tenant;
  private final boolean verbose;
  private final Map<String, String> env;

  CliContext(
      String database, String pgSchema, String tenant, boolean verbose, Map<String, String> env) {
    this.database = Objects.requireNonNull(database, "database");
    this.pgSchema = pgSchema;
    this.tenant = tenant;
    this.verbose = verbose;
    this.env = Map.copyOf(env);
  }

  /**
   * Reads a retention time as {@code jobkit worker --keep-completed} does: a positive duration such
   * as {@code 7d}, {@code 12h} or {@code PT36H}, or {@code forever}.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static Duration keepDuration(String value) {
    try {
      return new KeepDurations().convert(value);
    } catch (TypeConversionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * The context of a plugin run outside the command line: no global options, so the database is
   * {@code $JOBKIT_DB}, else {@code ./jobkit.db}.
   *
   * @param env the environment ({@code JOBKIT_DB}, {@code JOBKIT_PG_SCHEMA}, {@code PGUSER}, {@code
   *     PGPASSWORD})
   */
  public static CliContext of(Map<String, String> env, boolean verbose) {
    String fromEnv = env.get("JOBKIT_DB");
    return new CliContext(
        fromEnv == null || fromEnv.isBlank() ? Jobkit.DEFAULT_DB : fromEnv,
        null,
        null,
        verbose,
        env);
  }

  /**
   * The job database: the global {@code --db}, else {@code $JOBKIT_DB}, else {@code ./jobkit.db}. A
   * SQLite path or a PostgreSQL JDBC URL; show it with {@link #display(String)}.
   */
  public String database() {
    return database;
  }

  /** The global {@code --pg-schema}, if given (else {@code $JOBKIT_PG_SCHEMA} applies on open). */
  public Optional<String> pgSchema() {
    return Optional.ofNullable(pgSchema);
  }

  /**
   * The tenant to act in (#14 tenants): the global {@code --tenant}, else {@code $JOBKIT_TENANT};
   * empty for every tenant. A plugin that cannot act in one tenant should refuse a present one.
   *
   * @throws IllegalArgumentException naming the option or variable when the name is not a valid
   *     tenant name (the command line reports it with exit code 2)
   */
  public Optional<String> tenant() {
    String t = tenant != null ? tenant : env.get("JOBKIT_TENANT");
    if (t == null || (tenant == null && t.isEmpty())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Tenants.checkName(t.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (tenant != null ? "--tenant: " : "JOBKIT_TENANT: ") + e.getMessage(), e);
    }
  }

  /** Whether {@code --verbose} was given: print stack traces with errors. */
  public boolean verbose() {
    return verbose;
  }

  /** A database location as messages show it: the path, or the URL without any password. */
  public static String display(String location) {
    return Databases.redact(location);
  }

  /**
   * Opens a job database as the built-in {@code worker} command does: a SQLite file (created if
   * missing) or a PostgreSQL JDBC URL whose login comes from the URL, else {@code PGUSER} and
   * {@code PGPASSWORD}, in the schema {@code pgSchema}, else {@code $JOBKIT_PG_SCHEMA}, else {@code
   * public} (tables created if missing). {@code settings} adds the rest (workers, intervals).
   *
   * <p>Failures are exceptions whose message is one line without any password; a plugin may let
   * them propagate from {@link CliPlugin#run(List, CliContext, java.io.PrintWriter,
   * java.io.PrintWriter)}, and the command line reports them as for its own commands (exit code 2
   * for a malformed location, 5 when the database cannot be opened).
   *
   * @param location a SQLite path or a JDBC URL; null for {@link #database()}
   * @param pgSchema the PostgreSQL schema; null for the global {@code --pg-schema} or its default
   * @param registry the job types
   * @param settings configures the builder before it opens
   */
  public JobManager openJobManager(
      String location,
      String pgSchema,
      JobRegistry registry,
      UnaryOperator<JobManager.Builder> settings) {
    Databases.Target target =
        Databases.target(
            location != null ? location : database,
            pgSchema != null ? pgSchema : this.pgSchema,
            env);
    return Databases.openWorker(target, registry, settings);
  }

  /**
   * The exit code the command line gives {@code e} (2 for a usage error, 5 for a database that
   * cannot be opened, as in {@code docs/cli.md}), for a plugin that reports an exception itself.
   */
  public static int exitCode(RuntimeException e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.STORAGE;
  }
}
