package dev.jobkit.runtime.internal.store;

import dev.jobkit.LogLevel;
import dev.jobkit.runtime.internal.state.JobStatus;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of jobs, their events and logs: the only place that speaks SQL, one
 * implementation per dialect.
 *
 * <p>Rules every implementation keeps:
 *
 * <ul>
 *   <li>Every method is atomic: it commits fully or not at all, and once it returns its writes are
 *       committed with the store's durability.
 *   <li>Every status change is checked by {@link dev.jobkit.runtime.internal.state.JobTransitions}
 *       and writes one {@link JobEvent} in the same transaction.
 *   <li>A write for a claimed job names the claim's {@code epoch} and only applies while the job is
 *       still RUNNING under that epoch. It returns {@code false} when it did not ("lease lost":
 *       another worker took the job over, or it was recovered); the worker must then stop without
 *       touching the job again.
 *   <li>Times are epoch millis supplied by the caller from its injected clock; stores never read a
 *       clock of their own, except that a later dialect may document using the database's clock for
 *       leases.
 *   <li>Failures surface as {@link StorageException} (or {@link
 *       dev.jobkit.runtime.internal.state.IllegalJobTransitionException}), never as SQL exceptions.
 * </ul>
 *
 * <p>Thread-safe.
 */
public interface JobStore extends AutoCloseable {

  // ---- dispatch ----

  /** Inserts one job, or returns the existing job with the same idempotency key. */
  InsertResult insert(NewJob job, long now);

  /**
   * Inserts jobs in one transaction: all or none. Results are in the order of {@code jobs}; a job
   * whose idempotency key exists (in the store, or earlier in the same list) yields the existing
   * id.
   */
  List<InsertResult> insertAll(List<NewJob> jobs, long now);

  /**
   * Runs {@code action} once the dispatch this thread just made is committed: at once, unless the
   * dispatch joined the application's transaction ({@link JoinedTransactions}); then after that
   * commits, and never if it rolls back (#13).
   */
  default void afterDispatch(Runnable action) {
    action.run();
  }

  // ---- claiming and the worker's fenced writes ----

  /**
   * Claims up to {@code request.limit()} due jobs (QUEUED, SCHEDULED or WAITING_RETRY with {@code
   * runAt <= now}) from the given queues, highest priority first, then by run-at, then by id
   * (FIFO). Each claimed job becomes RUNNING with the given owner and lease expiry, its epoch and
   * attempt count incremented. A job is never handed to two claimers, even across processes.
   */
  List<ClaimedJob> claim(ClaimRequest request);

  /**
   * Extends the lease of every job RUNNING under {@code owner} to {@code leaseExpiresAt} in one
   * statement, and reports the leases still held with their cancel/pause flags. A job missing from
   * the result was lost.
   */
  List<LeaseState> renewLeases(String owner, long leaseExpiresAt, long now);

  /** Saves a checkpoint (MessagePack state); increments the state version. */
  boolean checkpoint(String id, long epoch, byte[] state, long now);

  /** Saves the latest progress as JSON. */
  boolean updateProgress(String id, long epoch, String progressJson, long now);

  /**
   * Appends log lines of one claimed job ({@link LogLine#id()} is ignored). Returns false, storing
   * nothing, when the lease is lost.
   */
  boolean appendLogs(String id, long epoch, List<LogLine> lines);

  /** RUNNING to COMPLETED with an output. */
  boolean complete(String id, long epoch, String outputJson, long now);

  /**
   * Completes several claimed jobs in one transaction. Returns the ids that were completed; ids
   * whose lease was lost are left out and unchanged.
   */
  List<String> completeAll(List<Completion> completions, long now);

  /**
   * RUNNING to a final or parking status without a retry: {@code to} is FAILED, CANCELLED,
   * TIMED_OUT or QUARANTINED. The state is kept (quarantine keeps raw bytes for a later retry).
   */
  boolean finish(String id, long epoch, JobStatus to, String error, long now);

  /** RUNNING to WAITING_RETRY, due again at {@code retryAt}. */
  boolean scheduleRetry(String id, long epoch, String error, long retryAt, long now);

  /**
   * Gives a claimed job back: RUNNING to QUEUED (graceful shutdown; the attempt is not counted and
   * the next run is marked resumed) or PAUSED (a requested pause). Clears the lease.
   */
  boolean release(String id, long epoch, JobStatus to, long now);

  // ---- control from any process ----

  /**
   * Cancels a job: a waiting one at once; a RUNNING one by setting a flag its worker acts on.
   *
   * @throws dev.jobkit.runtime.internal.state.IllegalJobTransitionException if it has finished
   */
  ControlResult requestCancel(String id, long now, String actor);

  /** {@link #requestCancel(String, long, String)} by the runtime (no actor). */
  default ControlResult requestCancel(String id, long now) {
    return requestCancel(id, now, null);
  }

  /** Pauses a job: a waiting one at once; a RUNNING one by setting a flag. */
  ControlResult requestPause(String id, long now, String actor);

  /** {@link #requestPause(String, long, String)} by the runtime (no actor). */
  default ControlResult requestPause(String id, long now) {
    return requestPause(id, now, null);
  }

  /** PAUSED to QUEUED (or SCHEDULED when its run-at is ahead). */
  ControlResult resume(String id, long now, String actor);

  /** {@link #resume(String, long, String)} by the runtime (no actor). */
  default ControlResult resume(String id, long now) {
    return resume(id, now, null);
  }

  /**
   * Queues a FAILED, TIMED_OUT, CANCELLED or QUARANTINED job again, due now, with its attempt count
   * reset.
   */
  ControlResult retry(String id, long now, String actor);

  /** {@link #retry(String, long, String)} by the runtime (no actor). */
  default ControlResult retry(String id, long now) {
    return retry(id, now, null);
  }

  // ---- recovery ----

  /**
   * Queues again every RUNNING job whose lease expired before {@code now}, marking it resumed so
   * that it continues from its last checkpoint. Returns their ids.
   */
  List<String> recoverExpiredLeases(long now);

  /** Queues again every RUNNING job owned by {@code owner} (known dead). Returns their ids. */
  List<String> recoverOwner(String owner, long now);

  /** The distinct lease owners of RUNNING jobs, so a starting worker can tell which are dead. */
  List<String> runningOwners();

  // ---- queries ----

  /** The job with this id. */
  Optional<JobRow> get(String id);

  /**
   * The one job whose id starts with {@code prefix} (case-insensitive).
   *
   * @throws AmbiguousJobIdException if several match
   */
  Optional<JobRow> findByIdPrefix(String prefix);

  /**
   * Jobs matching {@code filter}, newest first, at most {@code limit}, after {@code cursor} (null
   * for the first page).
   */
  Page<JobRow> list(JobFilter filter, String cursor, int limit);

  /**
   * A job's events, oldest first, starting with its CREATED event. The CREATED event is not stored
   * (a dispatch writes only the job's row): it is derived from the row, with id 0.
   */
  List<JobEvent> events(String jobId);

  /** A job's log lines at {@code minLevel} or above with id greater than {@code afterId}. */
  List<LogLine> logs(String jobId, LogLevel minLevel, long afterId, int limit);

  /** Job counts by name and status; combinations with no jobs are absent. */
  default List<StatusCount> countByNameAndStatus() {
    return countByNameAndStatus(null);
  }

  /**
   * {@link #countByNameAndStatus()} of one tenant's jobs, or of all when {@code tenant} is null.
   */
  List<StatusCount> countByNameAndStatus(String tenant);

  /**
   * Deletes (or with {@code dryRun} only counts) terminal jobs finished before {@code
   * finishedBefore}, with their events and logs. Returns the number of jobs.
   */
  long cleanup(long finishedBefore, boolean dryRun);

  // ---- the change feed ----

  /** The highest stored event id, 0 when there is none. */
  long lastEventId();

  /** The highest stored log line id, 0 when there is none. */
  long lastLogId();

  /**
   * Stored events (never the derived CREATED ones) with id above {@code afterId}, plus those whose
   * id is in {@code alsoIds} (at most a few hundred), by id, at most {@code limit}.
   */
  List<FeedEvent> eventsAfter(long afterId, java.util.Collection<Long> alsoIds, int limit);

  /** Log lines as {@link #eventsAfter} reads events. */
  List<FeedLog> logsAfter(long afterId, java.util.Collection<Long> alsoIds, int limit);

  /**
   * The jobs whose id is above {@code afterId} and at most {@code upToId}, by id, at most {@code
   * limit}, each as its derived CREATED event (as {@link #events} derives it: id 0, at its
   * creation, into its first status, by its creator) with the job's name. A range scan of the
   * primary key.
   */
  List<FeedEvent> jobsCreated(String afterId, String upToId, int limit);

  /** RUNNING jobs with a stored progress whose row changed at or after {@code updatedSince}. */
  List<ProgressRow> runningProgress(long updatedSince);

  // ---- overview ----

  /**
   * Jobs that finished in {@code [from, to)} into COMPLETED, FAILED, TIMED_OUT or QUARANTINED, by
   * status and by bucket of {@code bucketMs} from {@code from}; empty buckets are absent.
   */
  default List<FinishedCount> finishedCounts(long from, long to, long bucketMs) {
    return finishedCounts(from, to, bucketMs, null);
  }

  /** {@link #finishedCounts(long, long, long)} of one tenant's jobs, or of all when null. */
  List<FinishedCount> finishedCounts(long from, long to, long bucketMs, String tenant);

  /** Jobs waiting to run (QUEUED, SCHEDULED, WAITING_RETRY) per queue; empty queues are absent. */
  default java.util.Map<String, Long> queueDepths() {
    return queueDepths(null);
  }

  /** {@link #queueDepths()} of one tenant's jobs, or of all when {@code tenant} is null. */
  java.util.Map<String, Long> queueDepths(String tenant);

  // ---- API keys ----

  /** Inserts a key; false, inserting nothing, when a key that is not revoked has its name. */
  boolean insertApiKey(ApiKeyRow key);

  /** Every key, revoked ones included, newest first. */
  List<ApiKeyRow> apiKeys();

  /** The key with this id. */
  Optional<ApiKeyRow> apiKey(String id);

  /**
   * Revokes the key that is not revoked yet with this name, or else the one with this id. False
   * when there is none.
   */
  boolean revokeApiKey(String nameOrId, long now);

  /** Sets a key's last use to {@code now} unless it is already at or after {@code notBefore}. */
  void touchApiKey(String id, long now, long notBefore);

  /** Whether a key that is not revoked exists. */
  boolean anyActiveApiKey();

  // ---- #12 schedules; implemented in sql.SqlSchedules ----

  /**
   * Changes one schedule in one transaction: reads it under a row lock (null when there is none),
   * asks {@code decision} what to write, and writes it: the row, the jobs (fired slots, under their
   * idempotency keys) and the history rows. A job whose key is stored already is not inserted; the
   * history and {@code lastJobId} then name the stored job. Two processes changing one schedule at
   * once are serialized, the second deciding on what the first wrote.
   */
  ScheduleChange.Result changeSchedule(String name, long now, ScheduleChange.Decision decision);

  /** Every schedule, by name. */
  List<ScheduleRow> schedules();

  /** The schedule with this name. */
  Optional<ScheduleRow> schedule(String name);

  /**
   * Schedules that are not paused and either have a slot due at {@code now} or a pending slot, at
   * most {@code limit}, earliest first.
   */
  List<ScheduleRow> dueSchedules(long now, int limit);

  /** The earliest next slot of the schedules that are not paused, or {@link Long#MAX_VALUE}. */
  long nextScheduleFire();

  /** A schedule's history, newest first, at most {@code limit} rows. */
  List<ScheduleFireRow> scheduleFires(String name, int limit);

  // ---- #12 dependencies; implemented in sql.SqlDependencies ----

  /**
   * Inserts jobs with dependency edges between them and on stored jobs, in one transaction: all or
   * none. A child whose parents have all completed is inserted QUEUED (or SCHEDULED); one with a
   * parent not yet ended is WAITING; one with a parent that already failed gets its edge's policy
   * at once (ended CANCELLED or FAILED, or counted as satisfied). Each edge's parent must be stored
   * or come earlier in {@code jobs} than its child, so no cycle can be made. A job whose
   * idempotency key is stored is not inserted and gets no edges. Results are in the order of {@code
   * jobs}.
   *
   * @throws IllegalArgumentException naming the job, when a parent does not exist or comes after
   *     its child
   */
  List<InsertResult> insertGraph(List<NewJob> jobs, List<DependencyEdge> edges, long now);

  /** The parents of a job, in the order they were given, with their edges; empty for none. */
  List<ParentRow> parents(String childId);

  /**
   * Sets the listener told, inside the transaction that made them due, of jobs that waited for
   * parents and are now QUEUED or SCHEDULED: their queue and run-at time. Other nodes of a shared
   * database are told on commit, as for a dispatch. The listener must not block.
   */
  void onJobsDue(java.util.function.ObjLongConsumer<String> listener);

  // ---- end #12 dependencies ----

  // ---- #12 batches; implemented in sql.SqlBatches ----

  /**
   * Inserts a batch in one transaction: its row, its members (with their dependency edges, as
   * {@link #insertGraph} does) and its callback jobs, stored WAITING under the idempotency keys
   * {@code batch:<id>:success|failure|complete}. A member whose idempotency key is stored already
   * is not inserted and is not a member. If every member is final at once (a stored parent that
   * failed cancelled them all, say), the batch is made final in the same transaction. Results are
   * the members', in order.
   *
   * @throws IllegalArgumentException as {@link #insertGraph} does
   */
  List<InsertResult> insertBatch(NewBatch batch, long now);

  /** A batch with its counts, or empty if none has that id. */
  Optional<BatchRow> batch(String id);

  /** Up to {@code limit} batches, of {@code tenant} when not null, newest first. */
  List<BatchRow> batches(String tenant, int limit);

  /** The batch that job {@code jobId} is a member or a callback of, or empty. */
  Optional<String> batchOf(String jobId);

  /** Up to {@code limit} members of a batch, in id (dispatch) order. */
  List<JobRow> batchMembers(String batchId, int limit);

  // ---- end #12 batches ----

  // ---- backup, export, import and migration (issue #16); implemented in sql.SqlTransfer ----

  /**
   * Jobs with an id above {@code afterId} (null for the first page) that match {@code filter}'s
   * statuses, names, tag, queue and creation times (its text is ignored), by id, at most {@code
   * limit}, each with its stored events and log lines.
   */
  List<StoredJob> exportJobs(JobFilter filter, String afterId, int limit);

  /** What {@link #importJobs} did with one job. */
  enum ImportOutcome {
    /** The id was new. */
    INSERTED,
    /** The id existed and the job was replaced (with its events, logs and tags). */
    REPLACED,
    /** The id existed and the job was left as it was. */
    SKIPPED
  }

  /**
   * Writes jobs exactly as given, in one transaction: every column, tags, events and logs. A job
   * whose id exists is replaced when {@code replace}, else skipped. With {@code keepRowIds} events
   * and log lines keep their ids (the target must not hold them); otherwise they get new ones, in
   * the given order. Returns one outcome per job, in order.
   *
   * @throws dev.jobkit.JobException naming the job, if another job holds its idempotency key
   */
  default List<ImportOutcome> importJobs(
      List<StoredJob> jobs, boolean replace, boolean keepRowIds) {
    return importJobs(jobs, List.of(), replace, keepRowIds, 0).jobs();
  }

  /** What {@link #importJobs(List, List, boolean, boolean, long)} did, one outcome per row. */
  record ImportOutcomes(List<ImportOutcome> jobs, List<ImportOutcome> batches) {
    /** Copies. */
    public ImportOutcomes {
      jobs = List.copyOf(jobs);
      batches = List.copyOf(batches);
    }
  }

  /**
   * {@link #importJobs(List, boolean, boolean)} with batch rows (#12 batches), in the same
   * transaction: each batch is written first (a batch whose id exists is replaced when {@code
   * replace}, else skipped), then the jobs, whose members keep their {@code batch_id} (and get the
   * {@code has_children} flag that routes their end to the batch). Then each batch written or named
   * by a job written whose members are all stored here gets its counts from their statuses, and is
   * made final at {@code now} (its callbacks queued or cancelled) when it was RUNNING and all of
   * them are final; a batch that lacks members keeps the counts given.
   */
  ImportOutcomes importJobs(
      List<StoredJob> jobs,
      List<StoredBatch> batches,
      boolean replace,
      boolean keepRowIds,
      long now);

  /**
   * Batches with an id above {@code afterId} (null for the first page), by id, at most {@code
   * limit}: with {@link JobFilter#all()} every batch (of the filter's tenant, when it has one);
   * with other conditions, those that have a member or a callback matching them (#12 batches).
   */
  List<StoredBatch> exportBatches(JobFilter filter, String afterId, int limit);

  /** The batches among {@code ids} that are stored here, by id. */
  List<StoredBatch> batchesById(java.util.Collection<String> ids);

  /** Inserts API keys exactly as given (ids, hashes and times), in one transaction. */
  void importApiKeys(List<ApiKeyRow> keys);

  /** Rows in the jobs, events, logs, tags and API keys tables. */
  TableCounts tableCounts();

  /** Up to {@code limit} ids of RUNNING jobs whose lease has not expired at {@code now}. */
  List<String> liveRunningJobs(long now, int limit);

  /**
   * Writes a consistent copy of the database to {@code file} while others keep reading and writing.
   * An existing file is refused unless {@code overwrite}; it is replaced only once the copy is
   * complete.
   *
   * @throws UnsupportedOperationException on a database that cannot (PostgreSQL)
   */
  void backup(java.nio.file.Path file, boolean overwrite);

  // ---- #12 templates; implemented in sql.SqlTemplates ----

  /**
   * Inserts a template, or updates the job name, parameters, description and update time of the one
   * with its name (keeping its creation time and creator). True when it was inserted.
   */
  boolean saveTemplate(TemplateRow template);

  /** Every template, by name. */
  List<TemplateRow> templates();

  /** The template with this name. */
  Optional<TemplateRow> template(String name);

  /** Deletes the template with this name; false when there is none. */
  boolean deleteTemplate(String name);

  /**
   * Writes templates exactly as given (every column), in one transaction. A template whose name
   * exists is replaced when {@code replace}, else skipped. Returns one outcome per template, in
   * order.
   */
  List<ImportOutcome> importTemplates(List<TemplateRow> templates, boolean replace);

  // ---- end #12 templates ----

  // ---- #16 retention and compaction ----

  /**
   * Deletes, in one short transaction, up to {@code limit} finished jobs that {@code rules} no
   * longer keep at {@code now} (oldest first), with their events, logs and tags. QUARANTINED and
   * unfinished jobs are never deleted. On PostgreSQL rows locked by another transaction are
   * skipped.
   */
  RetentionDeleted deleteExpired(List<RetentionRule> rules, long now, int limit);

  /**
   * Deletes, in one short transaction, up to {@code limit} batches (#12) that became final before
   * {@code finishedBefore} and of which no member or callback job is stored any more, oldest first;
   * returns how many.
   */
  long deleteFinishedBatches(long finishedBefore, int limit);

  /**
   * Deletes, in short transactions of up to {@code limit} rows, the rows of {@code jobkit_limits}
   * (#12 limits) that are no different from the fresh row the next insert with their key writes: no
   * stored job carries the key, its definition was last written an hour or more before {@code now}
   * (an insert rewrites it when its process wrote it over ten minutes ago), and its rate state has
   * fully replenished at {@code now}. A tenant's key {@code tenant:NAME} only once the tenant has
   * no settings and the row no max running. Returns how many.
   */
  long deleteIdleLimits(long now, int limit);

  /**
   * Takes or renews the lease of a maintenance task for {@code owner} until {@code leaseUntil}:
   * true when {@code owner} holds it now (it was free, lapsed before {@code now}, or already {@code
   * owner}'s).
   */
  boolean leaseMaintenance(String task, String owner, long now, long leaseUntil);

  /**
   * Records a finished run of a task ({@code run}'s lease fields are ignored) and releases the
   * lease, if {@code owner} still holds it; adds the run's deletions to the task's total. False,
   * recording nothing, when another owner holds the lease.
   */
  boolean recordMaintenance(String task, String owner, MaintenanceRow run);

  /** The task's row, if the table has it. */
  Optional<MaintenanceRow> maintenance(String task);

  /** How this database gives freed space back. */
  VacuumMode vacuumMode();

  /**
   * Gives up to {@code pages} free pages back to the file system in one short write transaction
   * (SQLite in {@link VacuumMode#INCREMENTAL}); returns how many. 0 on other modes and PostgreSQL.
   */
  long incrementalVacuum(int pages);

  /**
   * Copies the SQLite write-ahead log back into the database file as far as no reader needs it (a
   * passive checkpoint), on a connection of its own and without the write lock, so that the
   * copy-back work does not fall on a later commit of a worker. Nothing on PostgreSQL.
   */
  void checkpointLog();

  /**
   * Switches a SQLite file to {@link VacuumMode#INCREMENTAL} with one {@code VACUUM}, which
   * rewrites the whole file (and so compacts it) under the write lock; nothing when it is already
   * incremental, and nothing on PostgreSQL.
   */
  void enableIncrementalVacuum();

  // ---- end #16 retention and compaction ----

  /** Size of the storage. */
  StorageInfo storageInfo();

  /** Closes connections; further calls fail. */
  @Override
  void close();

  // ---- #12 limits

  /**
   * Defines limit keys (#12 limits): the first insert of a job with one of these keys writes its
   * definition (creating or updating the key's row, keeping its rate state) in the insert's own
   * transaction. Must be called before such jobs are inserted, or they never start.
   */
  void defineLimits(List<LimitRow> rows, long now);

  /** The limit keys of job {@code id} with their states, empty for a job without limits. */
  Optional<JobLimits> limitsOf(String id, long now);

  // ---- #14 tenants

  /**
   * The settings of tenant {@code name}, read at most {@code maxAgeMs} ago by this store (a cache
   * shared by this process; a change made through this store is seen at once).
   */
  Optional<TenantRow> tenantSettings(String name, long now, long maxAgeMs);

  /** Every row of {@code jobkit_tenants}, by name, read now. */
  List<TenantRow> tenants();

  /**
   * Creates or replaces a tenant's settings (keeping its creation time and rate state) and the
   * definition of its limit key {@code tenant:NAME} (max running, 0 for none), and writes {@code
   * audit} when not null, in one transaction. Returns the row as stored.
   */
  TenantRow putTenant(TenantRow row, AuditRow audit);

  /**
   * Deletes a tenant's settings, sets its limit key's max running to 0 (none), and writes {@code
   * audit} when not null, in one transaction; false (writing nothing) when it had no settings.
   */
  boolean deleteTenant(String name, long now, AuditRow audit);

  /**
   * The waiting and running jobs of each tenant that has any (or of {@code tenant} only, when not
   * null), by tenant name.
   */
  List<TenantCount> tenantCounts(String tenant);

  /** Writes one audit row in its own transaction. */
  void audit(AuditRow row);

  /**
   * Audit rows newest first: of {@code tenant}, {@code actor} and {@code action} where not null
   * ({@code action} ending in {@code .*}: a prefix), at or after {@code since}, with ids below
   * {@code beforeId} when not null; at most {@code limit}.
   */
  List<AuditRow> auditRows(
      String tenant, String actor, String action, long since, String beforeId, int limit);

  /** Deletes up to {@code limit} audit rows older than {@code before}; returns how many. */
  long deleteAuditBefore(long before, int limit);

  // ---- end #14 tenants
}
