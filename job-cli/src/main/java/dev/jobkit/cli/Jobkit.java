package dev.jobkit.cli;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobException;
import dev.jobkit.JobRegistry;
import dev.jobkit.JobRegistryException;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.AmbiguousJobPrefixException;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobStateException;
import dev.jobkit.runtime.JobStorageException;
import dev.jobkit.runtime.QuotaExceededException;
import dev.jobkit.runtime.Tenants;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code jobkit} command line: submits, inspects and controls jobs in a job database, and runs
 * worker processes. Run it with the {@code ./jobkit} launcher at the repository root; see {@code
 * docs/cli.md}.
 *
 * <p>Global options ({@code --db}, {@code --pg-schema}, {@code --tenant}, {@code --verbose}, {@code
 * --no-color}, {@code --classpath}) may be given before or after the command's name. Every {@link
 * CliPlugin} found on the class path (including {@code --classpath}) becomes a command that
 * receives its arguments as they are.
 */
@Command(
    name = "jobkit",
    versionProvider = Jobkit.Version.class,
    description = "Submit, inspect and control durable jobs, and run worker processes.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:success",
      " 1:the job did not complete (status --watch, results), the job's state refused a "
          + "control command, bench saw a job run more than once, or migrate refused (jobs "
          + "running, or a target with jobs)",
      " 2:usage error: unknown command or option, bad option value, ambiguous id prefix",
      " 3:no job with that id or id prefix",
      " 4:bad input: unknown job name, malformed JSON, parameters over the size limit,"
          + " unreadable file or class path",
      " 5:storage error: the database cannot be opened, read or written; the PostgreSQL "
          + "server cannot be reached or refused the login",
      "70:internal error (rerun with --verbose for the stack trace)",
      "75:a tenant's quota refused the submission (try again later; EX_TEMPFAIL)"
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  JOBKIT_DB          default for --db",
      "  JOBKIT_PG_SCHEMA   default for --pg-schema",
      "  JOBKIT_TENANT      default for --tenant",
      "  PGUSER             PostgreSQL user, unless the --db URL has user=",
      "  PGPASSWORD         PostgreSQL password, unless the --db URL has password=",
      "  JOBKIT_CLASSPATH   extra jars of jobs and plugins (added by ./jobkit)",
      "  JOBKIT_JAVA_OPTS   JVM options (used by ./jobkit)",
      "  NO_COLOR           if set and not empty: no colour",
      "",
      "Run 'jobkit COMMAND --help' for a command's options. Documentation: docs/cli.md"
    })
public final class Jobkit implements Callable<Integer> {
  /** The database used when neither {@code --db} nor {@code JOBKIT_DB} is given. */
  static final String DEFAULT_DB = "./jobkit.db";

  /** Held so that the level set in {@link #main} stays (loggers are weakly referenced). */
  private static final Logger POSTGRES_DRIVER_LOG = Logger.getLogger("org.postgresql");

  @Option(
      names = "--db",
      paramLabel = "PATH|URL",
      scope = ScopeType.INHERIT,
      description =
          "The job database: a SQLite file, or a PostgreSQL JDBC URL "
              + "(jdbc:postgresql://HOST[:PORT]/DATABASE[?user=NAME]). Default: $JOBKIT_DB, else "
              + DEFAULT_DB
              + ".")
  String db;

  @Option(
      names = "--pg-schema",
      paramLabel = "SCHEMA",
      scope = ScopeType.INHERIT,
      description =
          "The PostgreSQL schema of jobkit's tables (created if missing). Default: "
              + "$JOBKIT_PG_SCHEMA, else public.")
  String pgSchema;

  // #14 tenants
  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      scope = ScopeType.INHERIT,
      description =
          "Act in one tenant: submit into it; list, show and control only its jobs, schedules,"
              + " templates, batches, keys and audit entries. Default: $JOBKIT_TENANT, else every"
              + " tenant.")
  String tenant;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "Never colour output (colour is only used on a terminal).")
  boolean noColor;

  @Option(
      names = "--classpath",
      paramLabel = "PATHS",
      scope = ScopeType.INHERIT,
      description =
          "Extra jars and directories with job classes and CLI plugins, separated by ':' (';' on Windows).")
  String classpath;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print the version.")
  boolean version;

  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final boolean terminal;
  private final List<CliPlugin> injectedPlugins;
  private InputStream stdin = System.in;
  private final Map<String, CliPlugin> activePlugins = new LinkedHashMap<>();
  private String loaderFor;
  private ClassLoader loader;
  private JobRegistry registry;

  /** The CLI for this process: its environment, its console, plugins from the class path. */
  public Jobkit() {
    this(System.getenv(), System.console() != null, null);
  }

  /**
   * A CLI with a given environment and plugins (tests and embedding).
   *
   * @param env the environment variables to read ({@code JOBKIT_DB}, {@code JOBKIT_PG_SCHEMA},
   *     {@code PGUSER}, {@code PGPASSWORD}, {@code NO_COLOR})
   * @param terminal whether output goes to a terminal (colour, redrawn progress bars)
   * @param plugins the plugins, or null to find them with {@link ServiceLoader}
   */
  Jobkit(Map<String, String> env, boolean terminal, List<CliPlugin> plugins) {
    this.env = Map.copyOf(env);
    this.terminal = terminal;
    this.injectedPlugins = plugins == null ? null : List.copyOf(plugins);
  }

  /** Runs {@code jobkit} with the process's arguments and exits with its exit code. */
  public static void main(String[] args) {
    // Quiet libraries unless asked otherwise (-D in JOBKIT_JAVA_OPTS wins): stderr is for errors.
    boolean verbose = Arrays.asList(args).contains("--verbose");
    defaultProperty("org.jooq.no-logo", "true");
    defaultProperty("org.jooq.no-tips", "true");
    defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    if (!verbose) {
      // The PostgreSQL driver logs through java.util.logging; its failures reach us as exceptions.
      POSTGRES_DRIVER_LOG.setLevel(Level.OFF);
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = new Jobkit().run(args, out, err);
    out.flush();
    err.flush();
    WorkerCommand.exiting();
    System.exit(code);
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Runs one command line, writing to {@code out} and {@code err}, and returns the exit code (see
   * {@link ExitCodes}).
   */
  public int run(String[] args, PrintWriter out, PrintWriter err) {
    int commandAt = commandIndex(args);
    List<CliPlugin> plugins;
    try {
      classpath = prescanClasspath(args, commandAt);
      plugins = plugins(err);
    } catch (RuntimeException e) {
      return report(e, err);
    }
    CommandLine cl = commandLine(plugins, err);
    cl.setOut(out);
    cl.setErr(err);
    CliPlugin plugin = commandAt < 0 ? null : activePlugins.get(args[commandAt]);
    if (plugin != null) {
      return runPlugin(cl, plugin, args, commandAt, out, err);
    }
    return cl.execute(args);
  }

  /** Prints the usage: a command is required. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  private CommandLine commandLine(List<CliPlugin> plugins, PrintWriter err) {
    CommandLine cl = new CommandLine(this);
    cl.addSubcommand(new TypesCommand());
    cl.addSubcommand(new SubmitCommand());
    cl.addSubcommand(new ListCommand());
    cl.addSubcommand(new StatusCommand());
    cl.addSubcommand(new LogsCommand());
    for (ControlCommand.Action a : ControlCommand.Action.values()) {
      cl.addSubcommand(a.command(), ControlCommand.commandLine(a));
    }
    cl.addSubcommand(new ResultsCommand());
    cl.addSubcommand(new StatsCommand());
    cl.addSubcommand(new CleanupCommand());
    cl.addSubcommand(new KeysCommand());
    cl.addSubcommand(new TenantsCommand()); // #14 tenants
    cl.addSubcommand(new AuditCommand()); // #14 tenants
    cl.addSubcommand(new TemplatesCommand()); // #12 templates
    cl.addSubcommand(new BatchesCommand()); // #12 batches
    cl.addSubcommand(new SchedulesCommand()); // #12 schedules
    cl.addSubcommand(new StorageCommand());
    cl.addSubcommand(new BackupCommand());
    cl.addSubcommand(new ExportCommand());
    cl.addSubcommand(new ImportCommand());
    cl.addSubcommand(new MigrateCommand());
    cl.addSubcommand(new WorkerCommand());
    cl.addSubcommand(new BenchCommand());
    for (CliPlugin p : plugins) {
      if (cl.getSubcommands().containsKey(p.name())) {
        err.println(
            "jobkit: warning: plugin "
                + p.getClass().getName()
                + " ignored: '"
                + p.name()
                + "' is a built-in command");
        continue;
      }
      // Listed in the help only: run() hands a plugin its arguments before picocli sees them.
      CommandSpec ps = CommandSpec.create().name(p.name());
      ps.usageMessage().description(p.description());
      ps.addPositional(
          PositionalParamSpec.builder()
              .arity("0..*")
              .paramLabel("ARGS")
              .type(String[].class)
              .description("Arguments for the plugin.")
              .build());
      cl.addSubcommand(p.name(), new CommandLine(ps));
      activePlugins.put(p.name(), p);
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
    cl.setParameterExceptionHandler(this::usageError);
    return cl;
  }

  private int runPlugin(
      CommandLine cl,
      CliPlugin plugin,
      String[] args,
      int commandAt,
      PrintWriter out,
      PrintWriter err) {
    try {
      cl.parseArgs(Arrays.copyOfRange(args, 0, commandAt));
    } catch (ParameterException e) {
      return usageError(e, args);
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      return ExitCodes.OK;
    }
    List<String> rest = List.of(Arrays.copyOfRange(args, commandAt + 1, args.length));
    try {
      int code =
          plugin.run(rest, new CliContext(database(), pgSchema, tenant, verbose, env), out, err);
      out.flush();
      err.flush();
      return code;
    } catch (Exception e) {
      return report(e, err);
    }
  }

  // ---------------------------------------------------------------- shared by the commands

  /** The database location: {@code --db}, else {@code $JOBKIT_DB}, else {@value #DEFAULT_DB}. */
  String database() {
    if (db != null) {
      return db;
    }
    String fromEnv = env.get("JOBKIT_DB");
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_DB : fromEnv;
  }

  // #14 tenants
  /**
   * The tenant the command acts in: {@code --tenant}, else {@code $JOBKIT_TENANT}; empty for every
   * tenant.
   *
   * @throws CliException USAGE when the name is not a valid tenant name
   */
  Optional<String> tenant() {
    String t = tenant;
    String from = "--tenant";
    if (t == null) {
      t = env.get("JOBKIT_TENANT");
      from = "JOBKIT_TENANT";
      if (t == null || t.isEmpty()) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Tenants.checkName(t.strip()));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, from + ": " + e.getMessage());
    }
  }

  /**
   * Refuses an explicit {@code --tenant} for {@code command}, which works on the whole database
   * ({@code $JOBKIT_TENANT} is ignored there, as {@code $JOBKIT_PG_SCHEMA} is with SQLite).
   */
  void noTenant(String command, String why) {
    if (tenant != null) {
      throw new CliException(
          ExitCodes.USAGE,
          "--tenant does not apply to '"
              + command
              + "', which "
              + why
              + "; run it without --tenant");
    }
  }

  /** How messages name where a tenant's objects are: {@code "tenant 'a' of jobs.db"}. */
  String scopeForDisplay() {
    return tenant().map(t -> "tenant '" + t + "' of ").orElse("") + databaseForDisplay();
  }

  /** Where {@code --db} points, with the PostgreSQL login and schema; see {@link Databases}. */
  Databases.Target target() {
    return Databases.target(database(), pgSchema, env);
  }

  /** The database for messages: the path, or the URL without password. */
  String databaseForDisplay() {
    return Databases.redact(database());
  }

  /** The environment variables this CLI reads. */
  Map<String, String> env() {
    return env;
  }

  /** Standard input ({@code submit --json-file -}). */
  InputStream stdin() {
    return stdin;
  }

  /** Replaces standard input (tests and embedding). */
  Jobkit stdin(InputStream in) {
    this.stdin = in;
    return this;
  }

  boolean verbose() {
    return verbose;
  }

  boolean terminal() {
    return terminal;
  }

  /** Colours, when on a terminal and neither {@code --no-color} nor {@code NO_COLOR} is set. */
  Style style() {
    String noColorEnv = env.get("NO_COLOR");
    return new Style(terminal && !noColor && (noColorEnv == null || noColorEnv.isEmpty()));
  }

  /** The job types: those on the class path and in {@code --classpath}. */
  JobRegistry registry() {
    if (registry == null) {
      try {
        registry = JobRegistry.load(classLoader());
      } catch (JobRegistryException e) {
        throw new CliException(ExitCodes.BAD_INPUT, e.getMessage(), e);
      }
    }
    return registry;
  }

  /** A manager that runs no jobs; see {@link Databases#openClient}. */
  JobManager openClient(boolean create) {
    return Databases.openClient(target(), registry(), create);
  }

  /** A manager with workers; see {@link Databases#openWorker}. */
  JobManager openWorker(UnaryOperator<JobManager.Builder> settings) {
    return Databases.openWorker(target(), registry(), settings);
  }

  /** The class loader over {@code --classpath}, or the CLI's own when none is given. */
  ClassLoader classLoader() {
    String cp = classpath == null ? "" : classpath;
    if (loader == null || !cp.equals(loaderFor)) {
      loader = newClassLoader(cp);
      loaderFor = cp;
    }
    return loader;
  }

  private static ClassLoader newClassLoader(String cp) {
    ClassLoader parent = Jobkit.class.getClassLoader();
    if (cp.isBlank()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry);
      if (!Files.exists(p)) {
        throw new CliException(ExitCodes.BAD_INPUT, "--classpath: " + entry + " does not exist");
      }
      try {
        urls.add(p.toAbsolutePath().toUri().toURL());
      } catch (MalformedURLException e) {
        throw new CliException(
            ExitCodes.BAD_INPUT, "--classpath: " + entry + ": " + e.getMessage());
      }
    }
    return new URLClassLoader("jobkit-classpath", urls.toArray(URL[]::new), parent);
  }

  private List<CliPlugin> plugins(PrintWriter err) {
    if (injectedPlugins != null) {
      return injectedPlugins;
    }
    Map<String, CliPlugin> found = new LinkedHashMap<>();
    Iterator<CliPlugin> it = ServiceLoader.load(CliPlugin.class, classLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        CliPlugin p = it.next();
        found.putIfAbsent(p.name(), p);
      } catch (ServiceConfigurationError e) {
        err.println("jobkit: warning: a CLI plugin cannot be loaded: " + e.getMessage());
      }
    }
    return List.copyOf(found.values());
  }

  // ---------------------------------------------------------------- arguments before parsing

  /** Global options that take a value, so that the value is not taken for the command's name. */
  private static boolean takesValue(String arg) {
    return arg.equals("--db")
        || arg.equals("--pg-schema")
        || arg.equals("--classpath")
        || arg.equals("--tenant");
  }

  /**
   * The index of the command's name: the first argument that is neither a global option nor its
   * value.
   */
  static int commandIndex(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return -1;
      }
      if (takesValue(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  /** The {@code --classpath} given before the command (needed to find plugins before parsing). */
  private String prescanClasspath(String[] args, int commandAt) {
    String found = null;
    int end = commandAt < 0 ? args.length : commandAt;
    for (int i = 0; i < end; i++) {
      if (args[i].equals("--classpath") && i + 1 < end) {
        found = args[++i];
      } else if (args[i].startsWith("--classpath=")) {
        found = args[i].substring("--classpath=".length());
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- errors

  private int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String command = cmd.getCommandSpec().qualifiedName();
    String line;
    if (e instanceof UnmatchedArgumentException u
        && cmd.getCommandSpec().parent() == null
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      String typed = u.getUnmatched().get(0);
      line =
          "unknown command '"
              + typed
              + "'"
              + Suggest.didYouMean(typed, cmd.getSubcommands().keySet())
              + " (see '"
              + command
              + " --help')";
    } else {
      line = firstLine(e.getMessage());
      if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
        line += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
      }
      line += "; see '" + command + " --help'";
    }
    err.println("jobkit: error: " + line);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * Prints one line for {@code e} (and its stack trace with {@code --verbose}); returns the exit
   * code.
   */
  int report(Exception e, PrintWriter err) {
    int code;
    String message;
    if (e instanceof CliException c) {
      code = c.exitCode();
      message = c.getMessage();
    } else if (e instanceof dev.jobkit.runtime.TemplateException t) {
      CliException c = TemplatesCommand.toCli(t);
      code = c.exitCode();
      message = c.getMessage();
    } else if (e instanceof UnknownJobException u) {
      code = ExitCodes.BAD_INPUT;
      message = u.getMessage() + Suggest.didYouMean(u.jobName(), registry().names());
    } else if (e instanceof JobDecodeException d) {
      code = ExitCodes.BAD_INPUT;
      message = "bad job parameters: " + d.getMessage();
    } else if (e instanceof JobRegistryException) {
      code = ExitCodes.BAD_INPUT;
      message = e.getMessage();
    } else if (e instanceof AmbiguousJobPrefixException) {
      code = ExitCodes.USAGE;
      message = e.getMessage();
    } else if (e instanceof QuotaExceededException q) { // #14 tenants
      code = ExitCodes.QUOTA_EXCEEDED;
      message = q.getMessage();
    } else if (e instanceof JobStateException) {
      code = ExitCodes.JOB_NOT_COMPLETED;
      message = e.getMessage();
    } else if (e instanceof JobStorageException) {
      code = ExitCodes.STORAGE;
      message = e.getMessage();
    } else if (e instanceof IllegalArgumentException) {
      code = ExitCodes.USAGE;
      message = e.getMessage();
    } else if (e instanceof UncheckedIOException || e instanceof IOException) {
      code = ExitCodes.BAD_INPUT;
      message = e.getMessage();
    } else if (e instanceof JobException) {
      code = ExitCodes.STORAGE;
      message = e.getMessage();
    } else {
      code = ExitCodes.INTERNAL;
      message =
          "internal error: " + e + (verbose ? "" : " (rerun with --verbose for the stack trace)");
    }
    err.println("jobkit: error: " + firstLine(message));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }

  /** The version from the jar's Maven metadata, when packaged. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      try (InputStream in =
          Jobkit.class.getResourceAsStream("/META-INF/maven/dev.jobkit/job-cli/pom.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          return new String[] {"jobkit " + p.getProperty("version", "(unknown version)")};
        }
      } catch (IOException e) {
        // fall through
      }
      return new String[] {"jobkit (development build)"};
    }
  }
}
