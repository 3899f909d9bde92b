package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.JobRegistry;
import dev.jobkit.Priority;
import dev.jobkit.runtime.internal.store.ControlResult;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.sqlite.SqliteJobStore;
import dev.jobkit.runtime.internal.store.sqlite.SqliteOptions;
import dev.jobkit.runtime.internal.worker.Engine;
import dev.jobkit.runtime.internal.worker.EngineConfig;
import dev.jobkit.runtime.internal.worker.States;
import dev.jobkit.spi.JobRegistration;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  private JobManager(Builder b, JobStore store, JobRegistry registry) {
    this.registry = registry;
    this.clock = b.clock;
    this.ids = new JobIds(b.clock);
    this.defaultMaxAttempts = b.defaultMaxAttempts;
    this.maxParamBytes = b.maxParamBytes;
    Path dir = b.database.toAbsolutePath().getParent();
    Map<String, Integer> workers = b.workers.isEmpty()
        ? Map.of("default", Math.max(2, Runtime.getRuntime().availableProcessors()))
        : b.workers;
    EngineConfig config = new EngineConfig(
        dir.resolve("jobkit-data"), workers, b.pollInterval, b.leaseDuration, b.progressInterval,
        b.shutdownGrace, b.backoffInitial, b.backoffMax);
    SecureRandom random = new SecureRandom();
    byte[] suffix = new byte[4];
    random.nextBytes(suffix);
    String owner = "pid-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(suffix);
    this.engine = new Engine(store, registry, clock, config, owner, random);
  }

  /**
   * Opens (creating if needed) a SQLite database with default settings, recovers interrupted jobs
   * and starts workers for the "default" queue.
   *
   * @throws dev.jobkit.JobException if the database cannot be opened, with the reason in the message
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
    registry.fromMsgpack(name, params);
    return insert(newJob(name, params.clone(), options, clock.millis()));
  }

  /**
   * Dispatches several job objects in one transaction: all are committed or none. The options
   * apply to each job and must not carry an idempotency key.
   */
  public List<JobHandle<?>> dispatchAll(List<? extends JobHandler<?>> jobs, DispatchOptions options) {
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
        o.idempotencyKey().orElse(null), timeoutMs);
  }

  // ---------------------------------------------------------------- queries and control

  /** The job with this id, if stored. */
  public Optional<JobInfo> job(String id) {
    return engine.jobStore().get(id).map(States::toInfo);
  }

  /** A handle on a stored job, if it exists. */
  public Optional<JobHandle<?>> handle(String id) {
    return engine.jobStore().get(id).map(r -> new JobHandle<>(this, r.id()));
  }

  /**
   * Cancels a job: a waiting one at once, a running one at its next {@code checkInterrupt()} (in
   * this process at once, in another within its heartbeat). Returns false if no job has that id.
   *
   * @throws dev.jobkit.JobException if the job has already finished
   */
  public boolean cancel(String id) {
    ControlResult r = engine.jobStore().requestCancel(id, clock.millis());
    return afterControl(id, r, Reason.CANCELLED);
  }

  /**
   * Pauses a job: a waiting one at once, a running one at its next {@code checkInterrupt()}, after
   * which resumable jobs are checkpointed. Returns false if no job has that id.
   */
  public boolean pause(String id) {
    ControlResult r = engine.jobStore().requestPause(id, clock.millis());
    return afterControl(id, r, Reason.PAUSED);
  }

  /** Queues a paused job again; it continues from its last checkpoint. False if not found. */
  public boolean resume(String id) {
    ControlResult r = engine.jobStore().resume(id, clock.millis());
    engine.wakeAll();
    return r.outcome() != ControlResult.Outcome.NOT_FOUND;
  }

  /**
   * Queues a failed, timed-out, cancelled or quarantined job again with its attempts reset.
   * False if not found.
   */
  public boolean retry(String id) {
    ControlResult r = engine.jobStore().retry(id, clock.millis());
    engine.wakeAll();
    return r.outcome() != ControlResult.Outcome.NOT_FOUND;
  }

  private boolean afterControl(String id, ControlResult r, Reason reason) {
    switch (r.outcome()) {
      case NOT_FOUND -> {
        return false;
      }
      case REQUESTED -> engine.stopLocal(id, reason);
      default -> engine.refreshWatchers(id);
    }
    return true;
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

  /** Configures and opens a {@link JobManager}; not thread-safe. */
  public static final class Builder {
    private Path database = Path.of("jobs.db");
    private JobRegistry registry;
    private final Map<String, Integer> workers = new LinkedHashMap<>();
    private Duration pollInterval = Duration.ofMillis(500);
    private Duration leaseDuration = Duration.ofSeconds(30);
    private Duration progressInterval = Duration.ofMillis(250);
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private Duration backoffInitial = Duration.ofSeconds(1);
    private Duration backoffMax = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();
    private int defaultMaxAttempts = 3;
    private int maxParamBytes = 1 << 20;

    private Builder() {}

    /** The SQLite database file; its directory must exist. Default {@code jobs.db}. */
    public Builder database(Path database) {
      this.database = Objects.requireNonNull(database, "database");
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
      if (count < 1) {
        throw new IllegalArgumentException("workers of queue '" + queue + "' must be at least 1");
      }
      workers.put(queue, count);
      return this;
    }

    /** How often idle workers look for jobs dispatched by other processes. Default 500 ms. */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "pollInterval");
      return this;
    }

    /**
     * How long a claim stays valid without renewal; a job of a dead process is recovered after
     * this. Renewed every third of it (or every poll interval if shorter). Default 30 s.
     */
    public Builder leaseDuration(Duration d) {
      this.leaseDuration = positive(d, "leaseDuration");
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

    /** Attempts of jobs that set none themselves. Default 3. */
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

    /** The clock for run-at times, leases, timeouts and backoff. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the database, recovers interrupted jobs and starts the workers.
     *
     * @throws dev.jobkit.JobException if the database cannot be opened, with the reason in the message
     */
    public JobManager open() {
      JobRegistry reg = registry != null ? registry : JobRegistry.load();
      JobStore store = SqliteJobStore.open(database, SqliteOptions.defaults(), clock);
      JobManager m;
      try {
        m = new JobManager(this, store, reg);
        m.engine.start();
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return m;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
