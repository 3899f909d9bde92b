package dev.jobkit.http.internal;

import dev.jobkit.JobRegistry;
import dev.jobkit.cli.CliPlugin;
import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.JobManager;
import java.io.PrintWriter;
import java.nio.file.Path;
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
          + " --workers N] [--queue Q]... [--read-only] [--db PATH|URL] [--pg-schema S]";

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

  /** The parsed options of one {@code serve} command line. */
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
      boolean help) {}

  static Options parse(List<String> args, Map<String, String> env) {
    int port = 8080;
    String bind = "127.0.0.1";
    String basePath = "/";
    boolean noWorkers = false;
    Integer workers = null;
    List<String> queues = new ArrayList<>();
    boolean readOnly = false;
    String db = env.getOrDefault("JOBKIT_DB", "jobkit.db");
    String schema = env.get("JOBKIT_PG_SCHEMA");
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
        case "--port", "--bind", "--base-path", "--workers", "--queue", "--db", "--pg-schema" -> {
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
    return new Options(
        port, bind, basePath, noWorkers, workers, queues, readOnly, db, schema, help);
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

  @Override
  public int run(List<String> args, PrintWriter out, PrintWriter err, boolean verbose) {
    Options o;
    try {
      o = parse(args, env);
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
      jobs = open(o).open();
    } catch (RuntimeException e) {
      err.println("jobkit: error: " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      return 5;
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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  jobs.close();
                  stopped.countDown();
                },
                "jobkit-serve-shutdown"));
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
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static JobManager.Builder open(Options o) {
    JobManager.Builder b =
        JobManager.builder()
            .registry(JobRegistry.load(Thread.currentThread().getContextClassLoader()))
            .createIfMissing(true);
    if (o.db().startsWith("jdbc:postgresql:")) {
      b.postgres(o.db());
      if (o.pgSchema() != null) {
        b.postgresSchema(o.pgSchema());
      }
    } else {
      b.database(Path.of(o.db()).toAbsolutePath());
    }
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
    }
    return b;
  }
}
