package dev.jobkit.cli;

import dev.jobkit.JobException;
import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobStorageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Opens a {@link JobManager} from the {@code --db} string: the one place that knows which forms
 * that string takes. A string starting with {@code jdbc:postgresql:} is a PostgreSQL JDBC URL;
 * anything else is the path of a SQLite file, relative to the current directory.
 *
 * <p>PostgreSQL credentials follow libpq's rule, so that jobkit behaves like {@code psql} in the
 * same shell or container: {@code user} and {@code password} URL parameters win; missing ones come
 * from {@code PGUSER} and {@code PGPASSWORD}; else the driver's defaults apply (the operating
 * system's user name, and a password from {@code ~/.pgpass} or {@code PGPASSFILE}). The schema is
 * {@code --pg-schema}, else {@code JOBKIT_PG_SCHEMA}, else {@code public}. No message ever shows a
 * password: URLs are shown by {@link #redact(String)}.
 */
final class Databases {
  /** The prefix of the URLs this class opens as PostgreSQL (the driver's own, lower case). */
  static final String POSTGRES_PREFIX = "jdbc:postgresql:";

  /** The environment variables read for a PostgreSQL login (libpq's). */
  static final String PGUSER = "PGUSER";

  static final String PGPASSWORD = "PGPASSWORD";

  /** The environment variable with the default of {@code --pg-schema}. */
  static final String SCHEMA_ENV = "JOBKIT_PG_SCHEMA";

  /** The schema when neither {@code --pg-schema} nor {@value #SCHEMA_ENV} is given. */
  static final String DEFAULT_SCHEMA = "public";

  /** Connections of a client command's manager: one for the command, one for notifications. */
  static final int CLIENT_POOL_SIZE = 2;

  /** What the runtime accepts as a schema name (see {@code JobManager.Builder.postgresSchema}). */
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** {@code password=}, {@code sslpassword=}, ... in a URL's query, any case. */
  private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&][a-z_]*password=)[^&]*");

  /** {@code user:password@} before the host (not valid in a JDBC URL, but shown redacted). */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/?@:]*):[^/?@]*@");

  private static final String EXPECTED =
      "expected jdbc:postgresql://HOST[:PORT]/DATABASE[?user=NAME&...]";

  private Databases() {}

  /** Where {@code --db} points. */
  sealed interface Target permits SqliteFile, Postgres {
    /** The location as shown in messages: the path, or the URL without any password. */
    String display();
  }

  /** A SQLite database file. */
  record SqliteFile(Path file) implements Target {
    @Override
    public String display() {
      return file.toString();
    }
  }

  /**
   * A PostgreSQL database. Not a record, so that no {@code toString()} can show the password.
   * {@code user} and {@code password} are those from the environment, null when the URL has its own
   * or none is set.
   */
  static final class Postgres implements Target {
    final String url;
    final String user;
    final String password;
    final String schema;

    Postgres(String url, String user, String password, String schema) {
      this.url = url;
      this.user = user;
      this.password = password;
      this.schema = schema;
    }

    @Override
    public String display() {
      return redact(url);
    }

    @Override
    public String toString() {
      return display() + " (schema " + schema + ")";
    }
  }

  /**
   * Parses {@code --db}: a PostgreSQL JDBC URL or a SQLite path.
   *
   * @param location the {@code --db} value (or its default)
   * @param schemaOption {@code --pg-schema}, or null when not given
   * @param env the environment ({@code PGUSER}, {@code PGPASSWORD}, {@code JOBKIT_PG_SCHEMA})
   * @throws CliException USAGE for a malformed URL or path, an unsupported URL, a bad schema, or
   *     {@code --pg-schema} with a SQLite file
   */
  static Target target(String location, String schemaOption, Map<String, String> env) {
    if (location.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "--db must not be empty");
    }
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.startsWith(POSTGRES_PREFIX)) {
      Set<String> params = checkPostgresUrl(location);
      String schema =
          schemaOption != null
              ? checkSchema("--pg-schema", schemaOption)
              : present(env.get(SCHEMA_ENV))
                  ? checkSchema(SCHEMA_ENV, env.get(SCHEMA_ENV))
                  : DEFAULT_SCHEMA;
      String user = params.contains("user") || !present(env.get(PGUSER)) ? null : env.get(PGUSER);
      String password =
          params.contains("password") || !present(env.get(PGPASSWORD)) ? null : env.get(PGPASSWORD);
      return new Postgres(location, user, password, schema);
    }
    if (lower.startsWith("jdbc:")) {
      throw new CliException(
          ExitCodes.USAGE,
          "--db "
              + redact(location)
              + ": only PostgreSQL JDBC URLs (jdbc:postgresql://...) are supported; for SQLite pass "
              + "the path of the database file");
    }
    if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
      throw new CliException(
          ExitCodes.USAGE,
          "--db "
              + redact(location)
              + ": pass a JDBC URL (jdbc:postgresql://HOST[:PORT]/DATABASE) with the user as "
              + "?user=NAME and the password in PGPASSWORD");
    }
    if (schemaOption != null) {
      throw new CliException(
          ExitCodes.USAGE,
          "--pg-schema applies only to a PostgreSQL --db (jdbc:postgresql://...), not to the "
              + "SQLite file "
              + location);
    }
    try {
      return new SqliteFile(Path.of(location));
    } catch (InvalidPathException e) {
      throw new CliException(ExitCodes.USAGE, "--db " + location + ": " + e.getMessage());
    }
  }

  /**
   * A manager that runs no jobs, for the commands that read and control jobs. With {@code create}
   * false a SQLite file must exist already, so that a mistyped {@code --db} is not silently created
   * as an empty database; on PostgreSQL the schema must hold jobkit's tables already.
   */
  static JobManager openClient(Target target, JobRegistry registry, boolean create) {
    return open(
        target,
        registry,
        create,
        b -> {
          b.noWorkers();
          // submit checks the parameters against this limit before opening the database.
          b.maxParamBytes(SubmitCommand.MAX_PARAM_BYTES);
          if (target instanceof Postgres) {
            b.postgresPoolSize(CLIENT_POOL_SIZE);
          }
          return b;
        });
  }

  /**
   * A manager running workers as {@code settings} configure them; creates the database if needed.
   */
  static JobManager openWorker(
      Target target, JobRegistry registry, UnaryOperator<JobManager.Builder> settings) {
    return open(target, registry, true, settings);
  }

  private static JobManager open(
      Target target,
      JobRegistry registry,
      boolean create,
      UnaryOperator<JobManager.Builder> settings) {
    JobManager.Builder b = JobManager.builder().registry(registry).createIfMissing(create);
    if (target instanceof Postgres pg) {
      b.postgres(pg.url, pg.user, pg.password).postgresSchema(pg.schema);
    } else {
      Path file = ((SqliteFile) target).file();
      if (!create && !Files.exists(file)) {
        throw new CliException(
            ExitCodes.STORAGE,
            "no job database at "
                + file.toAbsolutePath().normalize()
                + " (pass --db PATH or set JOBKIT_DB; 'submit' and 'worker' create the database)");
      }
      if (Files.isDirectory(file)) {
        throw new CliException(
            ExitCodes.STORAGE,
            "cannot open job database " + file + ": it is a directory; pass the database file");
      }
      b.database(file);
    }
    try {
      return settings.apply(b).open();
    } catch (JobStorageException e) {
      if (e.kind() == JobStorageException.Kind.MISSING && target instanceof Postgres pg) {
        throw new CliException(
            ExitCodes.STORAGE,
            "no jobkit tables in schema "
                + pg.schema
                + " of "
                + redact(pg.url)
                + " (check --db and --pg-schema; 'submit' and 'worker' create the tables)",
            e);
      }
      throw new CliException(ExitCodes.STORAGE, redactAll(e.getMessage(), target), e);
    } catch (JobException e) {
      // The runtime's messages name the server by its URL without the password; redact anyway.
      throw new CliException(ExitCodes.STORAGE, redactAll(e.getMessage(), target), e);
    }
  }

  /**
   * {@code url} with every password (parameter or {@code user:password@}) replaced by {@code ***}.
   */
  static String redact(String url) {
    String s = SECRET_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(s).replaceAll("$1:***@");
  }

  /** {@code message} with the URL, should it be in it, replaced by the URL without password. */
  static String redactAll(String message, Target target) {
    if (message == null || !(target instanceof Postgres pg)) {
      return message;
    }
    return message.replace(pg.url, pg.display());
  }

  // ---------------------------------------------------------------- validation

  /**
   * Checks {@code url} as the PostgreSQL driver parses it ({@code org.postgresql.Driver.parseURL},
   * which would otherwise log its complaint and fail the open with a vaguer message) and returns
   * the names of its query parameters.
   */
  static Set<String> checkPostgresUrl(String url) {
    if (!url.startsWith(POSTGRES_PREFIX)) {
      throw badUrl(url, "write the prefix jdbc:postgresql: in lower case");
    }
    int q = url.indexOf('?');
    String server = (q < 0 ? url : url.substring(0, q)).substring(POSTGRES_PREFIX.length());
    String query = q < 0 ? "" : url.substring(q + 1);
    if (server.startsWith("//") && !server.equals("//") && !server.equals("///")) {
      String rest = server.substring(2);
      int slash = rest.indexOf('/');
      String hosts = slash < 0 ? rest : rest.substring(0, slash);
      if (hosts.contains("@")) {
        throw badUrl(
            url, "a JDBC URL takes no user:password@; pass ?user=NAME and set " + PGPASSWORD);
      }
      if (slash < 0) {
        throw badUrl(url, "'/' and the database name must follow the host and port");
      }
      if (rest.indexOf('/', slash + 1) >= 0) {
        throw badUrl(url, "too many '/'; " + EXPECTED);
      }
      decode(url, rest.substring(slash + 1), "the database name");
      for (String address : hosts.split(",")) {
        int colon = address.lastIndexOf(':');
        if (colon >= 0 && address.lastIndexOf(']') < colon) {
          String port = address.substring(colon + 1);
          int n;
          try {
            n = Integer.parseInt(port);
          } catch (NumberFormatException e) {
            n = -1;
          }
          if (n < 1 || n > 65535) {
            throw badUrl(url, "bad port '" + port + "'; a port is a number from 1 to 65535");
          }
        }
      }
    } else if (server.startsWith("/") && !server.equals("//") && !server.equals("///")) {
      throw badUrl(url, EXPECTED);
    } else {
      decode(url, server, "the database name");
    }
    Set<String> names = new HashSet<>();
    for (String token : query.split("&")) {
      if (token.isEmpty()) {
        continue;
      }
      int eq = token.indexOf('=');
      if (eq < 0) {
        names.add(token);
      } else {
        names.add(token.substring(0, eq));
        decode(url, token.substring(eq + 1), "parameter " + token.substring(0, eq));
      }
    }
    return names;
  }

  private static void decode(String url, String s, String what) {
    try {
      URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badUrl(url, what + " has a bad %-escape (write % as %25)");
    }
  }

  private static CliException badUrl(String url, String why) {
    return new CliException(
        ExitCodes.USAGE, "--db " + redact(url) + ": not a valid PostgreSQL JDBC URL: " + why);
  }

  private static String checkSchema(String source, String schema) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new CliException(
          ExitCodes.USAGE,
          source
              + " '"
              + schema
              + "': a schema name is a "
              + "lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters)");
    }
    return schema;
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}
