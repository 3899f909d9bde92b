package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.runtime.internal.store.DependencyEdge;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.NewBatch;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.worker.Engine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch of jobs dispatched in one transaction, with callback jobs that each run at most once when
 * the batch ends (#12 batches). Get one from {@link JobManager#batch()}:
 *
 * <pre>{@code
 * BatchHandle b = jobs.batch()
 *     .name("import 2026-12")
 *     .add(new ImportFile("a.csv"))
 *     .add(new ImportFile("b.csv"))
 *     .onSuccess(new Notify("all imported"))
 *     .onFailure(new Notify("some files failed"))
 *     .onComplete(new Cleanup())
 *     .dispatch();
 * BatchInfo info = jobs.batches().get(b.id()).orElseThrow();   // counts, progress, ETA
 * }</pre>
 *
 * <p>The batch is final once every member is final (COMPLETED, FAILED, TIMED_OUT or CANCELLED) at
 * the same moment: SUCCEEDED if all completed, else FAILED. The transaction that ends its last
 * member queues the callbacks that apply (success or failure, and completion) and cancels the
 * other, so each runs once even if a process dies at any moment. A final batch stays final: a
 * member retried afterwards runs again, but no callback fires again. Callbacks read their batch's
 * id from {@link dev.jobkit.JobContext#batchId()}.
 *
 * <p>A batch, its members and its callbacks are in one tenant (#14 tenants; see {@link #tenant}),
 * and its dispatch counts against that tenant's quotas as a whole (the callbacks count as waiting
 * jobs): when one is exceeded, nothing of it is stored. Not thread-safe; dispatch it once.
 */
public final class JobBatch {
  private final JobManager manager;
  private final Engine engine;
  private final DispatchDefaults defaults;
  private final String id;
  private final List<NewJob> members = new ArrayList<>();
  private final List<DependencyEdge> edges = new ArrayList<>();
  private NewJob onSuccess;
  private NewJob onFailure;
  private NewJob onComplete;
  private String name;
  private String description;
  private String createdBy;
  private boolean dispatched;
  private final OneTenant tenant; // #14 tenants

  JobBatch(JobManager manager, Engine engine, DispatchDefaults defaults, Clock clock) {
    this.manager = manager;
    this.engine = engine;
    this.defaults = defaults;
    this.id = new JobIds(clock).next();
    this.tenant = new OneTenant("batch " + id);
  }

  /**
   * The tenant of the batch, its members and its callbacks (#14 tenants). Without it, the batch is
   * in the tenant the first member's or callback's options name, or in {@link Tenants#DEFAULT};
   * members and callbacks whose options name no tenant join the batch's, and one whose options name
   * another is refused.
   *
   * @throws IllegalArgumentException if the name is not valid, or a member or callback added before
   *     names another tenant
   */
  public JobBatch tenant(String tenant) {
    checkOpen();
    this.tenant.take(Optional.of(Tenants.checkName(tenant)), "tenant()");
    return this;
  }

  /** The id the batch will have. */
  public String id() {
    return id;
  }

  /** A name for people (lists, the dashboard); none by default. */
  public JobBatch name(String name) {
    checkOpen();
    this.name = name;
    return this;
  }

  /** A description for people; none by default. */
  public JobBatch description(String description) {
    checkOpen();
    this.description = description;
    return this;
  }

  /** Who dispatches the batch (an actor such as {@code key:ci}), recorded on the batch. */
  public JobBatch createdBy(String actor) {
    checkOpen();
    this.createdBy = actor;
    return this;
  }

  /** Adds a member with its defaults. */
  public JobBatch add(JobHandler<?> job) {
    return add(job, DispatchOptions.defaults());
  }

  /**
   * Adds a member with options. A member may wait for stored jobs ({@link
   * DispatchOptions.Builder#dependsOn}). A member whose idempotency key is stored already is not
   * dispatched and is not a member (its handle has the stored job's id).
   *
   * @throws IllegalArgumentException if the parameters exceed the manager's size limit
   */
  public JobBatch add(JobHandler<?> job, DispatchOptions options) {
    checkOpen();
    Objects.requireNonNull(job, "job");
    tenant.take(options.tenant(), "member " + job.getClass().getSimpleName());
    return member(defaults.of(job, options), options);
  }

  /**
   * Adds a member given by name and JSON parameters, as {@link JobManager#dispatchByName} takes it.
   *
   * @throws dev.jobkit.UnknownJobException if no job has that name
   * @throws dev.jobkit.JobDecodeException if the JSON does not fit the job
   */
  public JobBatch add(String jobName, String json) {
    return add(jobName, json, DispatchOptions.defaults());
  }

  /**
   * Adds a member given by name and JSON parameters, with options; see {@link #add(String,
   * String)}.
   */
  public JobBatch add(String jobName, String json, DispatchOptions options) {
    checkOpen();
    tenant.take(options.tenant(), "member " + jobName);
    return member(defaults.ofJson(jobName, json, options), options);
  }

  /** The job to run once when every member completed. */
  public JobBatch onSuccess(JobHandler<?> job) {
    return onSuccess(job, DispatchOptions.defaults());
  }

  /**
   * The job to run once when every member completed, with options (queue, priority, tags...; not an
   * idempotency key nor parents).
   */
  public JobBatch onSuccess(JobHandler<?> job, DispatchOptions options) {
    onSuccess =
        callback("onSuccess", defaults.of(Objects.requireNonNull(job, "job"), options), options);
    return this;
  }

  /** The success callback given by job name and JSON parameters. */
  public JobBatch onSuccess(String jobName, String json) {
    return onSuccess(jobName, json, DispatchOptions.defaults());
  }

  /** The success callback given by job name, JSON parameters and options. */
  public JobBatch onSuccess(String jobName, String json, DispatchOptions options) {
    onSuccess = callback("onSuccess", defaults.ofJson(jobName, json, options), options);
    return this;
  }

  /** The job to run once when every member is final and one of them did not complete. */
  public JobBatch onFailure(JobHandler<?> job) {
    return onFailure(job, DispatchOptions.defaults());
  }

  /** The failure callback with options; see {@link #onSuccess(JobHandler, DispatchOptions)}. */
  public JobBatch onFailure(JobHandler<?> job, DispatchOptions options) {
    onFailure =
        callback("onFailure", defaults.of(Objects.requireNonNull(job, "job"), options), options);
    return this;
  }

  /** The failure callback given by job name and JSON parameters. */
  public JobBatch onFailure(String jobName, String json) {
    return onFailure(jobName, json, DispatchOptions.defaults());
  }

  /** The failure callback given by job name, JSON parameters and options. */
  public JobBatch onFailure(String jobName, String json, DispatchOptions options) {
    onFailure = callback("onFailure", defaults.ofJson(jobName, json, options), options);
    return this;
  }

  /** The job to run once when every member is final, whatever the outcome. */
  public JobBatch onComplete(JobHandler<?> job) {
    return onComplete(job, DispatchOptions.defaults());
  }

  /** The completion callback with options; see {@link #onSuccess(JobHandler, DispatchOptions)}. */
  public JobBatch onComplete(JobHandler<?> job, DispatchOptions options) {
    onComplete =
        callback("onComplete", defaults.of(Objects.requireNonNull(job, "job"), options), options);
    return this;
  }

  /** The completion callback given by job name and JSON parameters. */
  public JobBatch onComplete(String jobName, String json) {
    return onComplete(jobName, json, DispatchOptions.defaults());
  }

  /** The completion callback given by job name, JSON parameters and options. */
  public JobBatch onComplete(String jobName, String json, DispatchOptions options) {
    onComplete = callback("onComplete", defaults.ofJson(jobName, json, options), options);
    return this;
  }

  /**
   * Stores the batch, its members and its callbacks in one transaction, all or nothing.
   *
   * @throws IllegalStateException if the batch has no member, or was dispatched already
   * @throws IllegalArgumentException naming the job, when a member's stored parent does not exist
   * @throws QuotaExceededException if the dispatch would exceed a quota of its tenant; nothing is
   *     stored then (#14 tenants)
   */
  public BatchHandle dispatch() {
    checkOpen();
    if (members.isEmpty()) {
      throw new IllegalStateException(
          "batch " + id + " has no members; add at least one job before dispatch()");
    }
    dispatched = true;
    NewBatch b =
        new NewBatch(
            id,
            name,
            description,
            createdBy,
            members.stream().map(tenant::apply).toList(),
            edges,
            tenant.apply(onSuccess),
            tenant.apply(onFailure),
            tenant.apply(onComplete));
    List<JobHandle<?>> handles = new ArrayList<>(members.size());
    for (InsertResult r : engine.insertBatch(b)) {
      handles.add(new JobHandle<>(manager, r.id(), r.created()));
    }
    return new BatchHandle(manager, id, handles);
  }

  private JobBatch member(NewJob row, DispatchOptions options) {
    members.add(row);
    edges.addAll(JobGraph.edgesOf(row.id(), options));
    return this;
  }

  private NewJob callback(String which, NewJob row, DispatchOptions options) {
    checkOpen();
    tenant.take(options.tenant(), which);
    if (options.idempotencyKey().isPresent() || !options.dependsOn().isEmpty()) {
      throw new IllegalArgumentException(
          which
              + " of batch "
              + id
              + ": a callback's options cannot carry an idempotency key or parents (it has the key"
              + " batch:<id>:<kind> and waits for the batch); drop them from its DispatchOptions");
    }
    return row;
  }

  private void checkOpen() {
    if (dispatched) {
      throw new IllegalStateException(
          "batch " + id + " was dispatched already; start a new batch()");
    }
  }
}
