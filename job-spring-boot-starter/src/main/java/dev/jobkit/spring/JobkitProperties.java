package dev.jobkit.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code jobkit.*} properties of the Spring Boot starter. Without any, the application's jobs
 * live in the SQLite file {@code jobs.db} in the working directory and run on the "default" queue.
 */
@ConfigurationProperties("jobkit")
public class JobkitProperties {

  /** Whether the starter opens a JobManager at all. */
  private boolean enabled = true;

  /** The SQLite database file, used unless jobkit.postgres.url or use-data-source is set. */
  private Path database = Path.of("jobs.db");

  /**
   * Worker threads per queue, such as jobkit.workers.default=4; only the queues named here run in
   * this application. Empty: the "default" queue with max(2, processors) workers.
   */
  private Map<String, Integer> workers = new LinkedHashMap<>();

  /**
   * Whether this application runs jobs; false makes it a client that only dispatches, queries and
   * controls jobs that other processes run.
   */
  private boolean runWorkers = true;

  /**
   * How long a claim stays valid without renewal; jobs of a stopped process are resumed after it.
   * Default 30s on SQLite, 10s on PostgreSQL.
   */
  private Duration lease;

  /** How often idle workers look for jobs dispatched by other processes. */
  private Duration pollInterval = Duration.ofMillis(500);

  /**
   * How long stopping the application waits for running jobs to checkpoint and stop before their
   * claims are given back.
   */
  private Duration shutdownGrace = Duration.ofSeconds(10);

  /**
   * The parent of each job's data directory; default jobkit-data next to the SQLite file, or in the
   * working directory on PostgreSQL.
   */
  private Path dataDirectory;

  private final Postgres postgres = new Postgres();
  private final Retention retention = new Retention();
  private final Http http = new Http();
  private final Metrics metrics = new Metrics();

  /** Whether the starter opens a JobManager at all. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets {@link #isEnabled()}. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The SQLite database file. */
  public Path getDatabase() {
    return database;
  }

  /** Sets {@link #getDatabase()}. */
  public void setDatabase(Path database) {
    this.database = database;
  }

  /** Worker threads per queue. */
  public Map<String, Integer> getWorkers() {
    return workers;
  }

  /** Sets {@link #getWorkers()}. */
  public void setWorkers(Map<String, Integer> workers) {
    this.workers = workers;
  }

  /** Whether this application runs jobs. */
  public boolean isRunWorkers() {
    return runWorkers;
  }

  /** Sets {@link #isRunWorkers()}. */
  public void setRunWorkers(boolean runWorkers) {
    this.runWorkers = runWorkers;
  }

  /** The lease, or null for the database's default. */
  public Duration getLease() {
    return lease;
  }

  /** Sets {@link #getLease()}. */
  public void setLease(Duration lease) {
    this.lease = lease;
  }

  /** How often idle workers look for jobs dispatched elsewhere. */
  public Duration getPollInterval() {
    return pollInterval;
  }

  /** Sets {@link #getPollInterval()}. */
  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  /** How long stopping waits for running jobs. */
  public Duration getShutdownGrace() {
    return shutdownGrace;
  }

  /** Sets {@link #getShutdownGrace()}. */
  public void setShutdownGrace(Duration shutdownGrace) {
    this.shutdownGrace = shutdownGrace;
  }

  /** The parent of the jobs' data directories, or null for the default. */
  public Path getDataDirectory() {
    return dataDirectory;
  }

  /** Sets {@link #getDataDirectory()}. */
  public void setDataDirectory(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  /** The PostgreSQL settings ({@code jobkit.postgres.*}). */
  public Postgres getPostgres() {
    return postgres;
  }

  /** How long finished jobs are kept ({@code jobkit.retention.*}). */
  public Retention getRetention() {
    return retention;
  }

  /** The HTTP API and dashboard ({@code jobkit.http.*}). */
  public Http getHttp() {
    return http;
  }

  /** jobkit's meters in the application's MeterRegistry ({@code jobkit.metrics.*}). */
  public Metrics getMetrics() {
    return metrics;
  }

  /** jobkit's Micrometer meters, bound when job-micrometer is on the class path. */
  public static class Metrics {
    /** Whether to bind jobkit's meters to the application's MeterRegistry. */
    private boolean enabled = true;

    /** Whether to bind jobkit's meters to the application's MeterRegistry. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** PostgreSQL instead of SQLite: a JDBC URL with a pool of jobkit's own, or the application's. */
  public static class Postgres {
    /**
     * A PostgreSQL JDBC URL, such as jdbc:postgresql://localhost:5432/app, for a pool of its own.
     */
    private String url;

    /** The login for jobkit.postgres.url. */
    private String username;

    /** The password for jobkit.postgres.url. */
    private String password;

    /**
     * Use the application's DataSource (which must be PostgreSQL) instead of a URL. Dispatches made
     * inside a Spring transaction on it then commit or roll back with that transaction.
     */
    private boolean useDataSource;

    /** The schema of jobkit's tables, created if missing. */
    private String schema = "public";

    /** Connections of jobkit's own pool (with jobkit.postgres.url). */
    private int poolSize = 8;

    /** The JDBC URL, or null. */
    public String getUrl() {
      return url;
    }

    /** Sets {@link #getUrl()}. */
    public void setUrl(String url) {
      this.url = url;
    }

    /** The login, or null. */
    public String getUsername() {
      return username;
    }

    /** Sets {@link #getUsername()}. */
    public void setUsername(String username) {
      this.username = username;
    }

    /** The password, or null. */
    public String getPassword() {
      return password;
    }

    /** Sets {@link #getPassword()}. */
    public void setPassword(String password) {
      this.password = password;
    }

    /** Whether to use the application's DataSource. */
    public boolean isUseDataSource() {
      return useDataSource;
    }

    /** Sets {@link #isUseDataSource()}. */
    public void setUseDataSource(boolean useDataSource) {
      this.useDataSource = useDataSource;
    }

    /** The schema of jobkit's tables. */
    public String getSchema() {
      return schema;
    }

    /** Sets {@link #getSchema()}. */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /** Connections of jobkit's own pool. */
    public int getPoolSize() {
      return poolSize;
    }

    /** Sets {@link #getPoolSize()}. */
    public void setPoolSize(int poolSize) {
      this.poolSize = poolSize;
    }
  }

  /** How long finished jobs are kept before the workers delete them. */
  public static class Retention {
    /** Whether finished jobs are deleted at all. */
    private boolean enabled = true;

    /** How long completed jobs are kept. */
    private Duration completed = Duration.ofDays(7);

    /** How long failed, cancelled and timed-out jobs are kept. */
    private Duration failed = Duration.ofDays(30);

    /** Whether finished jobs are deleted at all. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** How long completed jobs are kept. */
    public Duration getCompleted() {
      return completed;
    }

    /** Sets {@link #getCompleted()}. */
    public void setCompleted(Duration completed) {
      this.completed = completed;
    }

    /** How long failed, cancelled and timed-out jobs are kept. */
    public Duration getFailed() {
      return failed;
    }

    /** Sets {@link #getFailed()}. */
    public void setFailed(Duration failed) {
      this.failed = failed;
    }
  }

  /** jobkit's HTTP API and dashboard, on a server of its own (needs dev.jobkit:job-http). */
  public static class Http {
    /** Whether to start the HTTP API and dashboard. */
    private boolean enabled;

    /** The address to listen on. */
    private String bind = "127.0.0.1";

    /** The port; 0 picks a free one. */
    private int port = 8081;

    /** The path prefix everything is served under, such as /jobkit. */
    private String path = "";

    /** Refuse every state-changing request with 403. */
    private boolean readOnly;

    /** Whether to start the HTTP API and dashboard. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets {@link #isEnabled()}. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The address to listen on. */
    public String getBind() {
      return bind;
    }

    /** Sets {@link #getBind()}. */
    public void setBind(String bind) {
      this.bind = bind;
    }

    /** The port. */
    public int getPort() {
      return port;
    }

    /** Sets {@link #getPort()}. */
    public void setPort(int port) {
      this.port = port;
    }

    /** The path prefix. */
    public String getPath() {
      return path;
    }

    /** Sets {@link #getPath()}. */
    public void setPath(String path) {
      this.path = path;
    }

    /** Whether state-changing requests are refused. */
    public boolean isReadOnly() {
      return readOnly;
    }

    /** Sets {@link #isReadOnly()}. */
    public void setReadOnly(boolean readOnly) {
      this.readOnly = readOnly;
    }
  }
}
