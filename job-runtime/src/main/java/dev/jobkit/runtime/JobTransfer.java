package dev.jobkit.runtime;

import dev.jobkit.JobException;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ApiKeyRow;
import dev.jobkit.runtime.internal.store.DependencyEdge;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.ScheduleChange;
import dev.jobkit.runtime.internal.store.ScheduleFireRow;
import dev.jobkit.runtime.internal.store.ScheduleRow;
import dev.jobkit.runtime.internal.store.StoredBatch;
import dev.jobkit.runtime.internal.store.StoredEdge;
import dev.jobkit.runtime.internal.store.StoredJob;
import dev.jobkit.runtime.internal.store.TableCounts;
import dev.jobkit.runtime.internal.store.TemplateRow;
import dev.jobkit.runtime.internal.worker.States;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Moves jobs between databases: a consistent backup of a SQLite file, an export of jobs exactly as
 * stored ({@link JobRecord}), their import into another database, and the migration of a whole
 * database (SQLite to PostgreSQL or back). From {@link JobManager#transfer()}; see {@code
 * docs/operations.md}. Thread-safe.
 */
public final class JobTransfer {
  /** Jobs read or written per transaction. */
  static final int PAGE = 500;

  private final JobStore store;
  private final Clock clock;
  private final Runnable checkOpen;

  JobTransfer(JobStore store, Clock clock, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
    this.checkOpen = checkOpen;
  }

  /**
   * Thrown when a migration or import is refused before anything was written: jobs still run in the
   * source, or the target is not empty. The message says what to do.
   */
  public static final class RefusedException extends JobException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a one-line message. */
    public RefusedException(String message) {
      super(message);
    }
  }

  /**
   * What {@link #importJobs} did, by job id and batch id (#12 batches), in the given order.
   *
   * @param inserted jobs whose id was new
   * @param replaced jobs whose id existed, replaced
   * @param skipped jobs whose id existed, left as they were
   * @param requeued jobs RUNNING in the export, imported QUEUED (or as their request said)
   * @param batchesInserted batches whose id was new
   * @param batchesReplaced batches whose id existed, replaced
   * @param batchesSkipped batches whose id existed, left as they were
   */
  public record ImportResult(
      List<String> inserted,
      List<String> replaced,
      List<String> skipped,
      List<String> requeued,
      List<String> batchesInserted,
      List<String> batchesReplaced,
      List<String> batchesSkipped) {
    /** Copies. */
    public ImportResult {
      inserted = List.copyOf(inserted);
      replaced = List.copyOf(replaced);
      skipped = List.copyOf(skipped);
      requeued = List.copyOf(requeued);
      batchesInserted = List.copyOf(batchesInserted);
      batchesReplaced = List.copyOf(batchesReplaced);
      batchesSkipped = List.copyOf(batchesSkipped);
    }

    /** A result without batches. */
    public ImportResult(
        List<String> inserted, List<String> replaced, List<String> skipped, List<String> requeued) {
      this(inserted, replaced, skipped, requeued, List.of(), List.of(), List.of());
    }
  }

  /** Rows copied by {@link #migrateTo}, each verified in the target; {@code batches} (#12). */
  public record MigrationReport(
      long jobs, long events, long logs, long tags, long apiKeys, long batches) {
    /** A report without batches. */
    public MigrationReport(long jobs, long events, long logs, long tags, long apiKeys) {
      this(jobs, events, logs, tags, apiKeys, 0);
    }
  }

  /**
   * A batch exactly as stored (#12 batches), for export and import: its row of {@code
   * jobkit_batches}. Its members are the jobs whose {@link JobRecord#batchId()} names it; its
   * callbacks are jobs too, named here by id.
   *
   * @param id the batch's id
   * @param name a name given at dispatch; empty if none
   * @param description a description given at dispatch; empty if none
   * @param state its state
   * @param total the number of members
   * @param completed members COMPLETED when it was read
   * @param failed members FAILED or TIMED_OUT when it was read
   * @param cancelled members CANCELLED when it was read
   * @param onSuccess the success callback's job id; empty if none
   * @param onFailure the failure callback's job id; empty if none
   * @param onComplete the completion callback's job id; empty if none
   * @param createdAt when it was dispatched
   * @param createdBy who dispatched it; empty if unknown
   * @param finishedAt when it became final; empty while it runs
   * @param tenant the tenant of the batch, its members and callbacks (#14 tenants)
   */
  public record BatchRecord(
      String id,
      Optional<String> name,
      Optional<String> description,
      BatchState state,
      int total,
      int completed,
      int failed,
      int cancelled,
      Optional<String> onSuccess,
      Optional<String> onFailure,
      Optional<String> onComplete,
      Instant createdAt,
      Optional<String> createdBy,
      Optional<Instant> finishedAt,
      String tenant) {
    /** Checks the fields; a null tenant is the default one. */
    public BatchRecord {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(onSuccess, "onSuccess");
      Objects.requireNonNull(onFailure, "onFailure");
      Objects.requireNonNull(onComplete, "onComplete");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(createdBy, "createdBy");
      Objects.requireNonNull(finishedAt, "finishedAt");
      tenant = tenant == null ? Tenants.DEFAULT : Tenants.checkName(tenant);
      if (total < 0 || completed < 0 || failed < 0 || cancelled < 0) {
        throw new IllegalArgumentException(
            "batch " + id + ": total and counts must not be negative");
      }
      if (completed + failed + cancelled > total) {
        throw new IllegalArgumentException(
            "batch "
                + id
                + ": completed + failed + cancelled ("
                + (completed + failed + cancelled)
                + ") exceed its total "
                + total);
      }
    }

    /** The batch ids {@code job} belongs to: as a member, or as one of its callbacks. */
    private static String of(JobRecord job, Map<String, String> callbacks) {
      return job.batchId().orElseGet(() -> callbacks.get(job.id()));
    }
  }

  // ---------------------------------------------------------------- backup

  /**
   * Writes a consistent copy of a SQLite database to {@code file} while workers keep running: one
   * read transaction ({@code VACUUM INTO}), which under SQLite's write-ahead log does not block
   * writers. The copy is compacted and needs no {@code -wal} file; it is written next to {@code
   * file} and moved into place once complete. To restore, stop every process on the database and
   * copy the backup over the database file (removing its {@code -wal} and {@code -shm}); jobs that
   * were running resume from their checkpoints in the backup.
   *
   * @param overwrite whether an existing {@code file} may be replaced
   * @throws JobStorageException if {@code file} exists (and not {@code overwrite}), or cannot be
   *     written
   * @throws UnsupportedOperationException on PostgreSQL, naming the tools to use instead
   */
  public void backup(Path file, boolean overwrite) {
    checkOpen.run();
    store.backup(Objects.requireNonNull(file, "file"), overwrite);
  }

  // ---------------------------------------------------------------- export and import

  /**
   * Hands every job matching {@code filter} to {@code sink}, by id, read {@value #PAGE} at a time.
   * The query's states, name, tag, queue and creation times apply; its text, limit and cursor are
   * ignored. Returns the number of jobs.
   */
  public long exportJobs(JobQuery filter, Consumer<JobRecord> sink) {
    checkOpen.run();
    JobFilter f = toFilter(filter);
    long n = 0;
    String after = null;
    while (true) {
      List<StoredJob> page = store.exportJobs(f, after, PAGE);
      for (StoredJob j : page) {
        sink.accept(toRecord(j));
      }
      n += page.size();
      if (page.size() < PAGE) {
        return n;
      }
      after = page.get(page.size() - 1).row().id();
    }
  }

  private static JobFilter toFilter(JobQuery filter) {
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    for (JobState s : filter.states()) {
      statuses.add(JobStatus.valueOf(s.name()));
    }
    JobFilter f =
        new JobFilter(
            statuses,
            filter.name().map(Set::of).orElse(Set.of()),
            filter.tag().orElse(null),
            filter.queue().orElse(null),
            filter.createdFrom().map(Instant::toEpochMilli).orElse(null),
            filter.createdTo().map(Instant::toEpochMilli).orElse(null),
            null,
            filter.tenant().orElse(null));
    return f;
  }

  /**
   * Writes {@code jobs} in one transaction, keeping their ids, every column, tags, events, log
   * lines (events and log lines get new ids, in their order) and parent edges as they stand (#12: a
   * job imported WAITING waits for its parents in this database; {@code has_children} is set on
   * each parent present here). A job whose id exists is replaced when {@code replace}, else
   * skipped. A job that was RUNNING is imported QUEUED (PAUSED or CANCELLED when that was
   * requested), due now and marked resumed, so that a worker continues it from its checkpoint, with
   * a RECOVERED event saying so.
   *
   * @throws JobException naming the job if another job holds its idempotency key; nothing is
   *     written then
   */
  public ImportResult importJobs(List<JobRecord> jobs, boolean replace) {
    return importJobs(jobs, List.of(), replace);
  }

  /**
   * {@link #importJobs(List, boolean)} with batches (#12 batches), in the same transaction: the
   * batch rows are written first (a batch whose id exists is replaced when {@code replace}, else
   * skipped), then the jobs, whose members keep their batch. Pass each batch with the jobs of it
   * that this call imports, or alone (with no jobs). A batch whose members are all stored in this
   * database after the call gets its counts from their states (the export read the batch and its
   * members at different moments), and if it was running and they have all ended, it ends now, its
   * callbacks queued or cancelled; so a batch moved while it runs goes on here, and its callbacks
   * fire once, when its last member ends. A batch some of whose members are missing here keeps its
   * counts.
   *
   * @throws JobException naming the job if another job holds its idempotency key, or naming the
   *     batch if it is given twice; nothing is written then
   */
  public ImportResult importJobs(List<JobRecord> jobs, List<BatchRecord> batches, boolean replace) {
    checkOpen.run();
    long now = clock.millis();
    List<StoredJob> rows = new ArrayList<>(jobs.size());
    List<String> requeued = new ArrayList<>();
    for (JobRecord r : jobs) {
      StoredJob j = toStored(r);
      if (j.row().status() == JobStatus.RUNNING) {
        j = requeue(j, now);
        requeued.add(r.id());
      }
      rows.add(j);
    }
    List<StoredBatch> batchRows = batches.stream().map(JobTransfer::toStored).toList();
    JobStore.ImportOutcomes outcomes = store.importJobs(rows, batchRows, replace, false, now);
    List<String> inserted = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      String id = jobs.get(i).id();
      switch (outcomes.jobs().get(i)) {
        case INSERTED -> inserted.add(id);
        case REPLACED -> replaced.add(id);
        case SKIPPED -> skipped.add(id);
      }
    }
    requeued.removeAll(skipped);
    List<String> bInserted = new ArrayList<>();
    List<String> bReplaced = new ArrayList<>();
    List<String> bSkipped = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      String id = batches.get(i).id();
      switch (outcomes.batches().get(i)) {
        case INSERTED -> bInserted.add(id);
        case REPLACED -> bReplaced.add(id);
        case SKIPPED -> bSkipped.add(id);
      }
    }
    return new ImportResult(inserted, replaced, skipped, requeued, bInserted, bReplaced, bSkipped);
  }

  // ---------------------------------------------------------------- batches

  /**
   * Hands to {@code sink}, by id, the batches (#12 batches) that go with the jobs {@link
   * #exportJobs} exports for {@code filter}: every batch (of the filter's tenant) when the filter
   * has no other condition, else each batch with a member or a callback that matches it. Returns
   * the number of batches. Export them before the jobs: a batch's counts are then read before its
   * members, and an import corrects them from the members it gets.
   */
  public long exportBatches(JobQuery filter, Consumer<BatchRecord> sink) {
    checkOpen.run();
    JobFilter f = toFilter(filter);
    long n = 0;
    String after = null;
    while (true) {
      List<StoredBatch> page = store.exportBatches(f, after, PAGE);
      for (StoredBatch b : page) {
        sink.accept(toRecord(b));
      }
      n += page.size();
      if (page.size() < PAGE) {
        return n;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /**
   * The ids of the batches {@code jobs} belong to (#12 batches), as members or as callbacks of one
   * of {@code batches}, in the order first named; for an import that passes each batch with the
   * first jobs of it.
   */
  public static List<String> batchIdsOf(List<JobRecord> jobs, List<BatchRecord> batches) {
    Map<String, String> callbacks = new LinkedHashMap<>();
    for (BatchRecord b : batches) {
      b.onSuccess().ifPresent(id -> callbacks.put(id, b.id()));
      b.onFailure().ifPresent(id -> callbacks.put(id, b.id()));
      b.onComplete().ifPresent(id -> callbacks.put(id, b.id()));
    }
    Set<String> out = new LinkedHashSet<>();
    for (JobRecord j : jobs) {
      String id = BatchRecord.of(j, callbacks);
      if (id != null) {
        out.add(id);
      }
    }
    return List.copyOf(out);
  }

  static BatchRecord toRecord(StoredBatch b) {
    return new BatchRecord(
        b.id(),
        Optional.ofNullable(b.name()),
        Optional.ofNullable(b.description()),
        BatchState.valueOf(b.state()),
        b.total(),
        b.completed(),
        b.failed(),
        b.cancelled(),
        Optional.ofNullable(b.onSuccess()),
        Optional.ofNullable(b.onFailure()),
        Optional.ofNullable(b.onComplete()),
        Instant.ofEpochMilli(b.createdAt()),
        Optional.ofNullable(b.createdBy()),
        b.finishedAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(b.finishedAt())),
        b.tenant());
  }

  static StoredBatch toStored(BatchRecord b) {
    return new StoredBatch(
        b.id(),
        b.name().orElse(null),
        b.description().orElse(null),
        b.state().name(),
        b.total(),
        b.completed(),
        b.failed(),
        b.cancelled(),
        b.onSuccess().orElse(null),
        b.onFailure().orElse(null),
        b.onComplete().orElse(null),
        b.createdAt().toEpochMilli(),
        b.createdBy().orElse(null),
        b.finishedAt().map(Instant::toEpochMilli).orElse(0L),
        b.tenant());
  }

  /** A RUNNING job as recovery would leave it: given back, to resume from its checkpoint. */
  private static StoredJob requeue(StoredJob j, long now) {
    JobRow r = j.row();
    JobStatus to =
        r.cancelRequested()
            ? JobStatus.CANCELLED
            : r.pauseRequested() ? JobStatus.PAUSED : JobStatus.QUEUED;
    JobRow row =
        new JobRow(
            r.id(),
            r.name(),
            r.params(),
            r.state(),
            r.stateVersion(),
            to,
            r.priority(),
            r.queue(),
            r.attempts(),
            r.maxAttempts(),
            now,
            null,
            0,
            r.leaseEpoch(),
            false,
            false,
            true,
            r.progress(),
            r.output(),
            r.error(),
            r.tags(),
            r.idempotencyKey(),
            r.timeoutMs(),
            r.createdAt(),
            r.startedAt(),
            to.isTerminal() ? now : 0,
            now,
            r.backoffMs(),
            r.createdBy(),
            r.tenant());
    List<JobEvent> events = new ArrayList<>(j.events());
    events.add(
        new JobEvent(
            0,
            r.id(),
            now,
            JobEvent.Type.RECOVERED,
            JobStatus.RUNNING,
            to,
            "imported while RUNNING; resumes from its last checkpoint",
            null));
    return new StoredJob(row, events, j.logs(), j.parents(), j.batchId());
  }

  // ---------------------------------------------------------------- schedules

  /**
   * A schedule exactly as stored (#12), with its history, for export and import: every field of the
   * row, times as epoch milliseconds. The byte array is not copied: do not modify it.
   *
   * @param name the schedule's unique name
   * @param jobName the registered name of the job type it dispatches
   * @param params the job's parameters as MessagePack
   * @param priority the priority of each job
   * @param queue the queue of each job
   * @param maxAttempts the attempts allowed to each job
   * @param timeoutMs the timeout of one attempt of each job; zero for none
   * @param tags the tags of each job
   * @param cron the cron expression; null for an interval schedule
   * @param intervalMs the interval; zero for a cron schedule
   * @param zone the time zone of a cron schedule (UTC for intervals)
   * @param misfire SKIP, FIRE_ONCE or FIRE_ALL
   * @param misfireCap at most this many missed slots fire under FIRE_ALL
   * @param misfireGraceMs a slot fired later than this after its time counts as missed
   * @param overlap SKIP, QUEUE_ONE or ALLOW
   * @param fallBack ONCE or BOTH
   * @param jitterMs each job starts up to this much after its slot
   * @param paused whether firing is paused
   * @param pauseReason why; null if not paused or none given
   * @param nextFireAt the next slot ({@link Long#MAX_VALUE} when there is none)
   * @param pendingSlot the slot QUEUE_ONE keeps waiting for the previous run; null if none
   * @param lastFireAt the slot last fired (or the time of the last trigger); 0 if none
   * @param lastJobId the job of the last fire or trigger; null if none
   * @param declared whether the application declares it in code
   * @param createdAt when it was created
   * @param createdBy who created it; null if unknown
   * @param updatedAt when its row last changed
   * @param history its history rows, as {@link #exportSchedules()} read them (newest first)
   * @param tenant the tenant of the schedule and its jobs (#14 tenants)
   */
  public record ScheduleRecord(
      String name,
      String jobName,
      byte[] params,
      dev.jobkit.Priority priority,
      String queue,
      int maxAttempts,
      long timeoutMs,
      List<String> tags,
      String cron,
      long intervalMs,
      String zone,
      String misfire,
      int misfireCap,
      long misfireGraceMs,
      String overlap,
      String fallBack,
      long jitterMs,
      boolean paused,
      String pauseReason,
      long nextFireAt,
      Long pendingSlot,
      long lastFireAt,
      String lastJobId,
      boolean declared,
      long createdAt,
      String createdBy,
      long updatedAt,
      List<ScheduleFireRecord> history,
      String tenant) {
    /** Checks the required fields and copies the lists; a null tenant is the default one. */
    public ScheduleRecord {
      tenant = tenant == null ? Tenants.DEFAULT : Tenants.checkName(tenant);
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(jobName, "jobName");
      Objects.requireNonNull(params, "params");
      Objects.requireNonNull(priority, "priority");
      Objects.requireNonNull(queue, "queue");
      tags = List.copyOf(tags);
      history = List.copyOf(history);
    }

    /** A schedule of the {@link Tenants#DEFAULT default} tenant. */
    public ScheduleRecord(
        String name,
        String jobName,
        byte[] params,
        dev.jobkit.Priority priority,
        String queue,
        int maxAttempts,
        long timeoutMs,
        List<String> tags,
        String cron,
        long intervalMs,
        String zone,
        String misfire,
        int misfireCap,
        long misfireGraceMs,
        String overlap,
        String fallBack,
        long jitterMs,
        boolean paused,
        String pauseReason,
        long nextFireAt,
        Long pendingSlot,
        long lastFireAt,
        String lastJobId,
        boolean declared,
        long createdAt,
        String createdBy,
        long updatedAt,
        List<ScheduleFireRecord> history) {
      this(
          name,
          jobName,
          params,
          priority,
          queue,
          maxAttempts,
          timeoutMs,
          tags,
          cron,
          intervalMs,
          zone,
          misfire,
          misfireCap,
          misfireGraceMs,
          overlap,
          fallBack,
          jitterMs,
          paused,
          pauseReason,
          nextFireAt,
          pendingSlot,
          lastFireAt,
          lastJobId,
          declared,
          createdAt,
          createdBy,
          updatedAt,
          history,
          null);
    }
  }

  /**
   * One history row of a {@link ScheduleRecord}, as stored.
   *
   * @param id its time-sortable id, kept by an import
   * @param slot the slot, epoch milliseconds (for a trigger, when it was asked)
   * @param outcome FIRED, TRIGGERED or SKIPPED
   * @param jobId the job dispatched; null if none
   * @param reason why a slot was skipped or fired late; null if none
   * @param recordedAt when it was recorded, epoch milliseconds
   */
  public record ScheduleFireRecord(
      String id, long slot, String outcome, String jobId, String reason, long recordedAt) {
    /** Checks the required fields. */
    public ScheduleFireRecord {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /** What {@link #importSchedules} did, by schedule name, in the given order. */
  public record ScheduleImportResult(
      List<String> inserted, List<String> replaced, List<String> skipped) {
    /** Copies. */
    public ScheduleImportResult {
      inserted = List.copyOf(inserted);
      replaced = List.copyOf(replaced);
      skipped = List.copyOf(skipped);
    }
  }

  /** Every stored schedule, by name, each exactly as stored with its whole history. */
  public List<ScheduleRecord> exportSchedules() {
    checkOpen.run();
    List<ScheduleRecord> out = new ArrayList<>();
    for (ScheduleRow s : store.schedules()) {
      List<ScheduleFireRecord> history = new ArrayList<>();
      for (ScheduleFireRow f : store.scheduleFires(s.name(), Integer.MAX_VALUE)) {
        history.add(
            new ScheduleFireRecord(
                f.id(), f.slot(), f.outcome(), f.jobId(), f.reason(), f.recordedAt()));
      }
      out.add(
          new ScheduleRecord(
              s.name(),
              s.jobName(),
              s.params(),
              s.priority(),
              s.queue(),
              s.maxAttempts(),
              s.timeoutMs(),
              s.tags(),
              s.cron(),
              s.intervalMs(),
              s.zone(),
              s.misfire(),
              s.misfireCap(),
              s.misfireGraceMs(),
              s.overlap(),
              s.fallBack(),
              s.jitterMs(),
              s.paused(),
              s.pauseReason(),
              s.nextFireAt(),
              s.pendingSlot(),
              s.lastFireAt(),
              s.lastJobId(),
              s.declared(),
              s.createdAt(),
              s.createdBy(),
              s.updatedAt(),
              history,
              s.tenant()));
    }
    return out;
  }

  /**
   * Writes {@code schedules} exactly as given, each with its history in one transaction (so a
   * schedule is never half written). A schedule whose name exists here is replaced, row and
   * history, when {@code replace}, else skipped. Nothing is fired by the import itself: a running
   * scheduler fires the slots due from the imported next slot on.
   *
   * @throws IllegalArgumentException naming the schedule if a name is given twice, or a record has
   *     neither or both of a cron expression and an interval
   */
  public ScheduleImportResult importSchedules(List<ScheduleRecord> schedules, boolean replace) {
    checkOpen.run();
    Set<String> names = new java.util.HashSet<>();
    List<ScheduleRow> rows = new ArrayList<>(schedules.size());
    for (ScheduleRecord r : schedules) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException(
            "schedule '" + r.name() + "' is given twice; each schedule name may appear once");
      }
      try {
        rows.add(toRow(r));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schedule '" + r.name() + "': " + e.getMessage(), e);
      }
    }
    List<String> inserted = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      ScheduleRow row = rows.get(i);
      List<ScheduleFireRow> history = new ArrayList<>();
      for (ScheduleFireRecord f : schedules.get(i).history()) {
        history.add(
            new ScheduleFireRow(
                f.id(), row.name(), f.slot(), f.outcome(), f.jobId(), f.reason(), f.recordedAt()));
      }
      boolean[] existed = new boolean[1];
      store.changeSchedule(
          row.name(),
          clock.millis(),
          (current, lastRunning) -> {
            existed[0] = current != null;
            if (current != null && !replace) {
              return ScheduleChange.NONE;
            }
            return new ScheduleChange(row, current != null, List.of(), history);
          });
      (existed[0] ? (replace ? replaced : skipped) : inserted).add(row.name());
    }
    return new ScheduleImportResult(inserted, replaced, skipped);
  }

  private static ScheduleRow toRow(ScheduleRecord r) {
    return new ScheduleRow(
        r.name(),
        r.jobName(),
        r.params(),
        r.priority(),
        r.queue(),
        r.maxAttempts(),
        r.timeoutMs(),
        r.tags(),
        r.cron(),
        r.intervalMs(),
        r.zone(),
        r.misfire(),
        r.misfireCap(),
        r.misfireGraceMs(),
        r.overlap(),
        r.fallBack(),
        r.jitterMs(),
        r.paused(),
        r.pauseReason(),
        r.nextFireAt(),
        r.pendingSlot(),
        r.lastFireAt(),
        r.lastJobId(),
        r.declared(),
        r.createdAt(),
        r.createdBy(),
        r.updatedAt(),
        r.tenant());
  }

  // ---------------------------------------------------------------- migration

  /**
   * Copies this whole database into {@code target}'s, keeping every id (jobs, events, log lines and
   * API keys), the job templates, the schedules with their history, the batches (#12, each in the
   * transaction of the first jobs of it), and every column, {@value #PAGE} jobs per transaction;
   * then checks that the tables hold as many rows on both sides and that every job, with its events
   * and logs, has the same {@link JobRecord#checksum()} in both. This database is only read. Worker
   * nodes are not copied.
   *
   * @throws RefusedException before writing anything, if a job here is RUNNING under a lease that
   *     has not expired (stop the workers first), or if the target holds jobs or API keys
   * @throws JobException if the verification finds a difference (the target then holds a partial or
   *     differing copy; this database is untouched)
   */
  public MigrationReport migrateTo(JobManager target) {
    checkOpen.run();
    JobTransfer to = target.transfer();
    String here = store.storageInfo().location();
    String there = to.store.storageInfo().location();
    List<String> live = store.liveRunningJobs(clock.millis(), 3);
    if (!live.isEmpty()) {
      throw new RefusedException(
          "jobs are RUNNING in "
              + here
              + " under a live lease (such as "
              + String.join(", ", live)
              + "); stop every worker first (a graceful stop gives their jobs back), then migrate"
              + " again");
    }
    TableCounts existing = to.store.tableCounts();
    if (existing.jobs() > 0 || existing.apiKeys() > 0) {
      throw new RefusedException(
          "the target "
              + there
              + " holds "
              + existing.jobs()
              + " job(s) and "
              + existing.apiKeys()
              + " API key(s); migrate copies into an empty database only (to merge jobs into one"
              + " that has some, use export and import)");
    }
    JobFilter all = JobFilter.all();
    String after = null;
    Set<String> copiedBatches = new java.util.HashSet<>();
    while (true) {
      List<StoredJob> page = store.exportJobs(all, after, PAGE);
      // #12 batches: each batch in the transaction of the first page that names it
      to.store.importJobs(page, batchesOf(page, copiedBatches), false, true, clock.millis());
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).row().id();
    }
    copyRemainingBatches(to, copiedBatches);
    List<ApiKeyRow> keys = store.apiKeys();
    to.store.importApiKeys(keys);
    // #12 templates: copied as stored, and checked like the keys
    List<TemplateRow> templates = store.templates();
    to.store.importTemplates(templates, false);
    if (!to.store.templates().equals(templates)) {
      throw new JobException(
          "the job templates copied to "
              + there
              + " differ from the source's (did the target hold templates?); this database is"
              + " untouched: empty the target and migrate again");
    }
    copySchedules(to, there);
    // #14 tenants: their settings (the submission rate starts afresh; the audit trail stays here)
    for (dev.jobkit.runtime.internal.store.TenantRow r : store.tenants()) {
      to.store.putTenant(r, null);
    }
    return verify(to, there, keys);
  }

  /**
   * #12 batches: the batches of {@code page}'s members and callbacks (a callback's idempotency key
   * is {@code batch:<id>:<kind>}) not in {@code copied}, which gets them.
   */
  private List<StoredBatch> batchesOf(List<StoredJob> page, Set<String> copied) {
    Set<String> ids = new LinkedHashSet<>();
    for (StoredJob j : page) {
      if (j.batchId() != null) {
        ids.add(j.batchId());
      }
      String key = j.row().idempotencyKey();
      if (key != null && key.startsWith("batch:") && key.lastIndexOf(':') > 6) {
        ids.add(key.substring(6, key.lastIndexOf(':')));
      }
    }
    ids.removeAll(copied);
    List<StoredBatch> out = store.batchesById(ids);
    out.forEach(b -> copied.add(b.id()));
    return out;
  }

  /** #12 batches: those no copied job named (their jobs were deleted), a page at a time. */
  private void copyRemainingBatches(JobTransfer to, Set<String> copied) {
    String after = null;
    while (true) {
      List<StoredBatch> page = store.exportBatches(JobFilter.all(), after, PAGE);
      List<StoredBatch> left = page.stream().filter(b -> !copied.contains(b.id())).toList();
      if (!left.isEmpty()) {
        to.store.importJobs(List.of(), left, false, true, clock.millis());
      }
      if (page.size() < PAGE) {
        return;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /**
   * #12 schedules: each copied as it stands (its next slot, pause, pending slot and last fire) with
   * its history, then checked.
   */
  private void copySchedules(JobTransfer to, String there) {
    List<ScheduleRow> schedules = store.schedules();
    for (ScheduleRow s : schedules) {
      List<ScheduleFireRow> history = store.scheduleFires(s.name(), Integer.MAX_VALUE);
      boolean[] existed = new boolean[1];
      to.store.changeSchedule(
          s.name(),
          clock.millis(),
          (current, lastRunning) -> {
            existed[0] = current != null;
            return current != null
                ? ScheduleChange.NONE
                : new ScheduleChange(s, false, List.of(), history);
          });
      if (existed[0]) {
        throw new JobException(
            "the target "
                + there
                + " already has a schedule named '"
                + s.name()
                + "'; this database is untouched: empty the target and migrate again");
      }
    }
    List<ScheduleRow> copied = to.store.schedules();
    boolean same = copied.size() == schedules.size();
    for (int i = 0; same && i < copied.size(); i++) {
      ScheduleRow a = schedules.get(i);
      same =
          a.equals(copied.get(i))
              && store
                  .scheduleFires(a.name(), Integer.MAX_VALUE)
                  .equals(to.store.scheduleFires(a.name(), Integer.MAX_VALUE));
    }
    if (!same) {
      throw new JobException(
          "the schedules copied to "
              + there
              + " differ from the source's; this database is untouched: empty the target and"
              + " migrate again");
    }
  }

  private MigrationReport verify(JobTransfer to, String there, List<ApiKeyRow> keys) {
    TableCounts source = store.tableCounts();
    TableCounts copied = to.store.tableCounts();
    if (!source.equals(copied)) {
      throw new JobException(
          "the copy in "
              + there
              + " does not match: "
              + copied
              + " against "
              + source
              + " here (did something write to either database meanwhile?); this database is"
              + " untouched: empty the target and migrate again");
    }
    if (!to.store.apiKeys().equals(keys)) {
      throw new JobException(
          "the API keys copied to "
              + there
              + " differ from the source's; empty it and migrate again");
    }
    JobFilter all = JobFilter.all();
    String after = null;
    while (true) {
      List<StoredJob> mine = store.exportJobs(all, after, PAGE);
      List<StoredJob> theirs = to.store.exportJobs(all, after, PAGE);
      for (int i = 0; i < mine.size(); i++) {
        String id = mine.get(i).row().id();
        String want = toRecord(mine.get(i)).checksum();
        String got =
            i < theirs.size() && theirs.get(i).row().id().equals(id)
                ? toRecord(theirs.get(i)).checksum()
                : "missing";
        if (!want.equals(got)) {
          throw new JobException(
              "job "
                  + id
                  + " differs in "
                  + there
                  + " (checksum "
                  + got
                  + ", here "
                  + want
                  + "); this database is untouched: empty the target and migrate again");
        }
      }
      if (mine.size() < PAGE) {
        break;
      }
      after = mine.get(mine.size() - 1).row().id();
    }
    String afterBatch = null;
    while (true) { // #12 batches: every row as stored, counts included
      List<StoredBatch> mine = store.exportBatches(JobFilter.all(), afterBatch, PAGE);
      List<StoredBatch> theirs = to.store.exportBatches(JobFilter.all(), afterBatch, PAGE);
      if (!mine.equals(theirs)) {
        throw new JobException(
            "the batches copied to "
                + there
                + " differ from the source's (did something write to either database"
                + " meanwhile?); this database is untouched: empty the target and migrate again");
      }
      if (mine.size() < PAGE) {
        break;
      }
      afterBatch = mine.get(mine.size() - 1).id();
    }
    return new MigrationReport(
        source.jobs(),
        source.events(),
        source.logs(),
        source.tags(),
        source.apiKeys(),
        source.batches());
  }

  // ---------------------------------------------------------------- conversions

  static JobRecord toRecord(StoredJob j) {
    JobRow r = j.row();
    List<JobEventInfo> events = new ArrayList<>(j.events().size());
    for (JobEvent e : j.events()) {
      events.add(JobQueries.toInfo(e, r.name()));
    }
    List<JobLogLine> logs = new ArrayList<>(j.logs().size());
    for (LogLine l : j.logs()) {
      logs.add(JobQueries.toInfo(l));
    }
    return new JobRecord(
        r.id(),
        r.name(),
        r.params(),
        Optional.ofNullable(r.state()),
        r.stateVersion(),
        States.toPublic(r.status()),
        r.priority(),
        r.queue(),
        r.attempts(),
        r.maxAttempts(),
        Instant.ofEpochMilli(r.runAt()),
        Optional.ofNullable(r.leaseOwner()),
        r.leaseExpiresAt() == 0
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(r.leaseExpiresAt())),
        r.leaseEpoch(),
        r.cancelRequested(),
        r.pauseRequested(),
        r.resumed(),
        Optional.ofNullable(r.progress()),
        Optional.ofNullable(r.output()),
        Optional.ofNullable(r.error()),
        r.tags(),
        Optional.ofNullable(r.idempotencyKey()),
        Duration.ofMillis(r.timeoutMs()),
        Duration.ofMillis(r.backoffMs()),
        Optional.ofNullable(r.createdBy()),
        Instant.ofEpochMilli(r.createdAt()),
        optionalTime(r.startedAt()),
        optionalTime(r.finishedAt()),
        Instant.ofEpochMilli(r.updatedAt()),
        events,
        logs,
        j.parents().stream()
            .map(
                p ->
                    new JobRecord.ParentEdge(
                        p.parentId(),
                        p.position(),
                        OnParentFailure.valueOf(p.onFailure().name()),
                        JobRecord.EdgeState.valueOf(p.state().name())))
            .toList(),
        r.tenant(),
        Optional.ofNullable(j.batchId()));
  }

  private static Optional<Instant> optionalTime(long millis) {
    return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  static StoredJob toStored(JobRecord r) {
    JobRow row =
        new JobRow(
            r.id(),
            r.name(),
            r.params(),
            r.checkpoint().orElse(null),
            r.checkpointVersion(),
            JobStatus.valueOf(r.state().name()),
            r.priority(),
            r.queue(),
            r.attempts(),
            r.maxAttempts(),
            r.runAt().toEpochMilli(),
            r.leaseOwner().orElse(null),
            r.leaseExpiresAt().map(Instant::toEpochMilli).orElse(0L),
            r.leaseEpoch(),
            r.cancelRequested(),
            r.pauseRequested(),
            r.resumed(),
            r.progressJson().orElse(null),
            r.outputJson().orElse(null),
            r.error().orElse(null),
            r.tags(),
            r.idempotencyKey().orElse(null),
            r.timeout().toMillis(),
            r.createdAt().toEpochMilli(),
            r.startedAt().map(Instant::toEpochMilli).orElse(0L),
            r.finishedAt().map(Instant::toEpochMilli).orElse(0L),
            r.updatedAt().toEpochMilli(),
            r.backoff().toMillis(),
            r.createdBy().orElse(null),
            r.tenant());
    List<JobEvent> events = new ArrayList<>(r.events().size());
    for (JobEventInfo e : r.events()) {
      events.add(
          new JobEvent(
              e.id(),
              r.id(),
              e.at().toEpochMilli(),
              JobEvent.Type.valueOf(e.kind().name()),
              e.from().map(s -> JobStatus.valueOf(s.name())).orElse(null),
              e.to().map(s -> JobStatus.valueOf(s.name())).orElse(null),
              e.detail().orElse(null),
              e.actor().orElse(null)));
    }
    List<LogLine> logs = new ArrayList<>(r.logs().size());
    for (JobLogLine l : r.logs()) {
      logs.add(
          new LogLine(l.id(), r.id(), l.at().toEpochMilli(), l.level(), l.message(), l.attempt()));
    }
    List<StoredEdge> parents = new ArrayList<>(r.parents().size());
    for (JobRecord.ParentEdge p : r.parents()) {
      parents.add(
          new StoredEdge(
              p.parentId(),
              p.position(),
              DependencyEdge.OnFailure.valueOf(p.onFailure().name()),
              DependencyEdge.State.valueOf(p.state().name())));
    }
    return new StoredJob(row, events, logs, parents, r.batchId().orElse(null));
  }
}
