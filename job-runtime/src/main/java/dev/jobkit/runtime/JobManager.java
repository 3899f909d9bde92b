package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.internal.store.DatabaseClock;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.internal.worker.Engine;
import dev.jobkit.runtime.internal.worker.EngineConfig;
import dev.jobkit.runtime.internal.worker.Interceptors;
import dev.jobkit.runtime.internal.worker.OwnerId;
import dev.jobkit.runtime.internal.worker.RetentionTask;
import dev.jobkit.spi.ServiceResolver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * stopped are queued again (once their lease expired) and resume from their last checkpoint.
 * Several managers, in one or several processes, may share one database file; a job never runs on
 * two at once. Thread-safe.
 */
public final class JobManager implements AutoCloseable {
  // A facade: each part of the work is done by a package-private collaborator.
  private final Engine engine;
  private final DispatchDefaults defaults;
  private final Limits limits; // #12 limits
  private final JobQueries queries;
  private final JobControl control;
  private final JobStatistics statistics;
  private final JobFeed feed;
  private final ApiKeys apiKeys;
  private final JobTransfer transfer;
  private final Schedules schedules; // #12
  private final Templates templates; // #12 templates
  private final Batches batches; // #12 batches
  private final Tenants tenants; // #14 tenants
  private final AuditLog audit; // #14 tenants
  private final Clock clock;

  /** Checks services and starts the engine once; null after (#13: Builder.startLater). */
  private Runnable pendingStart;

  private JobManager(Builder b, JobStore store, JobRegistry registry, Clock clock, Path dataRoot) {
    Map<String, Integer> workers =
        b.noWorkers
            ? Map.of()
            : b.workers.isEmpty()
                ? Map.of("default", Math.max(2, Runtime.getRuntime().availableProcessors()))
                : b.workers;
    Duration lease = b.leaseDuration != null ? b.leaseDuration : b.storage.defaultLease();
    EngineConfig config =
        new EngineConfig(
            dataRoot,
            workers,
            b.pollInterval,
            lease,
            b.progressInterval,
            b.shutdownGrace,
            b.backoffInitial,
            b.backoffMax,
            b.autoCheckpointInterval,
            b.retention.isNone()
                ? null
                : RetentionTask.Settings.of(b.retention.rules(), b.retention.toString()),
            b.interceptors,
            b.services); // #13
    SecureRandom random = new SecureRandom();
    String owner = OwnerId.forThisProcess(random);
    this.limits = new Limits(b.limits, registry, store, clock); // #12 limits
    this.engine = new Engine(store, registry, clock, config, owner, random, limits::apply);
    this.defaults =
        new DispatchDefaults(
            registry, clock, b.defaultMaxAttempts, b.maxParamBytes, b.interceptors, limits);
    this.queries = new JobQueries(store, clock, registry);
    this.control = new JobControl(engine, clock);
    this.statistics = new JobStatistics(engine, registry, defaults);
    this.feed = new JobFeed(store, clock, this::checkOpen);
    this.audit = new AuditLog(store, clock, defaults.ids(), this::checkOpen); // #14
    this.apiKeys = new ApiKeys(store, clock, random, audit, this::checkOpen);
    this.transfer = new JobTransfer(store, clock, this::checkOpen);
    this.schedules =
        new Schedules(
            store,
            clock,
            registry,
            defaults,
            engine,
            id -> new JobHandle<>(this, id, true),
            audit,
            this::checkOpen); // #12
    // #12 templates
    this.templates =
        new Templates(store, registry, clock, defaults, this::insert, audit, this::checkOpen);
    this.batches = new Batches(store, clock, this::checkOpen); // #12 batches
    this.tenants = new Tenants(store, clock, audit, this::checkOpen); // #14 tenants
    this.clock = clock;
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

  /**
   * Dispatches a job object with its defaults; see {@link #dispatch(JobHandler, DispatchOptions)}.
   */
  public <O> JobHandle<O> dispatch(JobHandler<O> job) {
    return dispatch(job, DispatchOptions.defaults());
  }

  /**
   * Dispatches a job object: its current fields are stored as its parameters. Returns once the job
   * is committed, or, when the manager joins the application's transactions ({@link
   * Builder#postgres(DataSource, ApplicationTransactions)}) and the calling thread has one open,
   * once the job is written in it: it then commits or rolls back with that transaction.
   *
   * @throws dev.jobkit.UnknownJobException if the job's class was not compiled with job-processor
   * @throws IllegalArgumentException if its parameters exceed the configured size limit
   * @throws QuotaExceededException if the dispatch would exceed a quota of its tenant; nothing is
   *     stored then (#14 tenants)
   */
  public <O> JobHandle<O> dispatch(JobHandler<O> job, DispatchOptions options) {
    checkOpen();
    return insert(defaults.of(job, options), options); // #12 dependencies: with options
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
   * @throws QuotaExceededException if the dispatch would exceed a quota of its tenant; nothing is
   *     stored then (#14 tenants)
   */
  public JobHandle<?> dispatchByName(String name, String json, DispatchOptions options) {
    checkOpen();
    return insert(defaults.ofJson(name, json, options), options); // #12 dependencies
  }

  /**
   * Dispatches a job by name with MessagePack parameters and its defaults; see {@link
   * #dispatchMsgpack(String, byte[], DispatchOptions)}.
   */
  public JobHandle<?> dispatchMsgpack(String name, byte[] params) {
    return dispatchMsgpack(name, params, DispatchOptions.defaults());
  }

  /**
   * Dispatches a job by name with MessagePack parameters (as written by {@link
   * JobRegistry#toMsgpack}), validated by decoding them.
   *
   * @throws dev.jobkit.UnknownJobException if no job has that name
   * @throws dev.jobkit.JobDecodeException if the bytes are not valid parameters of the job
   * @throws IllegalArgumentException if the parameters exceed the configured size limit
   * @throws QuotaExceededException if the dispatch would exceed a quota of its tenant; nothing is
   *     stored then (#14 tenants)
   */
  public JobHandle<?> dispatchMsgpack(String name, byte[] params, DispatchOptions options) {
    checkOpen();
    return insert(defaults.ofMsgpack(name, params, options), options); // #12 dependencies
  }

  /**
   * Dispatches several job objects with their defaults in one transaction; see {@link
   * #dispatchAll(List, DispatchOptions)}.
   */
  public List<JobHandle<?>> dispatchAll(List<? extends JobHandler<?>> jobs) {
    return dispatchAll(jobs, DispatchOptions.defaults());
  }

  /**
   * Dispatches several job objects in one transaction: all are committed or none. The options apply
   * to each job and must not carry an idempotency key. Returns the handles in the order of {@code
   * jobs}.
   *
   * @throws IllegalArgumentException if the options carry an idempotency key, or a job's parameters
   *     exceed the configured size limit
   * @throws QuotaExceededException if the dispatch would exceed a quota of its tenant; nothing is
   *     stored then (#14 tenants)
   */
  public List<JobHandle<?>> dispatchAll(
      List<? extends JobHandler<?>> jobs, DispatchOptions options) {
    checkOpen();
    List<JobHandle<?>> handles = new ArrayList<>(jobs.size());
    List<NewJob> rows = defaults.ofAll(jobs, options);
    List<InsertResult> inserted;
    if (options.dependsOn().isEmpty()) {
      inserted = engine.insertAll(rows);
    } else { // #12 dependencies: every job waits for the options' parents
      List<dev.jobkit.runtime.internal.store.DependencyEdge> edges = new ArrayList<>();
      rows.forEach(r -> edges.addAll(JobGraph.edgesOf(r.id(), options)));
      inserted = engine.insertGraph(rows, edges);
    }
    for (InsertResult r : inserted) {
      handles.add(new JobHandle<>(this, r.id(), r.created()));
    }
    return handles;
  }

  /**
   * Dispatches a copy of a stored job: a new job with the same name, parameters, queue, priority,
   * max attempts, timeout, backoff and tags, due now, without its idempotency key, state, attempts
   * or output. The job type need not be registered in this process. Empty if no job has that id.
   *
   * @param actor who asks (recorded as the new job's {@link JobInfo#createdBy()}, and audited as
   *     {@value AuditLog#JOB_CLONE} and {@value AuditLog#JOB_SUBMIT}), or null
   */
  public Optional<JobHandle<?>> clone(String id, String actor) {
    checkOpen();
    Objects.requireNonNull(id, "id");
    return engine
        .jobStore()
        .get(id)
        .map(
            row -> {
              JobHandle<?> h = insert(defaults.cloneOf(row, actor));
              audit.after(actor, row.tenant(), AuditLog.JOB_CLONE, h.id(), "clone of " + id);
              return h;
            });
  }

  // #12 dependencies
  private <O> JobHandle<O> insert(NewJob job, DispatchOptions options) {
    if (options.dependsOn().isEmpty()) {
      return insert(job);
    }
    InsertResult r = engine.insertGraph(List.of(job), JobGraph.edgesOf(job.id(), options)).get(0);
    return new JobHandle<>(this, r.id(), r.created());
  }

  /**
   * A builder that dispatches a graph of new jobs, each waiting for the ones it names, in one
   * transaction (#12 dependencies). See {@link JobGraph}.
   */
  public JobGraph graph() {
    checkOpen();
    return new JobGraph(this, engine, defaults);
  }

  /**
   * The parents of a job ({@link DispatchOptions.Builder#dependsOn}, {@link JobGraph}), in the
   * order they were given, each with whether the job still waits for it. Empty for a job without
   * parents or an unknown id.
   */
  public List<JobParent> parents(String id) {
    checkOpen();
    return queries.parents(Objects.requireNonNull(id, "id"));
  }

  // end #12 dependencies

  private <O> JobHandle<O> insert(NewJob job) {
    InsertResult r = engine.insert(job);
    return new JobHandle<>(this, r.id(), r.created());
  }

  // ---------------------------------------------------------------- queries

  /**
   * The job with this id, if stored.
   *
   * @throws IllegalStateException if the manager is closed
   */
  public Optional<JobInfo> job(String id) {
    checkOpen();
    return queries.job(id);
  }

  /**
   * Everything stored about a job, for a job's page: its snapshot, its parameters and latest
   * checkpoint decoded to JSON through the registry, run-at, timeout and idempotency key. A job
   * whose type is not registered here, or whose bytes do not decode, has its JSON missing and
   * {@link JobDetail#decodeError()} saying why. Empty if no job has that id.
   */
  public Optional<JobDetail> detail(String id) {
    checkOpen();
    return queries.detail(Objects.requireNonNull(id, "id"));
  }

  /**
   * Why a due job does not start because of its concurrency or rate limits (#12 limits), such as
   * {@code waiting for a slot of deploy[host=db1] (1 of 1 running)} or {@code next start in 3.2 s
   * (rate send-mail 10/1m)}. Empty when no job has that id, the job is not due (running, finished,
   * or scheduled later), it has no limits, or its limits have room (it starts at the next claim).
   */
  public Optional<String> waitingReason(String id) {
    checkOpen();
    return limits.waitingReason(Objects.requireNonNull(id, "id"));
  }

  /** A handle on a stored job, if it exists. */
  public Optional<JobHandle<?>> handle(String id) {
    checkOpen();
    return queries.job(id).map(info -> new JobHandle<>(this, info.id(), false));
  }

  /**
   * The one job whose id starts with {@code prefix} (case-insensitive), as typed by a user who
   * shortened an id. Empty when no job matches or the prefix has characters no id has.
   *
   * @throws AmbiguousJobPrefixException if several jobs match
   */
  public Optional<JobInfo> findByPrefix(String prefix) {
    checkOpen();
    return queries.findByPrefix(prefix);
  }

  /**
   * One page of the jobs matching {@code query}, newest first. Pages are keyset-paginated: jobs
   * dispatched while paging do not shift later pages.
   */
  public JobPage list(JobQuery query) {
    checkOpen();
    return queries.list(Objects.requireNonNull(query, "query"));
  }

  /**
   * A job's log lines from the start, oldest first, at most {@value LogQuery#DEFAULT_LIMIT}: {@code
   * logs(id, LogQuery.all())}. Empty for an unknown job.
   */
  public List<JobLogLine> logs(String id) {
    return logs(id, LogQuery.all());
  }

  /**
   * A job's log lines that {@code query} selects (a least level, lines after a given line id, at
   * most a limit), oldest first. To follow a log, pass the last line's id to {@link
   * LogQuery#after(long)} on the next call. Lines are written in batches while the job runs, so the
   * newest may appear up to the progress interval late. Empty for an unknown job.
   */
  public List<JobLogLine> logs(String id, LogQuery query) {
    checkOpen();
    return queries.logs(id, Objects.requireNonNull(query, "query"));
  }

  /**
   * A job's stored audit trail, oldest first: its dispatch and every status change, whichever
   * process made it. Empty for an unknown job.
   */
  public List<JobEventInfo> events(String id) {
    checkOpen();
    return queries.events(id);
  }

  // ---------------------------------------------------------------- statistics

  /**
   * Counts by state and by name, run times and success rate of the jobs in the database. Counts
   * cover every stored job; run times cover the {@value JobStats#DURATION_SAMPLE_LIMIT} most
   * recently dispatched completed jobs.
   */
  public JobStats stats() {
    checkOpen();
    return statistics.stats(null);
  }

  /**
   * {@link #stats()} of one tenant's jobs only (#14 tenants), as a surface acting for that tenant
   * shows them.
   */
  public JobStats stats(String tenant) {
    checkOpen();
    return statistics.stats(Tenants.checkName(tenant));
  }

  /**
   * How many jobs finished in each {@code bucket} of the last {@code window}, oldest first, every
   * bucket present (zeros included). Buckets are aligned to multiples of {@code bucket} since the
   * epoch, and the last one is the current, partial one. Failed counts FAILED, TIMED_OUT and
   * QUARANTINED finishes. Read from the finish times of stored jobs, so jobs deleted by {@link
   * #cleanup} no longer count.
   *
   * @throws IllegalArgumentException if the bucket is under 1 ms, longer than the window, or the
   *     window holds more than 10,000 buckets
   */
  public List<ThroughputBucket> throughput(Duration window, Duration bucket) {
    checkOpen();
    return statistics.throughput(window, bucket, clock.millis(), null);
  }

  /** {@link #throughput(Duration, Duration)} of one tenant's jobs only (#14 tenants). */
  public List<ThroughputBucket> throughput(Duration window, Duration bucket, String tenant) {
    checkOpen();
    return statistics.throughput(window, bucket, clock.millis(), Tenants.checkName(tenant));
  }

  /**
   * How many jobs wait to run (QUEUED, SCHEDULED or WAITING_RETRY) in each queue, by queue name;
   * queues with none are absent.
   */
  public Map<String, Long> queueDepths() {
    checkOpen();
    return statistics.queueDepths(null);
  }

  /** {@link #queueDepths()} of one tenant's jobs only (#14 tenants). */
  public Map<String, Long> queueDepths(String tenant) {
    checkOpen();
    return statistics.queueDepths(Tenants.checkName(tenant));
  }

  /**
   * The worker nodes registered in a shared PostgreSQL database, by id, whether alive or not yet
   * removed. Always empty on SQLite, whose processes do not register.
   */
  public List<NodeInfo> nodes() {
    checkOpen();
    return statistics.nodes();
  }

  /**
   * Deletes jobs that finished (completed, failed, cancelled or timed out) more than {@code
   * olderThan} ago, with their events and logs; with {@code dryRun} only counts them. Waiting,
   * running, paused and quarantined jobs are never deleted. Returns the number of jobs.
   */
  public long cleanup(Duration olderThan, boolean dryRun) {
    checkOpen();
    return queries.cleanup(Objects.requireNonNull(olderThan, "olderThan"), dryRun);
  }

  /** Size of the database file and its write-ahead log. */
  public StorageInfo storageInfo() {
    checkOpen();
    return statistics.storageInfo();
  }

  /**
   * Automatic retention and compaction as the workers on this database recorded them: the policy of
   * the last pass, when it ran, what it deleted and gave back, whether a pass is running now, and
   * how freed space goes back to the file system. Readable from any manager, also one without
   * workers.
   */
  public MaintenanceInfo maintenance() {
    checkOpen();
    return statistics.maintenance(clock.millis());
  }

  /**
   * Gives the free space inside a SQLite file back to the file system now, and returns by how many
   * bytes the file shrank. A file created before jobkit schema version 6 is first switched to
   * incremental vacuum with one {@code VACUUM}, which rewrites the whole file and holds its write
   * lock meanwhile (other processes' writes wait up to their busy timeout of 5 s; a big file can
   * make them fail and retry); later calls, and retention passes, free space in short steps. On
   * PostgreSQL it does nothing and returns 0: the server's autovacuum reclaims space.
   */
  public long compact() {
    checkOpen();
    return statistics.compact();
  }

  /**
   * Whether this manager can work: reads the database once and checks its worker threads. Never
   * throws for an unreachable database; reports it.
   */
  public Health health() {
    checkOpen();
    return statistics.health();
  }

  /** The registered job types with their schemas and defaults, by name. */
  public List<JobType> jobTypes() {
    checkOpen();
    return statistics.jobTypes();
  }

  // ---------------------------------------------------------------- feed and keys

  /**
   * The durable change feed of the database: status changes and log lines of every job, whichever
   * process made them, and the progress of running jobs; what an HTTP server streams to its
   * clients. See {@link JobFeed}.
   */
  public JobFeed feed() {
    checkOpen();
    return feed;
  }

  /** The API keys stored in the database, for the HTTP API and dashboard. See {@link ApiKeys}. */
  public ApiKeys apiKeys() {
    checkOpen();
    return apiKeys;
  }

  /**
   * The recurring schedules stored in the database (#12). See {@link Schedules} and {@code
   * docs/scheduling.md}.
   */
  public Schedules schedules() {
    checkOpen();
    return schedules;
  }

  // #12 templates
  /** The job templates stored in the database: named parameter presets. See {@link Templates}. */
  public Templates templates() {
    checkOpen();
    return templates;
  }

  // #12 batches
  /**
   * A builder that dispatches a batch of jobs with callbacks for success, failure and completion,
   * in one transaction. See {@link JobBatch} and {@code docs/batches.md}.
   */
  public JobBatch batch() {
    checkOpen();
    return new JobBatch(this, engine, defaults, clock);
  }

  /** The batches stored in the database, with their counts and progress. See {@link Batches}. */
  public Batches batches() {
    checkOpen();
    return batches;
  }

  /**
   * The tenants' settings: weights and quotas, shared by every process on the database (#14
   * tenants). See {@link Tenants}.
   */
  public Tenants tenants() {
    checkOpen();
    return tenants;
  }

  /** The audit trail: who did what, shared by every process on the database (#14 tenants). */
  public AuditLog audit() {
    checkOpen();
    return audit;
  }

  // ---------------------------------------------------------------- backup and moving jobs

  /**
   * Backup, export, import and migration of this database: see {@link JobTransfer}. {@link
   * JobTransfer#backup} writes a consistent copy of a SQLite file while workers run.
   */
  public JobTransfer transfer() {
    checkOpen();
    return transfer;
  }

  // ---------------------------------------------------------------- events and control

  /**
   * Calls {@code listener} with lifecycle events of {@code types} (every type when none are given)
   * that this manager observes: its dispatches and control calls, and the jobs its workers run.
   * Events of jobs run by other processes are not seen here; {@link #events(String)} has the
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
    return cancel(id, null);
  }

  /**
   * {@link #cancel(String)}, recording {@code actor} (such as {@code key:ci} or {@code cli}; null
   * for none) as who asked, on the event row of the change and, with an actor, in the audit trail
   * ({@link #audit()}).
   */
  public boolean cancel(String id, String actor) {
    checkOpen();
    return audited(AuditLog.JOB_CANCEL, id, actor, control.cancel(id, actor)); // #14 audit
  }

  /**
   * Pauses a job: a waiting one at once, a running one at its next {@code checkInterrupt()}, after
   * which resumable jobs are checkpointed. Returns false if no job has that id.
   *
   * @throws JobStateException if the job has finished or is quarantined
   */
  public boolean pause(String id) {
    return pause(id, null);
  }

  /**
   * {@link #pause(String)}, recording {@code actor} (such as {@code key:ci} or {@code cli}; null
   * for none) as who asked, on the event row of the change and, with an actor, in the audit trail
   * ({@link #audit()}).
   */
  public boolean pause(String id, String actor) {
    checkOpen();
    return audited(AuditLog.JOB_PAUSE, id, actor, control.pause(id, actor)); // #14 audit
  }

  /**
   * Queues a paused job again; it continues from its last checkpoint. A pause requested of a
   * running job and not yet acted on is withdrawn. False if not found.
   *
   * @throws JobStateException if the job has finished or is quarantined (use {@link #retry})
   */
  public boolean resume(String id) {
    return resume(id, null);
  }

  /**
   * {@link #resume(String)}, recording {@code actor} (such as {@code key:ci} or {@code cli}; null
   * for none) as who asked, on the event row of the change and, with an actor, in the audit trail
   * ({@link #audit()}).
   */
  public boolean resume(String id, String actor) {
    checkOpen();
    return audited(AuditLog.JOB_RESUME, id, actor, control.resume(id, actor)); // #14 audit
  }

  /**
   * Queues a failed, timed-out, cancelled or quarantined job again with its attempts reset (the
   * dead-letter view is {@code list} with those states). A job that is waiting, running or paused
   * is left as it is. False if not found.
   *
   * @throws JobStateException if the job completed
   */
  public boolean retry(String id) {
    return retry(id, null);
  }

  /**
   * {@link #retry(String)}, recording {@code actor} (such as {@code key:ci} or {@code cli}; null
   * for none) as who asked, on the event row of the change and, with an actor, in the audit trail
   * ({@link #audit()}).
   */
  public boolean retry(String id, String actor) {
    checkOpen();
    return audited(AuditLog.JOB_RETRY, id, actor, control.retry(id, actor)); // #14 audit
  }

  /** Records a control action that was done by an actor, with the job's tenant (#14 tenants). */
  private boolean audited(String action, String id, String actor, boolean done) {
    if (done && actor != null) {
      String tenant = engine.jobStore().get(id).map(r -> r.tenant()).orElse(null);
      audit.after(actor, tenant, action, id, null);
    }
    return done;
  }

  // #13 services

  /**
   * Starts the workers of a manager opened with {@link Builder#startLater()}: checks the services
   * of every registered job type, recovers interrupted jobs and starts the claim loops, heartbeat,
   * schedules and retention. Does nothing if they run already.
   *
   * @throws dev.jobkit.MissingServiceException if a job type needs a service the resolver lacks
   * @throws IllegalStateException if the manager is closed
   */
  public synchronized void start() {
    checkOpen();
    if (pendingStart != null) {
      pendingStart.run();
      pendingStart = null;
    }
  }

  // end #13

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

    private final StorageConfig storage = new StorageConfig();
    private JobRegistry registry;
    private final Map<String, Integer> workers = new LinkedHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private boolean noWorkers;
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
    private RetentionPolicy retention = RetentionPolicy.defaults();
    private final Map<String, ScheduleSpec> declaredSchedules = new LinkedHashMap<>(); // #12
    private final Map<String, TenantSpec> declaredTenants = new LinkedHashMap<>(); // #14
    private ServiceResolver services = ServiceResolver.none(); // #13 services
    private boolean startLater; // #13
    private final List<LimitSpec> limits = new ArrayList<>(); // #12 limits

    private record Subscription(JobEventListener listener, JobEventType[] types) {}

    private Builder() {}

    /**
     * How hard each SQLite commit is pushed to disk. Default {@link Durability#NORMAL}: a dispatch
     * that returned survives a crash or kill of the process, but the last moments of commits can be
     * lost on power loss or an OS crash; {@link Durability#FULL} fsyncs every commit. PostgreSQL
     * commits with the server's own settings ({@code synchronous_commit}) and ignores this.
     */
    public Builder durability(Durability d) {
      storage.durability(d);
      return this;
    }

    /**
     * The SQLite database file; its directory must exist. Default {@code jobs.db}. Replaces an
     * earlier {@code postgres(...)} call.
     */
    public Builder database(Path database) {
      storage.database(database);
      return this;
    }

    /**
     * Uses the PostgreSQL database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}, user
     * and password as URL parameters if needed) with a pool of its own (see {@link
     * #postgresPoolSize}). Many managers on many hosts may share it; each one with workers is a
     * node that heartbeats, and the jobs of a node that stops heartbeating are resumed by the
     * others after its lease. The schema is created or migrated on open.
     */
    public Builder postgres(String jdbcUrl) {
      return postgres(jdbcUrl, null, null);
    }

    /** {@link #postgres(String)} with a login; {@code user} and {@code password} may be null. */
    public Builder postgres(String jdbcUrl, String user, String password) {
      storage.postgres(jdbcUrl, user, password);
      return this;
    }

    /**
     * Uses PostgreSQL through the caller's {@code DataSource}, which should pool connections (one
     * is taken per statement, plus one held for notifications). The caller closes it after the
     * manager.
     */
    public Builder postgres(DataSource dataSource) {
      storage.postgres(dataSource);
      return this;
    }

    /**
     * {@link #postgres(DataSource)} where a dispatch made while the calling thread has a
     * transaction open on {@code dataSource} joins it (#13): the job is written with that
     * transaction's connection and commits or rolls back with the application's own work; workers
     * are woken, here and on other nodes, only after the commit. See {@link
     * ApplicationTransactions}; the Spring Boot starter passes one over Spring's transactions.
     */
    public Builder postgres(DataSource dataSource, ApplicationTransactions transactions) {
      storage.postgres(dataSource, transactions);
      return this;
    }

    /**
     * The PostgreSQL schema of jobkit's tables, created if missing; a lower-case identifier.
     * Default {@code public}. Managers that share jobs must use the same schema.
     */
    public Builder postgresSchema(String schema) {
      storage.postgresSchema(schema);
      return this;
    }

    /**
     * Connections the manager opens to PostgreSQL from a JDBC URL (not used with a {@code
     * DataSource}). Default 8; workers share them, so a few suffice for many workers.
     */
    public Builder postgresPoolSize(int n) {
      storage.postgresPoolSize(n);
      return this;
    }

    /**
     * The parent of each job's private data directory ({@link dev.jobkit.JobContext#dataDir()}).
     * Default: {@code jobkit-data} next to the SQLite file, or in the working directory on
     * PostgreSQL. On PostgreSQL a job resumed on another host does not find what an earlier attempt
     * wrote there unless the directory is shared.
     */
    public Builder dataDirectory(Path dir) {
      storage.dataDirectory(dir);
      return this;
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
      Objects.requireNonNull(queue, "queue");
      if (queue.isBlank()) {
        throw new IllegalArgumentException("workers: the queue name must not be blank");
      }
      if (count < 1) {
        throw new IllegalArgumentException(
            "workers of queue '" + queue + "' must be at least 1, got " + count);
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
     * the PostgreSQL schema. Default true. Tools that only look at existing jobs pass false, so
     * that a mistyped location fails with {@link JobStorageException.Kind#MISSING} instead of
     * leaving an empty database behind.
     */
    public Builder createIfMissing(boolean create) {
      storage.createIfMissing(create);
      return this;
    }

    /** How often idle workers look for jobs dispatched by other processes. Default 500 ms. */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "pollInterval");
      return this;
    }

    /**
     * How long a claim stays valid without renewal; a job of a dead process on another host (or one
     * that cannot be proven dead) is recovered after this. Renewed every third of it (or every poll
     * interval if shorter). Default 30 s on SQLite, 10 s on PostgreSQL, where it is also how long a
     * node may miss heartbeats before the others requeue its jobs.
     */
    public Builder leaseDuration(Duration d) {
      this.leaseDuration = positive(d, "leaseDuration");
      return this;
    }

    /**
     * How often {@link dev.jobkit.JobContext#checkInterrupt()} saves a resumable job's state on its
     * own (default 30 s); {@link Duration#ZERO} turns automatic checkpoints off. A job whose fields
     * are not consistent at every {@code checkInterrupt()} should turn them off and call {@code
     * checkpoint()} itself.
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
      Objects.requireNonNull(d, "shutdownGrace");
      if (d.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative, got " + d);
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
     * How long finished jobs are kept before this manager's workers delete them; default {@link
     * RetentionPolicy#defaults()} (completed 7 days; failed, cancelled, timed out 30 days). {@link
     * RetentionPolicy#none()} turns automatic deletion off. Only a manager with workers applies it,
     * one process at a time per database; see {@link RetentionPolicy}.
     */
    public Builder retention(RetentionPolicy policy) {
      this.retention = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Calls {@code listener} with lifecycle events of {@code types} (every type when none are
     * given) from the moment the manager opens, so that no event of a job recovered at start is
     * missed; see {@link JobManager#subscribe}.
     */
    public Builder subscribe(JobEventListener listener, JobEventType... types) {
      subscriptions.add(
          new Subscription(Objects.requireNonNull(listener, "listener"), types.clone()));
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
      if (!noWorkers && !startLater) {
        ServiceCheck.check(reg, services); // #13 services: before anything is opened
      }
      JobStore store = storage.openStore(clock, leaseDuration);
      JobManager m;
      try {
        Clock c =
            clock != null
                ? clock
                : store instanceof SharedJobStore shared
                    ? DatabaseClock.of(shared)
                    : Clock.systemUTC();
        m = new JobManager(this, store, reg, c, storage.dataRoot());
        for (Subscription s : subscriptions) {
          m.subscribe(s.listener(), s.types());
        }
        for (TenantSpec spec : declaredTenants.values()) { // #14, before schedules fire into them
          m.tenants.put(spec, null);
        }
        for (ScheduleSpec spec : declaredSchedules.values()) {
          m.schedules.put(spec, "code", true);
        }
        JobManager opened = m;
        interceptors.each("opened", i -> i.opened(opened)); // #13, before the workers start
        if (startLater) { // #13
          ServiceResolver resolver = services;
          boolean check = !noWorkers;
          m.pendingStart =
              () -> {
                if (check) {
                  ServiceCheck.check(reg, resolver);
                }
                opened.engine.start();
              };
        } else {
          m.engine.start();
        }
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return m;
    }

    /**
     * Declares a schedule in code: created, or updated by name, when the manager opens (an update
     * keeps its paused state and history; see {@link Schedules#put}). A later declaration with the
     * same name replaces an earlier one.
     */
    public Builder schedule(ScheduleSpec spec) {
      declaredSchedules.put(spec.name(), Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /**
     * Declares a tenant's settings in code (#14 tenants): stored by name when the manager opens,
     * replacing the stored ones (as {@link Tenants#put}; not audited). A later declaration with the
     * same name replaces an earlier one.
     */
    public Builder tenant(TenantSpec spec) {
      declaredTenants.put(spec.name(), Objects.requireNonNull(spec, "spec"));
      return this;
    }

    // #13 metrics and tracing

    private Interceptors interceptors = Interceptors.NONE;
    private final List<JobInterceptor> interceptorList = new ArrayList<>();

    /**
     * Adds an interceptor that observes each dispatch and wraps each attempt this manager runs,
     * such as {@code JobkitMetrics} (job-micrometer) or {@code JobkitTracing} (job-opentelemetry);
     * see docs/integration.md. Interceptors nest in the order added, the first one outermost.
     */
    public Builder intercept(JobInterceptor interceptor) {
      interceptorList.add(Objects.requireNonNull(interceptor, "interceptor"));
      interceptors = new Interceptors(interceptorList);
      return this;
    }

    // end #13

    // #13 services

    /**
     * Where jobs get their {@link dev.jobkit.Service @Service} fields: each attempt runs a fresh
     * job object whose service fields are set from {@code resolver} just before {@code run}. When a
     * manager with workers opens, every registered job type's services are looked up once, and a
     * missing one fails {@link #open()} with a {@link dev.jobkit.MissingServiceException} that
     * names each job type and service. Default: no services.
     */
    public Builder services(ServiceResolver resolver) {
      this.services = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * {@link #services(ServiceResolver)} from a map of the type a job's field has to the service:
     * {@code services(Map.of(Mailer.class, mailer))}. Services are found by type; a job that asks
     * for one by name ({@code @Service("bulk")}) needs a resolver.
     *
     * @throws IllegalArgumentException if a service is not an instance of its key
     */
    public Builder services(Map<Class<?>, ?> services) {
      return services(ServiceResolver.of(services));
    }

    /**
     * Opens the database in {@link #open()} but starts no threads until {@link JobManager#start()}:
     * for a container that creates the manager while it wires the application, before the services
     * jobs need are ready (the Spring Boot starter starts it with the application context). The
     * services are checked by {@code start()}. Until then jobs can be dispatched and queried, and
     * none runs here.
     */
    public Builder startLater() {
      this.startLater = true;
      return this;
    }

    // end #13 services

    /**
     * Adds a concurrency or rate limit (#12 limits), global across all nodes that share the
     * database. Settings of the same target and key field merge with those of {@code @Job} and of
     * earlier calls, the later winning. Every process that dispatches such jobs should declare the
     * same limits: the definition a process wrote last is the one claims enforce. See {@link
     * LimitSpec}.
     */
    public Builder limit(LimitSpec spec) {
      limits.add(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
