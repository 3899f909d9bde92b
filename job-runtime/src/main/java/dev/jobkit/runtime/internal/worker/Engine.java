package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.JobRegistry;
import dev.jobkit.Progress;
import dev.jobkit.runtime.JobEventListener;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobSubscription;
import dev.jobkit.runtime.QuotaExceededException;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.QuotaRejection;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running core of a {@code JobManager}: one {@link QueueRunner} per configured queue, the
 * {@link HeartbeatTask}, the attempts running in this process and the in-process watchers. Every
 * durable change goes through the {@link JobStore}; in-memory state here is only a cache of what
 * this process is doing, so other processes sharing the database stay correct.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final JobStore store;
  private final JobRegistry registry;
  private final Clock clock;
  private final EngineConfig config;
  private final String owner;
  private final JobWatchers watchers = new JobWatchers();
  private final LifecycleEvents events;

  /** What the collaborators below share; they reach this engine only through {@link Callbacks}. */
  private final EngineServices services;

  private final RunningAttempts running = new RunningAttempts();
  private final Map<String, QueueRunner> runners = new LinkedHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final Completer completer;
  private final Callbacks callbacks = new Callbacks();

  /** Node membership on a shared database, for an engine with workers; else null. */
  private final ClusterMember cluster;

  /** Automatic retention (#16), for an engine with workers and a policy; else null. */
  private final RetentionTask retention;

  private final ScheduledExecutorService maintenance; // null with retention

  /** Fires the stored schedules (#12), for an engine with workers; else null. */
  private final SchedulerTask schedules;

  private final Thread schedulesThread; // null with schedules
  private final java.util.concurrent.CountDownLatch closeSignal =
      new java.util.concurrent.CountDownLatch(1);

  private volatile boolean closed;

  /**
   * An engine on {@code store}, not started; it closes the store when it is closed. The jobs its
   * schedules fire pass through {@code scheduledJobs}, which gives them their limit keys (#12).
   */
  public Engine(
      JobStore store,
      JobRegistry registry,
      Clock clock,
      EngineConfig config,
      String owner,
      Random random,
      java.util.function.UnaryOperator<dev.jobkit.runtime.internal.store.NewJob> scheduledJobs) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.config = config;
    this.owner = owner;
    this.events = new LifecycleEvents(clock);
    Backoff backoff =
        new Backoff(config.backoffInitial().toMillis(), config.backoffMax().toMillis(), random);
    this.services =
        new EngineServices(
            store, registry, clock, config, owner, backoff, watchers, events, new StorageOutage());
    this.completer = new Completer(services, this::wakeAll);
    config.workersPerQueue().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                runners.put(
                    e.getKey(),
                    new QueueRunner(
                        services,
                        e.getKey(),
                        e.getValue(),
                        completer::outstanding,
                        new JobExecutor(services, running, completer, callbacks))));
    this.cluster =
        store instanceof SharedJobStore shared && !runners.isEmpty()
            ? new ClusterMember(services, shared, running, callbacks)
            : null;
    this.retention =
        config.retention() != null && !runners.isEmpty()
            ? new RetentionTask(
                store,
                clock,
                owner,
                config.retention(),
                ms -> closeSignal.await(ms, TimeUnit.MILLISECONDS),
                () -> closed)
            : null;
    this.maintenance =
        retention == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "jobkit-retention");
                  t.setDaemon(true);
                  return t;
                });
    this.schedules =
        runners.isEmpty()
            ? null
            : new SchedulerTask(
                store,
                clock,
                new dev.jobkit.runtime.internal.schedule.SchedulePlanner(
                    new dev.jobkit.runtime.internal.store.JobIds(clock), scheduledJobs),
                (change, result) -> inserted(change.jobs(), result.inserted()),
                () -> closed,
                services.outage());
    this.schedulesThread = schedules == null ? null : new Thread(schedules, "jobkit-schedules");
    if (schedulesThread != null) {
      schedulesThread.setDaemon(true);
    }
    // #12 dependencies: children a parent's end made due wake their queue at once.
    store.onJobsDue(
        (queue, runAt) -> {
          if (runAt > clock.millis()) {
            wakeAt(queue, runAt);
          } else {
            wake(queue);
          }
        });
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jobkit-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /** Requeues jobs of dead processes, then starts the claim loops and the heartbeat. */
  public void start() {
    if (!runners.isEmpty()) {
      long now = clock.millis();
      int recovered = recoverDeadLocalOwners(now) + store.recoverExpiredLeases(now).size();
      if (recovered > 0) {
        log.info("Recovered {} job(s) interrupted by a stopped process", recovered);
      }
    }
    if (cluster != null) {
      cluster.start(clock.millis());
    }
    completer.start();
    runners.values().forEach(QueueRunner::start);
    long hb = config.heartbeatInterval().toMillis();
    HeartbeatTask heartbeat =
        new HeartbeatTask(services, running, cluster, !runners.isEmpty(), callbacks);
    scheduler.scheduleWithFixedDelay(heartbeat, hb, hb, TimeUnit.MILLISECONDS);
    if (retention != null) {
      // The first pass soon after start (recovery done), then one per interval.
      long every = retention.settings().intervalMs();
      maintenance.scheduleWithFixedDelay(
          retention, Math.min(every, 2_000), every, TimeUnit.MILLISECONDS);
    }
    if (schedulesThread != null) {
      schedulesThread.start();
    }
    log.info("Job engine {} started: queues {}", owner, config.workersPerQueue());
  }

  // ---------------------------------------------------------------- dispatch and control

  /** Inserts one job and wakes its queue's claim loop. */
  public InsertResult insert(NewJob job) {
    checkOpen();
    long now = clock.millis();
    InsertResult r;
    try {
      r = store.insert(job, now);
    } catch (QuotaRejection e) {
      throw rejected(e);
    }
    // #13: after the application's transaction, when the dispatch joined one
    store.afterDispatch(
        () -> {
          wakeFor(job, now);
          if (r.created()) {
            events.publish(r.id(), job.name(), JobEventType.DISPATCHED, null, job.tenant());
          }
        });
    return r;
  }

  /** Inserts jobs in one transaction and wakes their queues. */
  public List<InsertResult> insertAll(List<NewJob> jobs) {
    checkOpen();
    List<InsertResult> r;
    try {
      r = store.insertAll(jobs, clock.millis());
    } catch (QuotaRejection e) {
      throw rejected(e);
    }
    store.afterDispatch(() -> inserted(jobs, r)); // #13
    return r;
  }

  /**
   * Inserts jobs with dependency edges in one transaction (#12 dependencies) and wakes their
   * queues.
   */
  public List<InsertResult> insertGraph(
      List<NewJob> jobs, List<dev.jobkit.runtime.internal.store.DependencyEdge> edges) {
    checkOpen();
    List<InsertResult> r;
    try {
      r = store.insertGraph(jobs, edges, clock.millis());
    } catch (QuotaRejection e) {
      throw rejected(e);
    }
    store.afterDispatch(() -> inserted(jobs, r)); // #13
    return r;
  }

  /** Inserts a batch with its members and callbacks in one transaction (#12 batches). */
  public List<InsertResult> insertBatch(dev.jobkit.runtime.internal.store.NewBatch batch) {
    checkOpen();
    List<InsertResult> r;
    try {
      r = store.insertBatch(batch, clock.millis());
    } catch (QuotaRejection e) {
      throw rejected(e);
    }
    inserted(batch.members(), r);
    return r;
  }

  /** The public form of a dispatch that a tenant's quota rejected (#14 tenants). */
  public static QuotaExceededException rejected(QuotaRejection e) {
    return new QuotaExceededException(
        e.tenant(),
        QuotaExceededException.Quota.valueOf(e.quota().name()),
        e.limit(),
        e.retryAfterMs() < 0 ? null : java.time.Duration.ofMillis(e.retryAfterMs()));
  }

  /**
   * After {@code jobs} were committed (by a dispatch, or with a schedule's change): wakes their
   * queues and publishes the dispatches.
   */
  public void inserted(List<NewJob> jobs, List<InsertResult> r) {
    long now = clock.millis();
    // A firing that a tenant's quota rejected inserted none of its jobs (#14 tenants).
    for (int i = 0; i < Math.min(jobs.size(), r.size()); i++) {
      NewJob job = jobs.get(i);
      wakeFor(job, now);
      if (r.get(i).created()) {
        events.publish(r.get(i).id(), job.name(), JobEventType.DISPATCHED, null, job.tenant());
      }
    }
  }

  /** Passes a stop request to the attempt running here at once, without waiting for a heartbeat. */
  public void stopLocal(String id, Reason reason) {
    running.requestStop(id, reason);
  }

  /**
   * Publishes the lifecycle event of a control call that changed a job's status at once (not one
   * merely requested of a running job: its worker publishes that when it acts).
   */
  public void controlApplied(String id, JobEventType type) {
    if (events.wants(type)) {
      store.get(id).ifPresent(r -> events.publish(id, r.name(), type, null, r.tenant()));
    }
  }

  /** Adds a lifecycle listener; see {@link LifecycleEvents#subscribe}. */
  public JobSubscription subscribe(JobEventListener listener, Set<JobEventType> types) {
    checkOpen();
    return events.subscribe(listener, types);
  }

  /** Whether {@link #close()} has begun. */
  public boolean isClosed() {
    return closed;
  }

  /** Jobs running in this engine now. */
  public int runningCount() {
    return running.size();
  }

  /**
   * Requeues at once the running jobs of processes on this host that are provably gone (see {@link
   * OwnerId}), rather than waiting for their leases to lapse. Returns how many.
   */
  private int recoverDeadLocalOwners(long now) {
    int n = 0;
    for (String o : store.runningOwners()) {
      if (!o.equals(owner) && OwnerId.isProvablyDead(o)) {
        n += store.recoverOwner(o, now).size();
      }
    }
    return n;
  }

  /**
   * Whether this engine holds claimed jobs under its lease: running, buffered by a claim loop
   * (claimed ahead, not started) or finished and waiting for the completer's commit.
   */
  private boolean holdsClaims() {
    return !running.isEmpty()
        || completer.outstanding() > 0
        || runners.values().stream().anyMatch(QueueRunner::holdsClaims);
  }

  /** Whether every queue's claim loop and worker pool is running. */
  public boolean workersAlive() {
    return !closed && runners.values().stream().allMatch(QueueRunner::isAlive);
  }

  /** Makes the schedule loop look at the schedules now (one changed in this process). */
  public void wakeSchedules() {
    if (schedules != null) {
      schedules.wake();
    }
  }

  /** Wakes every claim loop, for jobs made due by a resume or retry. */
  public void wakeAll() {
    runners.values().forEach(QueueRunner::wake);
  }

  private void wakeFor(NewJob job, long now) {
    if (job.runAt() > now) {
      wakeAt(job.queue(), job.runAt());
    } else {
      wake(job.queue());
    }
  }

  private void wake(String queue) {
    QueueRunner r = runners.get(queue);
    if (r != null) {
      r.wake();
    }
  }

  private void wakeAt(String queue, long at) {
    QueueRunner r = runners.get(queue);
    if (r != null) {
      r.wakeAt(at);
    }
  }

  // ---------------------------------------------------------------- watching

  /**
   * The result future of a job: completed by the local worker, or by the heartbeat's poll when the
   * job ends in another process; already completed when the job has ended.
   */
  public CompletableFuture<Object> result(String id) {
    checkOpen();
    CompletableFuture<Object> f = watchers.entry(id).future;
    Optional<JobRow> row = store.get(id);
    if (row.isEmpty()) {
      watchers.fail(id, new java.util.NoSuchElementException("no job with id " + id));
    } else {
      deliverIfEnded(row.get());
    }
    return f;
  }

  /** Completes the watchers of a job, if any, when a control call (cancel) ended it at once. */
  public void refreshWatchers(String id) {
    if (watchers.isWatched(id)) {
      store.get(id).ifPresent(this::deliverIfEnded);
    }
  }

  /** Adds an in-process progress listener of a job. */
  public void onProgress(String id, Consumer<Progress> listener) {
    watchers.entry(id).listeners.add(listener);
  }

  /** The latest progress reported in this process, if any and if watched. */
  public Optional<Progress> lastProgress(String id) {
    return watchers.lastProgress(id);
  }

  private void deliverIfEnded(JobRow row) {
    if (row.status() == JobStatus.COMPLETED) {
      Object output;
      try {
        output = row.output() == null ? null : registry.outputFromJson(row.name(), row.output());
      } catch (RuntimeException e) {
        watchers.ended(
            row.id(),
            States.toPublic(row.status()),
            "completed, but its output cannot be read: " + States.oneLine(e));
        return;
      }
      watchers.completed(row.id(), output);
    } else if (States.isEnded(row.status())) {
      watchers.ended(row.id(), States.toPublic(row.status()), row.error());
    }
  }

  // ---------------------------------------------------------------- for the worker classes

  /** The store, for queries that pass through. */
  public JobStore jobStore() {
    return store;
  }

  /** The lease owner id of this engine. */
  public String owner() {
    return owner;
  }

  /**
   * The narrow views of this engine that its collaborators get instead of the engine itself, so
   * that none of them can call more of it than its interface says.
   */
  private final class Callbacks
      implements JobExecutor.Host, HeartbeatTask.Host, ClusterMember.Host {
    @Override
    public boolean isClosing() {
      return closed;
    }

    @Override
    public void wake(String queue) {
      Engine.this.wake(queue);
    }

    @Override
    public void wakeAt(String queue, long at) {
      Engine.this.wakeAt(queue, at);
    }

    @Override
    public void wakeAll() {
      Engine.this.wakeAll();
    }

    @Override
    public boolean holdsClaims() {
      return Engine.this.holdsClaims();
    }

    @Override
    public int recoverDeadLocalOwners(long now) {
      return Engine.this.recoverDeadLocalOwners(now);
    }

    @Override
    public void deliverIfEnded(JobRow row) {
      Engine.this.deliverIfEnded(row);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("JobManager is closed");
    }
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Stops claiming, asks running jobs to stop (they checkpoint and are released without spending an
   * attempt), waits up to the grace period, releases what is still running, and closes the store.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeSignal.countDown();
    if (schedules != null) {
      schedules.wake(); // it sees closed and ends; joined before the store closes
    }
    if (maintenance != null) {
      maintenance.shutdown(); // a pass in progress ends at its next batch (closing)
    }
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    try {
      for (QueueRunner r : runners.values()) {
        r.stopClaiming();
      }
      for (RunningAttempt a : running.snapshot()) {
        a.requestStop(Reason.SHUTDOWN);
      }
      boolean allStopped = true;
      for (QueueRunner r : runners.values()) {
        allStopped &= r.awaitWorkers(deadline);
      }
      if (!allStopped) {
        releaseStragglers();
      }
      completer.stop(Math.max(deadline, System.nanoTime() + 5_000_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      releaseStragglers();
    } finally {
      scheduler.shutdownNow();
      awaitHeartbeatEnd();
      awaitRetentionEnd(); // so that no late heartbeat registers the node after it deregisters
      awaitSchedulesEnd();
      watchers.failAll(
          new IllegalStateException(
              "the JobManager was closed before the job ended; reopen it to finish the job"));
      events.close(1000); // delivered before the store closes, so listeners may still query
      if (cluster != null) {
        cluster.close();
      }
      store.close();
      log.info("Job engine {} stopped", owner);
    }
  }

  private void awaitHeartbeatEnd() {
    try {
      if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
        log.warn("The heartbeat of {} did not stop within 2 s", owner);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a retention batch in progress, so that it does not write to a closed store. */
  private void awaitRetentionEnd() {
    if (maintenance == null) {
      return;
    }
    try {
      if (!maintenance.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("The retention pass of {} did not stop within 5 s", owner);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a fire in progress, so that it does not write to a closed store. */
  private void awaitSchedulesEnd() {
    if (schedulesThread == null) {
      return;
    }
    try {
      schedulesThread.join(5_000);
      if (schedulesThread.isAlive()) {
        log.warn("The schedule loop of {} did not stop within 5 s", owner);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Jobs that ignored the shutdown request past the grace period: give them back and interrupt. */
  private void releaseStragglers() {
    List<RunningAttempt> left = running.snapshot();
    for (RunningAttempt a : left) {
      ClaimedJobs.release(services, a);
      a.requestStop(Reason.LEASE_LOST); // anything it writes from now on is refused anyway
      a.interruptThread();
    }
    runners.values().forEach(QueueRunner::forceStop);
    if (!left.isEmpty()) {
      log.warn(
          "{} job(s) did not stop within the grace period of {}; released for the next start",
          left.size(),
          config.shutdownGrace());
    }
  }
}
