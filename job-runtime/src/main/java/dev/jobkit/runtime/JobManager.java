package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.JobRegistry;
import dev.jobkit.Priority;
import dev.jobkit.LogLevel;
import dev.jobkit.runtime.internal.state.IllegalJobTransitionException;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.AmbiguousJobIdException;
import dev.jobkit.runtime.internal.store.ControlResult;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.Page;
import dev.jobkit.runtime.internal.store.StatusCount;
import dev.jobkit.runtime.internal.store.DatabaseClock;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.internal.store.postgres.PostgresJobStore;
import dev.jobkit.runtime.internal.store.postgres.PostgresOptions;
import dev.jobkit.runtime.internal.store.sqlite.SqliteJobStore;
import dev.jobkit.runtime.internal.store.sqlite.SqliteOptions;
import dev.jobkit.runtime.internal.worker.Engine;
import dev.jobkit.runtime.internal.worker.OwnerId;
import dev.jobkit.runtime.internal.worker.EngineConfig;
import dev.jobkit.runtime.internal.worker.States;
import dev.jobkit.spi.JobRegistration;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Dispatches jobs into a persistent database and runs them on worker pools, one per queue.
 *
 * <pre>{@code
 * try (JobManager jobs = JobManager.open(Path.of("jobs.db"))) {
 *   JobHandle<CopyReport> h = jobs.dispatch(new FileCopyJob(sources, dest));
 *   CopyReport report = h.result().get();
 * }
 * }</pre>
 *
 * <p>A dispatch returns once the job is committed. Jobs run at least once: work done after a job's
 * last checkpoint is redone when a process dies. On open, jobs left running by a process that
 * stopped are queued again (once their lease expired) and resume from their last checkpoint. Several
 * managers, in one or several processes, may share one database file; a job never runs on two at
 * once. Thread-safe.
 */
public final class JobManager implements AutoCloseable {
  private final Engine engine;
  private final JobRegistry registry;
  private final Clock clock;
  private final JobIds ids;
  private final int defaultMaxAttempts;
  private final int maxParamBytes;

  private JobManager(Builder b, JobStore store, JobRegistry registry, Clock clock, Path dataRoot) {
    this.registry = registry;
    this.clock = clock;
    this.ids = new JobIds(clock);
    this.defaultMaxAttempts = b.defaultMaxAttempts;
    this.maxParamBytes = b.maxParamBytes;
    Map<String, Integer> workers = b.noWorkers ? Map.of()
        : b.workers.isEmpty()
        ? Map.of("default", Math.max(2, Runtime.getRuntime().availableProcessors()))
        : b.workers;
    Duration lease = b.leaseDuration != null ? b.leaseDuration
        : b.isPostgres() ? Builder.POSTGRES_LEASE : Builder.SQLITE_LEASE;
    EngineConfig config = new EngineConfig(
        dataRoot, workers, b.pollInterval, lease, b.progressInterval,
        b.shutdownGrace, b.backoffInitial, b.backoffMax, b.autoCheckpointInterval);
    SecureRandom random = new SecureRandom();
    String owner = OwnerId.forThisProcess(random);
    this.engine = new Engine(store, registry, clock, config, owner, random);
  }

  /**
   * Opens (creating if needed) a SQLite database with default settings, recovers interrupted jobs
   * and starts workers for the "default" queue.
   *
   * @throws JobStorageException if the database cannot be opened, with the reason in the message
   */
  public static JobManager open(Path database) {
    return builder().database(database).open();
  }

  /** A builder for a manager with non-default settings. */
  public static Builder builder() {
    return new Builder();
  }

  Engine engine() {
    return engine;
  }

  // ---------------------------------------------------------------- dispatch

  /** Dispatches a job object with its defaults; see {@link #dispatch(JobHandler, DispatchOptions)}. */
  public <O> JobHandle<O> dispatch(JobHandler<O> job) {
    return dispatch(job, DispatchOptions.defaults());
  }

  /**
   * Dispatches a job object: its current fields are stored as its parameters. Returns once the job
   * is committed.
   *
   * @throws dev.jobkit.UnknownJobException if the job's class was not compiled with job-processor
   * @throws IllegalArgumentException if its parameters exceed the configured size limit
   */
  public <O> JobHandle<O> dispatch(JobHandler<O> job, DispatchOptions options) {
    checkOpen();
    String name = registry.nameOf(job);
    return insert(newJob(name, registry.toMsgpack(job), options, clock.millis()));
  }

  /** Dispatches a job by name with JSON parameters and its defaults. */
  public JobHandle<?> dispatchByName(String name, String json) {
    return dispatchByName(name, json, DispatchOptions.defaults());
  }

  /**
   * Dispatches a job by its registered name with JSON parameters, validated against the job's
   * fields. Returns once the job is committed.
   *
   * @throws dev.jobkit.UnknownJobException if no job has that name
   * @throws dev.jobkit.JobDecodeException if the JSON is malformed or does not fit the job
   * @throws IllegalArgumentException if the parameters exceed the configured size limit
   */
  public JobHandle<?> dispatchByName(String name, String json, DispatchOptions options) {
    checkOpen();
    JobHandler<?> job = registry.fromJson(name, json);
    return insert(newJob(name, registry.toMsgpack(job), options, clock.millis()));
  }

  /**
   * Dispatches a job by name with MessagePack parameters (as written by {@link
   * JobRegistry#toMsgpack}), validated by decoding them.
   *
   * @throws dev.jobkit.UnknownJobException if no job has that name
   * @throws dev.jobkit.JobDecodeException if the bytes are not valid parameters of the job
   */
  public JobHandle<?> dispatchMsgpack(String name, byte[] params, DispatchOptions options) {
    checkOpen();
    registry.fromMsgpack(name, params);
    return insert(newJob(name, params.clone(), options, clock.millis()));
  }

  /**
   * Dispatches several job objects in one transaction: all are committed or none. The options
   * apply to each job and must not carry an idempotency key.
   */
  public List<JobHandle<?>> dispatchAll(List<? extends JobHandler<?>> jobs, DispatchOptions options) {
    checkOpen();
    if (options.idempotencyKey().isPresent()) {
      throw new IllegalArgumentException(
          "dispatchAll cannot share one idempotency key between jobs; dispatch them one by one");
    }
    long now = clock.millis();
    List<NewJob> rows = new ArrayList<>(jobs.size());
    for (JobHandler<?> job : jobs) {
      rows.add(newJob(registry.nameOf(job), registry.toMsgpack(job), options, now));
    }
    List<JobHandle<?>> handles = new ArrayList<>(rows.size());
    for (InsertResult r : engine.insertAll(rows)) {
      handles.add(new JobHandle<>(this, r.id()));
    }
    return handles;
  }

  private <O> JobHandle<O> insert(NewJob job) {
    InsertResult r = engine.insert(job);
    return new JobHandle<>(this, r.id());
  }

  private NewJob newJob(String name, byte[] params, DispatchOptions o, long now) {
    if (params.length > maxParamBytes) {
      throw new IllegalArgumentException("job '" + name + "': parameters take " + params.length
          + " bytes, more than the limit of " + maxParamBytes
          + " bytes; pass large data by reference (a path or URL) or raise maxParamBytes");
    }
    JobRegistration<?, ?> reg = registry.registration(name);
    Priority priority = o.priority().orElse(reg.priority());
    String queue = o.queue().orElse(reg.queue());
    int maxAttempts = o.maxAttempts().orElse(reg.maxAttempts() > 0 ? reg.maxAttempts()
        : defaultMaxAttempts);
    long runAt = o.runAt().map(Instant::toEpochMilli)
        .orElse(now + o.delay().map(Duration::toMillis).orElse(0L));
    long timeoutMs = o.timeout().or(reg::timeout).map(Duration::toMillis).orElse(0L);
    return new NewJob(ids.next(), name, params, priority, queue, maxAttempts, runAt, o.tags(),
        o.idempotencyKey().orElse(null), timeoutMs,
        o.backoff().map(Duration::toMillis).orElse(0L));
  }

  // ---------------------------------------------------------------- queries and control

  /**
   * The job with this id, if stored.
   *
   * @throws IllegalStateException if the manager is closed
   */
  public Optional<JobInfo> job(String id) {
    checkOpen();
    return engine.jobStore().get(id).map(States::toInfo);
  }

  /** A handle on a stored job, if it exists. */
  public Optional<JobHandle<?>> handle(String id) {
    checkOpen();
    return engine.jobStore().get(id).map(r -> new JobHandle<>(this, r.id()));
  }

  /**
   * The one job whose id starts with {@code prefix} (case-insensitive), as typed by a user who
   * shortened an id. Empty when no job matches or the prefix has characters no id has.
   *
   * @throws AmbiguousJobPrefixException if several jobs match
   */
  public Optional<JobInfo> findByPrefix(String prefix) {
    checkOpen();
    try {
      return engine.jobStore().findByIdPrefix(prefix).map(States::toInfo);
    } catch (AmbiguousJobIdException e) {
      throw new AmbiguousJobPrefixException(e.prefix(), e.candidates());
    }
  }

  /**
   * One page of the jobs matching {@code query}, newest first. Pages are keyset-paginated: jobs
   * dispatched while paging do not shift later pages.
   */
  public JobPage list(JobQuery query) {
    checkOpen();
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    for (JobState s : query.states()) {
      statuses.add(JobStatus.valueOf(s.name()));
    }
    JobFilter filter = new JobFilter(statuses, query.name().map(Set::of).orElse(Set.of()),
        query.tag().orElse(null), query.queue().orElse(null),
        query.createdFrom().map(Instant::toEpochMilli).orElse(null),
        query.createdTo().map(Instant::toEpochMilli).orElse(null));
    Page<JobRow> page = engine.jobStore().list(filter, query.cursor().orElse(null), query.limit());
    return new JobPage(page.items().stream().map(States::toInfo).toList(),
        Optional.ofNullable(page.nextCursor()));
  }

  /**
   * A job's log lines at {@code minLevel} or above with an id greater than {@code afterId} (0 for
   * the start), oldest first, at most {@code limit}. Lines are written in batches while the job
   * runs, so the newest may appear up to the progress interval late. Empty for an unknown job.
   */
  public List<JobLogLine> logs(String id, LogLevel minLevel, long afterId, int limit) {
    checkOpen();
    Objects.requireNonNull(minLevel, "minLevel");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<JobLogLine> out = new ArrayList<>();
    for (LogLine l : engine.jobStore().logs(id, minLevel, afterId, limit)) {
      out.add(new JobLogLine(l.id(), Instant.ofEpochMilli(l.at()), l.level(), l.message(),
          l.attempt()));
    }
    return List.copyOf(out);
  }

  /**
   * A job's stored audit trail, oldest first: its dispatch and every status change, whichever
   * process made it. Empty for an unknown job.
   */
  public List<JobEventInfo> events(String id) {
    checkOpen();
    List<JobEventInfo> out = new ArrayList<>();
    for (JobEvent e : engine.jobStore().events(id)) {
      out.add(new JobEventInfo(e.id(), Instant.ofEpochMilli(e.at()),
          JobEventInfo.Kind.valueOf(e.type().name()),
          Optional.ofNullable(e.from()).map(States::toPublic),
          Optional.ofNullable(e.to()).map(States::toPublic),
          Optional.ofNullable(e.detail())));
    }
    return List.copyOf(out);
  }

  /**
   * Counts by state and by name, run times and success rate of the jobs in the database. Counts
   * cover every stored job; run times cover the {@value JobStats#DURATION_SAMPLE_LIMIT} most
   * recently dispatched completed jobs.
   */
  public JobStats stats() {
    checkOpen();
    Map<JobState, Long> byState = new EnumMap<>(JobState.class);
    Map<String, Map<JobState, Long>> byName = new TreeMap<>();
    for (StatusCount c : engine.jobStore().countByNameAndStatus()) {
      JobState s = States.toPublic(c.status());
      byState.merge(s, c.count(), Long::sum);
      byName.computeIfAbsent(c.name(), k -> new EnumMap<>(JobState.class))
          .merge(s, c.count(), Long::sum);
    }
    Page<JobRow> done = engine.jobStore().list(JobFilter.all().withStatuses(
        Set.of(JobStatus.COMPLETED)), null, JobStats.DURATION_SAMPLE_LIMIT);
    long[] ms = done.items().stream()
        .filter(r -> r.startedAt() > 0 && r.finishedAt() >= r.startedAt())
        .mapToLong(r -> r.finishedAt() - r.startedAt()).sorted().toArray();
    Optional<Duration> mean = ms.length == 0 ? Optional.empty()
        : Optional.of(Duration.ofMillis(Math.round(Arrays.stream(ms).average().orElseThrow())));
    // Nearest rank: the smallest value with at least 95 % of the sample at or below it.
    Optional<Duration> p95 = ms.length == 0 ? Optional.empty()
        : Optional.of(Duration.ofMillis(ms[(int) Math.ceil(0.95 * ms.length) - 1]));
    long completed = byState.getOrDefault(JobState.COMPLETED, 0L);
    long ended = completed + byState.getOrDefault(JobState.FAILED, 0L)
        + byState.getOrDefault(JobState.TIMED_OUT, 0L);
    OptionalDouble rate = ended == 0 ? OptionalDouble.empty()
        : OptionalDouble.of((double) completed / ended);
    return new JobStats(byState, byName, ms.length, mean, p95, rate);
  }

  /**
   * Deletes jobs that finished (completed, failed, cancelled or timed out) more than {@code
   * olderThan} ago, with their events and logs; with {@code dryRun} only counts them. Waiting,
   * running, paused and quarantined jobs are never deleted. Returns the number of jobs.
   */
  public long cleanup(Duration olderThan, boolean dryRun) {
    checkOpen();
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan must not be negative, got " + olderThan);
    }
    return engine.jobStore().cleanup(clock.millis() - olderThan.toMillis(), dryRun);
  }

  /** Size of the database file and its write-ahead log. */
  public StorageInfo storageInfo() {
    checkOpen();
    dev.jobkit.runtime.internal.store.StorageInfo i = engine.jobStore().storageInfo();
    return new StorageInfo(i.location(), i.sizeBytes(), i.pageSize(), i.pageCount(), i.freePages(),
        i.walBytes());
  }

  /**
   * Whether this manager can work: reads the database once and checks its worker threads. Never
   * throws for an unreachable database; reports it.
   */
  public Health health() {
    checkOpen();
    String dbError = null;
    try {
      engine.jobStore().storageInfo();
    } catch (RuntimeException e) {
      dbError = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
    return new Health(dbError == null, Optional.ofNullable(dbError), engine.workersAlive(),
        engine.runningCount(), engine.owner());
  }

  /** The registered job types with their schemas and defaults, by name. */
  public List<JobType> jobTypes() {
    checkOpen();
    return registry.registrations().stream()
        .map(r -> new JobType(r.name(), r.description(), r.schema(), r.outputSchema(),
            r.outputType(), r.resumable(), r.version(), r.queue(), r.priority(),
            r.maxAttempts() > 0 ? r.maxAttempts() : defaultMaxAttempts, r.timeout()))
        .sorted(java.util.Comparator.comparing(JobType::name))
        .toList();
  }

  /**
   * Calls {@code listener} with lifecycle events of {@code types} (every type when none are
   * given) that this manager observes: its dispatches and control calls, and the jobs its workers
   * run. Events of jobs run by other processes are not seen here; {@link #events(String)} has the
   * durable trail. Delivery is on one dispatcher thread, in the order this process observed the
   * events, after the change was committed; it is best-effort (events are dropped if listeners fall
   * tens of thousands of events behind) and stops when the manager closes. To see the events of
   * jobs recovered while the manager opens, subscribe on the builder ({@link Builder#subscribe}).
   */
  public JobSubscription subscribe(JobEventListener listener, JobEventType... types) {
    checkOpen();
    Objects.requireNonNull(listener, "listener");
    return engine.subscribe(listener, Set.of(types));
  }

  /**
   * Cancels a job: a waiting or paused one at once, a running one at its next {@code
   * checkInterrupt()} (in this process at once, in another within its heartbeat). Returns false if
   * no job has that id; true also when it was already cancelled.
   *
   * @throws JobStateException if the job has already completed, failed or timed out
   */
  public boolean cancel(String id) {
    checkOpen();
    ControlResult r = control(id, "cancel", () -> engine.jobStore().requestCancel(id, clock.millis()));
    return afterControl(id, r, Reason.CANCELLED, JobEventType.CANCELLED);
  }

  /**
   * Pauses a job: a waiting one at once, a running one at its next {@code checkInterrupt()}, after
   * which resumable jobs are checkpointed. Returns false if no job has that id.
   *
   * @throws JobStateException if the job has finished or is quarantined
   */
  public boolean pause(String id) {
    checkOpen();
    ControlResult r = control(id, "pause", () -> engine.jobStore().requestPause(id, clock.millis()));
    return afterControl(id, r, Reason.PAUSED, JobEventType.PAUSED);
  }

  /**
   * Queues a paused job again; it continues from its last checkpoint. A pause requested of a
   * running job and not yet acted on is withdrawn. False if not found.
   *
   * @throws JobStateException if the job has finished or is quarantined (use {@link #retry})
   */
  public boolean resume(String id) {
    checkOpen();
    ControlResult r = control(id, "resume", () -> engine.jobStore().resume(id, clock.millis()));
    if (r.outcome() == ControlResult.Outcome.APPLIED && r.status() != JobStatus.RUNNING) {
      engine.controlApplied(id, JobEventType.RESUMED);
    }
    engine.wakeAll();
    return r.outcome() != ControlResult.Outcome.NOT_FOUND;
  }

  /**
   * Queues a failed, timed-out, cancelled or quarantined job again with its attempts reset (the
   * dead-letter view is {@code list} with those states). A job that is waiting, running or paused
   * is left as it is. False if not found.
   *
   * @throws JobStateException if the job completed
   */
  public boolean retry(String id) {
    checkOpen();
    ControlResult r = control(id, "retry", () -> engine.jobStore().retry(id, clock.millis()));
    if (r.outcome() == ControlResult.Outcome.APPLIED) {
      engine.controlApplied(id, JobEventType.RETRIED);
    }
    engine.wakeAll();
    return r.outcome() != ControlResult.Outcome.NOT_FOUND;
  }

  /** Runs a control call, turning a refused state change into a one-line public exception. */
  private ControlResult control(String id, String action, Supplier<ControlResult> call) {
    try {
      return call.get();
    } catch (IllegalJobTransitionException e) {
      throw new JobStateException(id, action, States.toPublic(e.from()));
    } catch (dev.jobkit.JobException e) {
      // The store refuses some calls (resume of a finished job) with its own message; report the
      // state it refused in, read again, the same way. Storage failures pass through as they are.
      if (e instanceof dev.jobkit.runtime.internal.store.StorageException) {
        throw e;
      }
      Optional<JobRow> row = engine.jobStore().get(id);
      if (row.isEmpty()) {
        throw e;
      }
      throw new JobStateException(id, action, States.toPublic(row.get().status()));
    }
  }

  private boolean afterControl(String id, ControlResult r, Reason reason, JobEventType type) {
    switch (r.outcome()) {
      case NOT_FOUND -> {
        return false;
      }
      case REQUESTED -> engine.stopLocal(id, reason);
      case APPLIED -> {
        engine.refreshWatchers(id);
        engine.controlApplied(id, type);
      }
      default -> engine.refreshWatchers(id);
    }
    return true;
  }

  private void checkOpen() {
    if (engine.isClosed()) {
      throw new IllegalStateException("JobManager is closed");
    }
  }

  /**
   * Stops claiming, asks running jobs to stop at their next {@code checkInterrupt()}, waits up to
   * the grace period while they checkpoint and give their jobs back (without spending an attempt),
   * then closes the database. Jobs still running after the grace period are given back as of their
   * last checkpoint.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Configures and opens a {@link JobManager}: SQLite by default ({@link #database(Path)}), or
   * PostgreSQL ({@link #postgres(String)}) for many worker nodes on one database. Not thread-safe.
   */
  public static final class Builder {
    /** Default attempts of a job that sets none itself. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final Duration SQLITE_LEASE = Duration.ofSeconds(30);
    static final Duration POSTGRES_LEASE = Duration.ofSeconds(10);

    private Path database = Path.of("jobs.db");
    private String pgUrl;
    private String pgUser;
    private String pgPassword;
    private DataSource pgDataSource;
    private String pgSchema = "public";
    private int pgPoolSize = 8;
    private Path dataDirectory;
    private JobRegistry registry;
    private final Map<String, Integer> workers = new LinkedHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private boolean noWorkers;
    private boolean createIfMissing = true;
    private Duration pollInterval = Duration.ofMillis(500);
    private Duration leaseDuration; // null: per database
    private Duration progressInterval = Duration.ofMillis(250);
    private Duration autoCheckpointInterval = Duration.ofSeconds(30);
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private Duration backoffInitial = Duration.ofSeconds(1);
    private Duration backoffMax = Duration.ofMinutes(10);
    private Clock clock; // null: the system clock on SQLite, the database's on PostgreSQL
    private int defaultMaxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int maxParamBytes = 1 << 20;
    private Durability durability = Durability.NORMAL;

    private record Subscription(JobEventListener listener, JobEventType[] types) {}

    private Builder() {}

    /**
     * How hard each SQLite commit is pushed to disk. Default {@link Durability#NORMAL}: a dispatch
     * that returned survives a crash or kill of the process, but the last moments of commits can be
     * lost on power loss or an OS crash; {@link Durability#FULL} fsyncs every commit. PostgreSQL
     * commits with the server's own settings ({@code synchronous_commit}) and ignores this.
     */
    public Builder durability(Durability d) {
      this.durability = Objects.requireNonNull(d, "durability");
      return this;
    }

    /**
     * The SQLite database file; its directory must exist. Default {@code jobs.db}. Replaces an
     * earlier {@code postgres(...)} call.
     */
    public Builder database(Path database) {
      this.database = Objects.requireNonNull(database, "database");
      clearPostgres();
      return this;
    }

    /**
     * Uses the PostgreSQL database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db},
     * user and password as URL parameters if needed) with a pool of its own (see {@link
     * #postgresPoolSize}). Many managers on many hosts may share it; each one with workers is a
     * node that heartbeats, and the jobs of a node that stops heartbeating are resumed by the
     * others after its lease. The schema is created or migrated on open.
     */
    public Builder postgres(String jdbcUrl) {
      return postgres(jdbcUrl, null, null);
    }

    /** {@link #postgres(String)} with a login; {@code user} and {@code password} may be null. */
    public Builder postgres(String jdbcUrl, String user, String password) {
      clearPostgres();
      this.pgUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      this.pgUser = user;
      this.pgPassword = password;
      return this;
    }

    /**
     * Uses PostgreSQL through the caller's {@code DataSource}, which should pool connections (one
     * is taken per statement, plus one held for notifications). The caller closes it after the
     * manager.
     */
    public Builder postgres(DataSource dataSource) {
      clearPostgres();
      this.pgDataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The PostgreSQL schema of jobkit's tables, created if missing; a lower-case identifier.
     * Default {@code public}. Managers that share jobs must use the same schema.
     */
    public Builder postgresSchema(String schema) {
      this.pgSchema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Connections the manager opens to PostgreSQL from a JDBC URL (not used with a {@code
     * DataSource}). Default 8; workers share them, so a few suffice for many workers.
     */
    public Builder postgresPoolSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("postgresPoolSize must be at least 1, got " + n);
      }
      this.pgPoolSize = n;
      return this;
    }

    /**
     * The parent of each job's private data directory ({@link dev.jobkit.JobContext#dataDir()}).
     * Default: {@code jobkit-data} next to the SQLite file, or in the working directory on
     * PostgreSQL. On PostgreSQL a job resumed on another host does not find what an earlier
     * attempt wrote there unless the directory is shared.
     */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = Objects.requireNonNull(dir, "dataDirectory");
      return this;
    }

    private void clearPostgres() {
      pgUrl = null;
      pgUser = null;
      pgPassword = null;
      pgDataSource = null;
    }

    boolean isPostgres() {
      return pgUrl != null || pgDataSource != null;
    }

    /** The job types; default {@link JobRegistry#load()}. */
    public Builder registry(JobRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Runs {@code queue} with {@code count} worker threads. Without any call, the "default" queue
     * runs with max(2, available processors) workers; once called, only the named queues run here.
     */
    public Builder workers(String queue, int count) {
      if (count < 1) {
        throw new IllegalArgumentException("workers of queue '" + queue + "' must be at least 1");
      }
      workers.put(queue, count);
      return this;
    }

    /**
     * Runs no workers in this manager: it dispatches, queries and controls jobs that worker
     * processes sharing the database run (the CLI's read and control commands use this). It does
     * not recover interrupted jobs either; workers do that.
     */
    public Builder noWorkers() {
      this.noWorkers = true;
      return this;
    }

    /**
     * Whether {@link #open()} creates a missing database: a new SQLite file, or jobkit's tables in
     * the PostgreSQL schema. Default true. Tools that only look at existing jobs pass false, so that
     * a mistyped location fails with {@link JobStorageException.Kind#MISSING} instead of leaving an
     * empty database behind.
     */
    public Builder createIfMissing(boolean create) {
      this.createIfMissing = create;
      return this;
    }

    /** How often idle workers look for jobs dispatched by other processes. Default 500 ms. */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "pollInterval");
      return this;
    }

    /**
     * How long a claim stays valid without renewal; a job of a dead process on another host (or
     * one that cannot be proven dead) is recovered after this. Renewed every third of it (or every
     * poll interval if shorter). Default 30 s on SQLite, 10 s on PostgreSQL, where it is also how
     * long a node may miss heartbeats before the others requeue its jobs.
     */
    public Builder leaseDuration(Duration d) {
      this.leaseDuration = positive(d, "leaseDuration");
      return this;
    }

    /**
     * How often {@link dev.jobkit.JobContext#checkInterrupt()} saves a resumable job's state on
     * its own (default 30 s); {@link Duration#ZERO} turns automatic checkpoints off. A job whose
     * fields are not consistent at every {@code checkInterrupt()} should turn them off and call
     * {@code checkpoint()} itself.
     */
    public Builder autoCheckpointInterval(Duration d) {
      Objects.requireNonNull(d, "autoCheckpointInterval");
      if (d.isNegative()) {
        throw new IllegalArgumentException("autoCheckpointInterval must not be negative, got " + d);
      }
      this.autoCheckpointInterval = d;
      return this;
    }

    /** The least time between two database writes of one job's progress. Default 250 ms. */
    public Builder progressInterval(Duration d) {
      this.progressInterval = positive(d, "progressInterval");
      return this;
    }

    /** How long {@link #close()} waits for running jobs to stop. Default 10 s. */
    public Builder shutdownGrace(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative");
      }
      this.shutdownGrace = d;
      return this;
    }

    /**
     * Retry delays: {@code initial} after the first failure, doubling up to {@code max}, each
     * randomized within ±50 %. Default 1 s to 10 min.
     */
    public Builder backoff(Duration initial, Duration max) {
      this.backoffInitial = positive(initial, "initial backoff");
      this.backoffMax = positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff must not be below the initial backoff");
      }
      return this;
    }

    /** Attempts of jobs that set none themselves. Default {@value #DEFAULT_MAX_ATTEMPTS}. */
    public Builder defaultMaxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("defaultMaxAttempts must be at least 1, got " + n);
      }
      this.defaultMaxAttempts = n;
      return this;
    }

    /** The largest accepted parameters, in MessagePack bytes. Default 1 MiB. */
    public Builder maxParamBytes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxParamBytes must be at least 1, got " + n);
      }
      this.maxParamBytes = n;
      return this;
    }

    /**
     * The clock for run-at times, leases, timeouts and backoff. Default: the system clock on
     * SQLite; on PostgreSQL the database server's clock (the local clock corrected by its measured
     * offset), so that nodes whose clocks disagree still agree on when a lease expired.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Calls {@code listener} with lifecycle events of {@code types} (every type when none are
     * given) from the moment the manager opens, so that no event of a job recovered at start is
     * missed; see {@link JobManager#subscribe}.
     */
    public Builder subscribe(JobEventListener listener, JobEventType... types) {
      subscriptions.add(new Subscription(Objects.requireNonNull(listener, "listener"),
          types.clone()));
      return this;
    }

    /**
     * Opens the database (creating or migrating its schema), recovers interrupted jobs and starts
     * the workers.
     *
     * @throws JobStorageException if the database cannot be opened, with the reason in the message
     */
    public JobManager open() {
      JobRegistry reg = registry != null ? registry : JobRegistry.load();
      JobStore store = openStore();
      JobManager m;
      try {
        Clock c = clock != null ? clock
            : store instanceof SharedJobStore shared ? DatabaseClock.of(shared)
            : Clock.systemUTC();
        Path dataRoot = dataDirectory != null ? dataDirectory.toAbsolutePath()
            : isPostgres() ? Path.of("jobkit-data").toAbsolutePath()
            : database.toAbsolutePath().getParent().resolve("jobkit-data");
        m = new JobManager(this, store, reg, c, dataRoot);
        for (Subscription s : subscriptions) {
          m.subscribe(s.listener(), s.types());
        }
        m.engine.start();
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return m;
    }

    private JobStore openStore() {
      // Migrations are stamped with the system clock: the store is not open yet to ask its own.
      Clock stamp = clock != null ? clock : Clock.systemUTC();
      if (isPostgres()) {
        PostgresDriver.require(JobManager.class.getClassLoader());
        // A frozen node must not hold row locks (and so its jobs) much past its lease: a third of
        // the lease leaves the others' heartbeats, which may wait on such a lock, well in time.
        Duration lease = leaseDuration != null ? leaseDuration : POSTGRES_LEASE;
        PostgresOptions options = PostgresOptions.defaults().withSchema(pgSchema)
            .withPoolSize(pgPoolSize).withCreateIfMissing(createIfMissing)
            .withIdleInTransactionTimeout(
                Duration.ofMillis(Math.max(lease.toMillis() / 3, 500)));
        return pgDataSource != null
            ? PostgresJobStore.open(pgDataSource, options, stamp)
            : PostgresJobStore.open(pgUrl, pgUser, pgPassword, options, stamp);
      }
      // Under FULL every commit waits for an fsync, so concurrent writers share one transaction
      // (and one fsync) through the group-commit writer; under NORMAL a commit is cheap already.
      SqliteOptions options = SqliteOptions.defaults()
          .withDurability(dev.jobkit.runtime.internal.store.Durability.valueOf(durability.name()))
          .withGroupCommit(durability == Durability.FULL)
          .withCreateIfMissing(createIfMissing);
      return SqliteJobStore.open(database, options, stamp);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
