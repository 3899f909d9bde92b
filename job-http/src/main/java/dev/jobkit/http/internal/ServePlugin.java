package dev.jobkit.http.internal;

import dev.jobkit.JobRegistry;
import dev.jobkit.cli.CliContext;
import dev.jobkit.cli.CliPlugin;
import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.RetentionPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jobkit serve}: the HTTP API and dashboard over the job database, with workers unless
 * {@code --no-workers}, until Ctrl-C or SIGTERM. Found by the CLI with {@link
 * java.util.ServiceLoader}.
 */
public final class ServePlugin implements CliPlugin {
  static final String USAGE =
      "usage: jobkit serve [--port 8080] [--bind 127.0.0.1] [--base-path /] [--no-workers |"
          + " --workers N] [--queue Q]... [--keep-completed 7d] [--keep-failed 30d] [--read-only]"
          + " [--db PATH|URL] [--pg-schema S]";

  private final Map<String, String> env;

  /** The plugin, reading the process environment. */
  public ServePlugin() {
    this(System.getenv());
  }

  ServePlugin(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String description() {
    return "Serve the HTTP API and the live dashboard (http://127.0.0.1:8080), with workers.";
  }

  /**
   * The parsed options of one {@code serve} command line; {@code db} and {@code pgSchema} are null
   * when not given after {@code serve} (then the global options and the environment apply).
   */
  record Options(
      int port,
      String bind,
      String basePath,
      boolean noWorkers,
      Integer workers,
      List<String> queues,
      boolean readOnly,
      String db,
      String pgSchema,
      Duration keepCompleted,
      Duration keepFailed,
      boolean help) {}

  static Options parse(List<String> args) {
    int port = 8080;
    String bind = "127.0.0.1";
    String basePath = "/";
    boolean noWorkers = false;
    Integer workers = null;
    List<String> queues = new ArrayList<>();
    boolean readOnly = false;
    String db = null;
    String schema = null;
    Duration keepCompleted = null;
    Duration keepFailed = null;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "-h", "--help" -> help = true;
        case "--no-workers" -> noWorkers = true;
        case "--read-only" -> readOnly = true;
        case "--port",
            "--bind",
            "--base-path",
            "--workers",
            "--queue",
            "--keep-completed",
            "--keep-failed",
            "--db",
            "--pg-schema" -> {
          if (value == null) {
            if (i + 1 >= args.size()) {
              throw new IllegalArgumentException(a + " needs a value; " + USAGE);
            }
            value = args.get(++i);
          }
          switch (a) {
            case "--port" -> port = number(a, value, 0, 65535);
            case "--bind" -> bind = value;
            case "--base-path" -> basePath = value;
            case "--workers" -> workers = number(a, value, 1, 10_000);
            case "--queue" -> queues.add(value);
            case "--keep-completed" -> keepCompleted = keep(a, value);
            case "--keep-failed" -> keepFailed = keep(a, value);
            case "--db" -> db = value;
            default -> schema = value;
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'; " + USAGE);
      }
    }
    if (noWorkers && (workers != null || !queues.isEmpty())) {
      throw new IllegalArgumentException(
          "--no-workers cannot be combined with --workers or --queue");
    }
    if (noWorkers && (keepCompleted != null || keepFailed != null)) {
      throw new IllegalArgumentException(
          "--keep-completed and --keep-failed need workers: retention runs in the process that"
              + " runs jobs (drop --no-workers, or give them to that 'jobkit worker')");
    }
    return new Options(
        port,
        bind,
        basePath,
        noWorkers,
        workers,
        queues,
        readOnly,
        db,
        schema,
        keepCompleted,
        keepFailed,
        help);
  }

  private static Duration keep(String option, String value) {
    try {
      return CliContext.keepDuration(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private static int number(String option, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " must be a number from " + min + " to " + max + ", got '" + v + "'");
  }

  /** Runs outside the command line: the database comes from the environment or the arguments. */
  @Override
  public int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    return run(args, CliContext.of(env, verbose), out, err);
  }

  /**
   * Runs with the command line's global options: {@code --db} and {@code --pg-schema} given before
   * {@code serve} apply unless given again after it; the database is opened as {@code jobkit
   * worker} opens it (PostgreSQL login from the URL, else {@code PGUSER}/{@code PGPASSWORD}).
   */
  @Override
  public int run(List<String> args, CliContext context, PrintWriter out, PrintWriter err) {
    boolean verbose = context.verbose();
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("jobkit: error: serve: " + e.getMessage());
      return 2;
    }
    if (o.help()) {
      out.println(USAGE);
      out.println(description());
      return 0;
    }
    JobManager jobs;
    try {
      jobs =
          context.openJobManager(
              o.db(),
              o.pgSchema(),
              JobRegistry.load(Thread.currentThread().getContextClassLoader()),
              b -> workers(b, o));
    } catch (RuntimeException e) {
      err.println("jobkit: error: " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      return CliContext.exitCode(e);
    }
    JobkitServer server;
    try {
      server =
          JobkitServer.builder(jobs)
              .bind(o.bind())
              .port(o.port())
              .basePath(o.basePath())
              .readOnly(o.readOnly())
              .start();
    } catch (RuntimeException e) {
      jobs.close();
      err.println("jobkit: error: serve: " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      return e instanceof IllegalArgumentException || e instanceof IllegalStateException ? 2 : 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          server.close();
          jobs.close();
          stopped.countDown();
        };
    Thread hook = new Thread(stop, "jobkit-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "jobkit serve: dashboard and API at "
            + server.uri()
            + (o.readOnly() ? " (read-only)" : "")
            + (o.noWorkers() ? ", no workers" : "")
            + "; Ctrl-C stops");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Stopped by its caller (an embedding or a test) rather than by a signal.
      Runtime.getRuntime().removeShutdownHook(hook);
      stop.run();
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static JobManager.Builder workers(JobManager.Builder b, Options o) {
    if (o.noWorkers()) {
      b.noWorkers();
    } else {
      int n =
          o.workers() != null
              ? o.workers()
              : Math.max(2, Runtime.getRuntime().availableProcessors());
      for (String q : o.queues().isEmpty() ? List.of("default") : o.queues()) {
        b.workers(q, n);
      }
      if (o.keepCompleted() != null || o.keepFailed() != null) {
        b.retention(
            RetentionPolicy.keep(
                o.keepCompleted() != null
                    ? o.keepCompleted()
                    : RetentionPolicy.DEFAULT_KEEP_COMPLETED,
                o.keepFailed() != null ? o.keepFailed() : RetentionPolicy.DEFAULT_KEEP_FAILED));
      }
    }
    return b;
  }
}
