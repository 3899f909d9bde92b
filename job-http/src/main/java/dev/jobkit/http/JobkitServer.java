package dev.jobkit.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.jobkit.http.internal.Dispatcher;
import dev.jobkit.http.internal.EventStream;
import dev.jobkit.http.internal.Observability;
import dev.jobkit.http.internal.Router;
import dev.jobkit.http.internal.Routes;
import dev.jobkit.http.internal.Security;
import dev.jobkit.http.internal.StaticFiles;
import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The jobkit HTTP API and dashboard over one {@link JobManager}, on the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}).
 *
 * <pre>{@code
 * try (JobkitServer server = JobkitServer.builder(manager).port(8080).start()) {
 *   log.info("dashboard at {}", server.uri()); // log: an SLF4J Logger
 *   ...
 * }
 * }</pre>
 *
 * <p>Or mount it on an application's own server under a prefix: {@code
 * JobkitServer.builder(manager).basePath("/jobkit").mount(existingServer)}. Thread-safe. Closing
 * the server does not close the manager.
 */
public final class JobkitServer implements AutoCloseable {
  static {
    // Small answers must not wait for Nagle's algorithm and a delayed ACK (tens of ms each); the
    // JDK server reads this once, when its first instance is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The default largest request body: 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  private final HttpServer server;
  private final boolean owned;
  private final HttpContext context;
  private final ExecutorService executor;
  private final String base;
  private final EventStream stream;

  private JobkitServer(
      HttpServer server,
      boolean owned,
      HttpContext context,
      ExecutorService executor,
      String base,
      EventStream stream) {
    this.stream = stream;
    this.server = server;
    this.owned = owned;
    this.context = context;
    this.executor = executor;
    this.base = base;
  }

  /** A builder for a server over {@code jobs}. */
  public static Builder builder(JobManager jobs) {
    return new Builder(jobs);
  }

  /** The address of the dashboard, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host =
        a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + base + "/");
  }

  /** The port the server listens on (useful with {@code port(0)}). */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops answering: an own server stops (open connections get up to a second to finish), a mounted
   * one loses its context. Does not close the {@link JobManager}.
   */
  @Override
  public void close() {
    stream.close();
    if (owned) {
      server.stop(1);
      executor.shutdownNow();
    } else {
      server.removeContext(context);
    }
  }

  /** Configures a {@link JobkitServer}. Not thread-safe. */
  public static final class Builder {
    private final JobManager jobs;
    private String bind = "127.0.0.1";
    private int port = 8080;
    private String basePath = "";
    private boolean readOnly;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int threads = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    private Authenticator authenticator;

    private Builder(JobManager jobs) {
      this.jobs = Objects.requireNonNull(jobs, "jobs");
      this.stream = new EventStream(jobs);
    }

    /** The address to listen on; default {@code 127.0.0.1}. */
    public Builder bind(String address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port; 0 picks a free one. Default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The path prefix everything is served under, such as {@code /jobkit}; default {@code /}. */
    public Builder basePath(String path) {
      String p = Objects.requireNonNull(path, "path").trim();
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      if (!p.isEmpty() && !p.startsWith("/")) {
        p = "/" + p;
      }
      if (!p.matches("(/[A-Za-z0-9._~-]+)*")) {
        throw new IllegalArgumentException(
            "basePath '" + path + "' must be a path of plain segments, such as /jobkit");
      }
      this.basePath = p;
      return this;
    }

    /** Refuse every state-changing route with 403; default false. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** The largest request body; larger ones are a 413 problem. Default 1 MiB. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Threads that answer requests of an own server; default 4 per processor, at least 16. Event
     * streams do not hold one of them.
     */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + n);
      }
      this.threads = n;
      return this;
    }

    /**
     * The application's own authentication, asked first for every call that needs a caller; see
     * {@link Authenticator}. Default: none (API keys and sessions only).
     */
    public Builder authenticator(Authenticator a) {
      this.authenticator = Objects.requireNonNull(a, "authenticator");
      return this;
    }

    // #13 metrics

    private Supplier<String> metrics;

    /**
     * Serves {@code GET /api/v1/metrics} (viewer rights, like every read route) with the text
     * {@code scrape} returns, in the Prometheus text format; typically {@code
     * prometheusMeterRegistry::scrape} of a registry that {@code JobkitMetrics} (job-micrometer)
     * records into. Default: no metrics route. job-http itself depends on no metrics library.
     */
    public Builder metrics(Supplier<String> scrape) {
      this.metrics = Objects.requireNonNull(scrape, "scrape");
      return this;
    }

    /**
     * Starts an own server on the bind address and port.
     *
     * @throws UncheckedIOException if the port cannot be bound, with the address in the message
     * @throws IllegalStateException if the address is not a loopback address and no API key is
     *     active (and no {@link #authenticator} is set): anyone who reaches it could run jobs
     */
    public JobkitServer start() {
      InetSocketAddress address;
      try {
        address = new InetSocketAddress(InetAddress.getByName(bind), port);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "bind address '" + bind + "' is not a known host or IP address", e);
      }
      boolean loopback = address.getAddress().isLoopbackAddress();
      checkExposure(loopback, bind + ":" + port);
      HttpServer server;
      try {
        server = HttpServer.create(address, 256);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot listen on "
                + bind
                + ":"
                + port
                + ": "
                + e.getMessage()
                + "; pick another port with --port",
            e);
      }
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "jobkit-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      executor.allowCoreThreadTimeOut(true);
      server.setExecutor(executor);
      HttpContext ctx =
          server.createContext(basePath.isEmpty() ? "/" : basePath, handler(loopback));
      server.start();
      return new JobkitServer(server, true, ctx, executor, basePath, stream);
    }

    /**
     * Mounts the API and dashboard on an application's server under {@link #basePath}; the
     * application owns the server, its executor and its life cycle.
     */
    public JobkitServer mount(HttpServer existing) {
      InetSocketAddress a = existing.getAddress();
      boolean loopback = a != null && a.getAddress() != null && a.getAddress().isLoopbackAddress();
      checkExposure(loopback, String.valueOf(a));
      HttpContext ctx =
          existing.createContext(basePath.isEmpty() ? "/" : basePath, handler(loopback));
      return new JobkitServer(existing, false, ctx, null, basePath, stream);
    }

    private void checkExposure(boolean loopback, String where) {
      if (!loopback && authenticator == null && !jobs.apiKeys().anyActive()) {
        throw new IllegalStateException(
            "refusing to serve on "
                + where
                + " without an API key: anyone who reaches it could run and cancel jobs; create"
                + " one first with: jobkit keys create --name admin --role admin (or bind"
                + " 127.0.0.1)");
      }
    }

    private final EventStream stream;

    private Dispatcher handler(boolean loopback) {
      Security security = new Security(jobs, authenticator, loopback);
      Router router = Routes.all(jobs, security, readOnly, stream);
      if (metrics != null) {
        Observability.registerMetrics(router, metrics); // #13
      }
      Dispatcher.Guard guard = security;
      return new Dispatcher(
          basePath,
          router,
          new StaticFiles(JobkitServer.class.getClassLoader()),
          guard,
          readOnly,
          maxBodyBytes);
    }
  }
}
