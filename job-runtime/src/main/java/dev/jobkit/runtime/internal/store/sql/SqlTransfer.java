package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.Tables.D_CHILD_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_ON_FAILURE;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_PARENT_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_POSITION;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_STATE;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_ACTOR;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_DETAIL;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_FROM;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_TO;
import static dev.jobkit.runtime.internal.store.sql.Tables.E_TYPE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ALL;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_BATCH_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_CREATED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_HAS_CHILDREN;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_EXPIRES_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_NAME;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_QUEUE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_ATTEMPT;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_LEVEL;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_MESSAGE;
import static dev.jobkit.runtime.internal.store.sql.Tables.L_TRACE_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.T_JOB_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.T_TAG;

import dev.jobkit.JobException;
import dev.jobkit.runtime.internal.store.ApiKeyRow;
import dev.jobkit.runtime.internal.store.DependencyEdge;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobFilter;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore.ImportOutcome;
import dev.jobkit.runtime.internal.store.JobStore.ImportOutcomes;
import dev.jobkit.runtime.internal.store.LogLine;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StoredBatch;
import dev.jobkit.runtime.internal.store.StoredEdge;
import dev.jobkit.runtime.internal.store.StoredJob;
import dev.jobkit.runtime.internal.store.TableCounts;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectJoinStep;
import org.jooq.impl.DSL;
import org.sqlite.SQLiteConfig;

/**
 * Backup, export, import and migration for {@link SqlJobStore}: reading jobs with their events and
 * logs in id order, and writing them back exactly, every column and (for a migration) every event
 * and log id. One implementation for both databases; {@link Dialect#overridingIds()} and {@link
 * Dialect#idsInserted} are the only differences.
 */
final class SqlTransfer {
  /** Chunk size for IN lists, well under both databases' bound-variable limits. */
  private static final int IN_CHUNK = 500;

  private final SqlJobStore store;
  private final Database db;
  private final Tables t;
  private final String sqlInsertJob;
  private final String sqlInsertEventWithId;
  private final String sqlInsertEvent;
  private final String sqlInsertLogWithId;
  private final String sqlInsertLog;
  private final String sqlInsertTag;

  SqlTransfer(SqlJobStore store) {
    this.store = store;
    this.db = store.db;
    this.t = store.t;
    String columns = J_ALL.stream().map(Field::getName).collect(Collectors.joining(", "));
    String marks = J_ALL.stream().map(f -> "?").collect(Collectors.joining(", "));
    this.sqlInsertJob = "INSERT INTO " + t.jobsSql + " (" + columns + ") VALUES (" + marks + ")";
    String ids = store.dialect.overridingIds();
    this.sqlInsertEventWithId =
        "INSERT INTO "
            + t.eventsSql
            + " (id, job_id, at, type, from_status, to_status, detail, actor)"
            + ids
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    this.sqlInsertEvent =
        "INSERT INTO "
            + t.eventsSql
            + " (job_id, at, type, from_status, to_status, detail, actor)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    this.sqlInsertLogWithId =
        "INSERT INTO "
            + t.logsSql
            + " (id, job_id, at, level, message, attempt, trace_id)"
            + ids
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    this.sqlInsertLog =
        "INSERT INTO "
            + t.logsSql
            + " (job_id, at, level, message, attempt, trace_id) VALUES (?, ?, ?, ?, ?, ?)";
    this.sqlInsertTag = "INSERT INTO " + t.tagsSql + " (tag, job_id) VALUES (?, ?)";
  }

  // ---------------------------------------------------------------- export

  List<StoredJob> exportJobs(JobFilter f, String afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<Condition> where = conditions(f);
    if (afterId != null) {
      where.add(J_ID.gt(afterId));
    }
    List<Field<?>> columns = new ArrayList<>(J_ALL);
    columns.add(J_BATCH_ID); // #12 batches
    return db.read(
        (ctx, c) -> {
          SelectJoinStep<Record> from = ctx.select(columns).from(t.jobs);
          if (f.tag() != null) {
            from = from.join(t.tags).on(T_JOB_ID.eq(J_ID)).and(T_TAG.eq(f.tag()));
          }
          Map<String, String> batchOf = new HashMap<>();
          List<JobRow> rows =
              from.where(where)
                  .orderBy(J_ID)
                  .limit(limit)
                  .fetch(
                      r -> {
                        JobRow row = SqlJobStore.toRow(r);
                        if (r.get(J_BATCH_ID) != null) {
                          batchOf.put(row.id(), r.get(J_BATCH_ID));
                        }
                        return row;
                      });
          return withDetails(ctx, rows, batchOf);
        });
  }

  /** The conditions of {@code f} on {@code jobkit_jobs}, without its tag (a join). */
  private static List<Condition> conditions(JobFilter f) {
    List<Condition> where = new ArrayList<>();
    if (!f.statuses().isEmpty()) {
      where.add(J_STATUS.in(f.statuses().stream().map(Enum::name).sorted().toList()));
    }
    if (!f.names().isEmpty()) {
      where.add(J_NAME.in(f.names()));
    }
    if (f.queue() != null) {
      where.add(J_QUEUE.eq(f.queue()));
    }
    if (f.tenant() != null) { // #14 tenants
      where.addAll(SqlJobStore.tenantIs(f.tenant()));
    }
    if (f.createdFrom() != null) {
      where.add(J_CREATED_AT.ge(f.createdFrom()));
    }
    if (f.createdTo() != null) {
      where.add(J_CREATED_AT.lt(f.createdTo()));
    }
    return where;
  }

  /** {@code rows} with their events, logs, parent edges and batches, read in {@code ctx}. */
  private List<StoredJob> withDetails(
      DSLContext ctx, List<JobRow> rows, Map<String, String> batchOf) {
    List<String> ids = rows.stream().map(JobRow::id).toList();
    Map<String, List<JobEvent>> events = new HashMap<>();
    Map<String, List<LogLine>> logs = new HashMap<>();
    Map<String, List<StoredEdge>> parents = new HashMap<>();
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
      ctx.select(E_ID, E_JOB_ID, E_AT, E_TYPE, E_FROM, E_TO, E_DETAIL, E_ACTOR)
          .from(t.events)
          .where(E_JOB_ID.in(chunk))
          .orderBy(E_ID)
          .fetch(SqlJobStore::toEvent)
          .forEach(e -> events.computeIfAbsent(e.jobId(), k -> new ArrayList<>()).add(e));
      ctx.select(L_ID, L_JOB_ID, L_AT, L_LEVEL, L_MESSAGE, L_ATTEMPT, L_TRACE_ID)
          .from(t.logs)
          .where(L_JOB_ID.in(chunk))
          .orderBy(L_ID)
          .fetch(SqlJobStore::toLogLine)
          .forEach(l -> logs.computeIfAbsent(l.jobId(), k -> new ArrayList<>()).add(l));
      // #12 dependencies: the child's edges go with it, in their order.
      ctx.select(D_CHILD_ID, D_PARENT_ID, D_POSITION, D_ON_FAILURE, D_STATE)
          .from(t.deps)
          .where(D_CHILD_ID.in(chunk))
          .orderBy(D_CHILD_ID, D_POSITION, D_PARENT_ID)
          .fetch()
          .forEach(
              d ->
                  parents
                      .computeIfAbsent(d.value1(), k -> new ArrayList<>())
                      .add(
                          new StoredEdge(
                              d.value2(),
                              d.value3(),
                              DependencyEdge.OnFailure.valueOf(d.value4()),
                              DependencyEdge.State.valueOf(d.value5()))));
    }
    List<StoredJob> out = new ArrayList<>(rows.size());
    for (JobRow r : rows) {
      out.add(
          new StoredJob(
              r,
              events.getOrDefault(r.id(), List.of()),
              logs.getOrDefault(r.id(), List.of()),
              parents.getOrDefault(r.id(), List.of()),
              batchOf.get(r.id())));
    }
    return out;
  }

  // ---------------------------------------------------------------- batches (#12)

  List<StoredBatch> exportBatches(JobFilter f, String afterId, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<Condition> where = new ArrayList<>();
    if (afterId != null) {
      where.add(SqlBatches.B_ID.gt(afterId));
    }
    if (f.tenant() != null) {
      where.add(SqlBatches.B_TENANT.eq(f.tenant()));
    }
    JobFilter unscoped =
        new JobFilter(
            f.statuses(),
            f.names(),
            f.tag(),
            f.queue(),
            f.createdFrom(),
            f.createdTo(),
            null,
            null);
    boolean all = unscoped.equals(JobFilter.all());
    return db.read(
        (ctx, c) -> {
          if (!all) {
            // Batches with a member or a callback that the filter exports.
            List<Condition> jobs = conditions(unscoped);
            List<Condition> memberWhere = new ArrayList<>(jobs);
            memberWhere.add(J_BATCH_ID.isNotNull());
            where.add(
                DSL.or(
                    SqlBatches.B_ID.in(
                        f.tag() == null
                            ? ctx.select(J_BATCH_ID).from(t.jobs).where(memberWhere)
                            : ctx.select(J_BATCH_ID)
                                .from(t.jobs)
                                .join(t.tags)
                                .on(T_JOB_ID.eq(J_ID))
                                .and(T_TAG.eq(f.tag()))
                                .where(memberWhere)),
                    callbackIn(ctx, SqlBatches.B_ON_SUCCESS, f, jobs),
                    callbackIn(ctx, SqlBatches.B_ON_FAILURE, f, jobs),
                    callbackIn(ctx, SqlBatches.B_ON_COMPLETE, f, jobs)));
          }
          return ctx.select(SqlBatches.ALL)
              .from(t.batches)
              .where(where)
              .orderBy(SqlBatches.B_ID)
              .limit(limit)
              .fetch(SqlTransfer::toBatch);
        });
  }

  private Condition callbackIn(
      DSLContext ctx, Field<String> callback, JobFilter f, List<Condition> jobs) {
    return callback.in(
        f.tag() == null
            ? ctx.select(J_ID).from(t.jobs).where(jobs)
            : ctx.select(J_ID)
                .from(t.jobs)
                .join(t.tags)
                .on(T_JOB_ID.eq(J_ID))
                .and(T_TAG.eq(f.tag()))
                .where(jobs));
  }

  List<StoredBatch> batchesById(Collection<String> ids) {
    List<String> list = new ArrayList<>(new TreeSet<>(ids));
    if (list.isEmpty()) {
      return List.of();
    }
    return db.read(
        (ctx, c) -> {
          List<StoredBatch> out = new ArrayList<>();
          for (int i = 0; i < list.size(); i += IN_CHUNK) {
            out.addAll(
                ctx.select(SqlBatches.ALL)
                    .from(t.batches)
                    .where(SqlBatches.B_ID.in(list.subList(i, Math.min(list.size(), i + IN_CHUNK))))
                    .orderBy(SqlBatches.B_ID)
                    .fetch(SqlTransfer::toBatch));
          }
          return out;
        });
  }

  private static StoredBatch toBatch(Record r) {
    return new StoredBatch(
        r.get(SqlBatches.B_ID),
        r.get(SqlBatches.B_NAME),
        r.get(SqlBatches.B_DESCRIPTION),
        r.get(SqlBatches.B_STATE),
        r.get(SqlBatches.B_TOTAL),
        r.get(SqlBatches.B_COMPLETED),
        r.get(SqlBatches.B_FAILED),
        r.get(SqlBatches.B_CANCELLED),
        r.get(SqlBatches.B_ON_SUCCESS),
        r.get(SqlBatches.B_ON_FAILURE),
        r.get(SqlBatches.B_ON_COMPLETE),
        r.get(SqlBatches.B_CREATED_AT),
        r.get(SqlBatches.B_CREATED_BY),
        r.get(SqlBatches.B_FINISHED_AT),
        r.get(SqlBatches.B_TENANT));
  }

  /**
   * Writes batch rows, in the caller's transaction: an id that exists is replaced when {@code
   * replace} (the row deleted and inserted again), else left as it is.
   */
  private List<ImportOutcome> insertBatches(
      DSLContext ctx, List<StoredBatch> batches, boolean replace) {
    List<ImportOutcome> outcomes = new ArrayList<>(batches.size());
    if (batches.isEmpty()) {
      return outcomes;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (StoredBatch b : batches) {
      if (!seen.add(b.id())) {
        throw new JobException(
            "batch " + b.id() + " is given twice; each batch id may appear once");
      }
    }
    List<String> ids = new ArrayList<>(seen);
    Set<String> existing = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      existing.addAll(
          ctx.select(SqlBatches.B_ID)
              .from(t.batches)
              .where(SqlBatches.B_ID.in(ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
              .fetch(SqlBatches.B_ID));
    }
    for (StoredBatch b : batches) {
      boolean exists = existing.contains(b.id());
      if (exists && !replace) {
        outcomes.add(ImportOutcome.SKIPPED);
        continue;
      }
      if (exists) {
        ctx.deleteFrom(t.batches).where(SqlBatches.B_ID.eq(b.id())).execute();
      }
      ctx.insertInto(t.batches)
          .set(SqlBatches.B_ID, b.id())
          .set(SqlBatches.B_NAME, b.name())
          .set(SqlBatches.B_DESCRIPTION, b.description())
          .set(SqlBatches.B_STATE, b.state())
          .set(SqlBatches.B_TOTAL, b.total())
          .set(SqlBatches.B_COMPLETED, b.completed())
          .set(SqlBatches.B_FAILED, b.failed())
          .set(SqlBatches.B_CANCELLED, b.cancelled())
          .set(SqlBatches.B_ON_SUCCESS, b.onSuccess())
          .set(SqlBatches.B_ON_FAILURE, b.onFailure())
          .set(SqlBatches.B_ON_COMPLETE, b.onComplete())
          .set(SqlBatches.B_CREATED_AT, b.createdAt())
          .set(SqlBatches.B_CREATED_BY, b.createdBy())
          .set(SqlBatches.B_FINISHED_AT, b.finishedAt())
          .set(SqlBatches.B_TENANT, b.tenant())
          .execute();
      outcomes.add(exists ? ImportOutcome.REPLACED : ImportOutcome.INSERTED);
    }
    return outcomes;
  }

  /**
   * The members among the jobs written keep their batch and get {@code has_children}, which routes
   * their end to the batch's counts ({@link SqlBatches#ended}).
   */
  private void setBatches(Connection c, List<StoredJob> writing) throws SQLException {
    List<StoredJob> members = writing.stream().filter(j -> j.batchId() != null).toList();
    if (members.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE " + t.jobsSql + " SET batch_id = ?, has_children = ? WHERE id = ?")) {
      for (StoredJob j : members) {
        ps.setString(1, j.batchId());
        ps.setBoolean(2, true);
        ps.setString(3, j.row().id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ---------------------------------------------------------------- import

  ImportOutcomes importJobs(
      List<StoredJob> jobs,
      List<StoredBatch> batches,
      boolean replace,
      boolean keepRowIds,
      long now) {
    if (jobs.isEmpty() && batches.isEmpty()) {
      return new ImportOutcomes(List.of(), List.of());
    }
    return db.write(
        (ctx, c) -> {
          // #12 batches: their rows first, so that the members' ends find them.
          List<ImportOutcome> batchOutcomes = insertBatches(ctx, batches, replace);
          List<String> ids = jobs.stream().map(j -> j.row().id()).toList();
          Set<String> existing = existingIds(ctx, ids);
          List<ImportOutcome> outcomes = new ArrayList<>(jobs.size());
          List<StoredJob> writing = new ArrayList<>(jobs.size());
          Set<String> seen = new LinkedHashSet<>();
          for (StoredJob j : jobs) {
            String id = j.row().id();
            if (!seen.add(id)) {
              throw new JobException("job " + id + " is given twice; each job id may appear once");
            }
            if (!existing.contains(id)) {
              outcomes.add(ImportOutcome.INSERTED);
              writing.add(j);
            } else if (replace) {
              outcomes.add(ImportOutcome.REPLACED);
              writing.add(j);
            } else {
              outcomes.add(ImportOutcome.SKIPPED);
            }
          }
          List<String> replaced =
              writing.stream().map(j -> j.row().id()).filter(existing::contains).toList();
          for (int i = 0; i < replaced.size(); i += IN_CHUNK) {
            // Events, logs and tags go with the job (ON DELETE CASCADE).
            ctx.deleteFrom(t.jobs)
                .where(J_ID.in(replaced.subList(i, Math.min(replaced.size(), i + IN_CHUNK))))
                .execute();
          }
          checkKeys(ctx, writing);
          insertRows(c, writing, keepRowIds);
          insertEdges(ctx, writing);
          setBatches(c, writing);
          Set<String> touched = new TreeSet<>();
          for (int i = 0; i < batches.size(); i++) {
            if (batchOutcomes.get(i) != ImportOutcome.SKIPPED) {
              touched.add(batches.get(i).id());
            }
          }
          writing.stream().map(StoredJob::batchId).filter(b -> b != null).forEach(touched::add);
          store.batches.settle(ctx, c, touched, now);
          return new ImportOutcomes(outcomes, batchOutcomes);
        });
  }

  /**
   * #12 dependencies: the parent edges of the jobs written (a replaced job's old edges went with
   * its row), then {@code has_children} recomputed from the edges present: set on each stored
   * parent of a new edge, and on each job written that is a parent of an edge already stored (its
   * children came first).
   */
  private void insertEdges(DSLContext ctx, List<StoredJob> writing) {
    if (writing.isEmpty()) {
      return;
    }
    Set<String> parents = new LinkedHashSet<>();
    List<Object[]> rows = new ArrayList<>();
    for (StoredJob j : writing) {
      for (StoredEdge e : j.parents()) {
        rows.add(
            new Object[] {
              j.row().id(), e.parentId(), e.position(), e.onFailure().name(), e.state().name()
            });
        parents.add(e.parentId());
      }
    }
    if (!rows.isEmpty()) {
      var insert =
          ctx.batch(
              ctx.insertInto(t.deps, D_CHILD_ID, D_PARENT_ID, D_POSITION, D_ON_FAILURE, D_STATE)
                  .values((String) null, null, null, null, null));
      for (Object[] row : rows) {
        insert.bind(row);
      }
      insert.execute();
    }
    List<String> parentList = new ArrayList<>(parents);
    for (int i = 0; i < parentList.size(); i += IN_CHUNK) {
      ctx.update(t.jobs)
          .set(J_HAS_CHILDREN, true)
          .where(J_ID.in(parentList.subList(i, Math.min(parentList.size(), i + IN_CHUNK))))
          .and(J_HAS_CHILDREN.isFalse())
          .execute();
    }
    List<String> ids = writing.stream().map(j -> j.row().id()).toList();
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
      ctx.update(t.jobs)
          .set(J_HAS_CHILDREN, true)
          .where(J_ID.in(chunk))
          .and(J_HAS_CHILDREN.isFalse())
          .and(J_ID.in(ctx.select(D_PARENT_ID).from(t.deps).where(D_PARENT_ID.in(chunk))))
          .execute();
    }
  }

  private Set<String> existingIds(DSLContext ctx, List<String> ids) {
    Set<String> found = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      found.addAll(
          ctx.select(J_ID)
              .from(t.jobs)
              .where(J_ID.in(ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
              .fetch(J_ID));
    }
    return found;
  }

  /** Refuses, naming both jobs, an idempotency key that another stored job holds. */
  private void checkKeys(DSLContext ctx, List<StoredJob> writing) {
    List<String> keys =
        writing.stream()
            .map(j -> j.row().idempotencyKey())
            .filter(k -> k != null)
            .distinct()
            .toList();
    Map<String, String> holder = store.idsOfKeys(ctx, keys);
    Map<String, String> inBatch = new HashMap<>();
    for (StoredJob j : writing) {
      String key = j.row().idempotencyKey();
      if (key == null) {
        continue;
      }
      String other = holder.get(key);
      if (other == null) {
        other = inBatch.putIfAbsent(key, j.row().id());
      }
      if (other != null && !other.equals(j.row().id())) {
        throw new JobException(
            "job "
                + j.row().id()
                + ": its idempotency key '"
                + key
                + "' is held by job "
                + other
                + " already; an idempotency key names one job");
      }
    }
  }

  private void insertRows(Connection c, List<StoredJob> jobs, boolean keepRowIds)
      throws SQLException {
    if (jobs.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sqlInsertJob)) {
      for (StoredJob j : jobs) {
        bindRow(ps, j.row());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(sqlInsertTag)) {
      int n = 0;
      for (StoredJob j : jobs) {
        for (String tag : new LinkedHashSet<>(j.row().tags())) {
          ps.setString(1, tag);
          ps.setString(2, j.row().id());
          ps.addBatch();
          n++;
        }
      }
      if (n > 0) {
        ps.executeBatch();
      }
    }
    boolean anyEvent = false;
    try (PreparedStatement ps =
        c.prepareStatement(keepRowIds ? sqlInsertEventWithId : sqlInsertEvent)) {
      for (StoredJob j : jobs) {
        for (JobEvent e : j.events()) {
          int i = 1;
          if (keepRowIds) {
            ps.setLong(i++, e.id());
          }
          ps.setString(i++, j.row().id());
          ps.setLong(i++, e.at());
          ps.setString(i++, e.type().name());
          ps.setString(i++, e.from() == null ? null : e.from().name());
          ps.setString(i++, e.to() == null ? null : e.to().name());
          ps.setString(i++, e.detail());
          ps.setString(i, e.actor());
          ps.addBatch();
          anyEvent = true;
        }
      }
      if (anyEvent) {
        ps.executeBatch();
      }
    }
    boolean anyLog = false;
    try (PreparedStatement ps =
        c.prepareStatement(keepRowIds ? sqlInsertLogWithId : sqlInsertLog)) {
      for (StoredJob j : jobs) {
        for (LogLine l : j.logs()) {
          int i = 1;
          if (keepRowIds) {
            ps.setLong(i++, l.id());
          }
          ps.setString(i++, j.row().id());
          ps.setLong(i++, l.at());
          ps.setInt(i++, SqlJobStore.levelCode(l.level()));
          ps.setString(i++, l.message());
          ps.setInt(i++, l.attempt());
          ps.setString(i, l.traceId()); // #13 tracing
          ps.addBatch();
          anyLog = true;
        }
      }
      if (anyLog) {
        ps.executeBatch();
      }
    }
    if (keepRowIds && (anyEvent || anyLog)) {
      store.dialect.idsInserted(c, t);
    }
  }

  /** The row's 29 columns in {@link Tables#J_ALL}'s order. */
  private static void bindRow(PreparedStatement ps, JobRow r) throws SQLException {
    int i = 1;
    ps.setString(i++, r.id());
    ps.setString(i++, r.name());
    ps.setBytes(i++, r.params());
    ps.setBytes(i++, r.state());
    ps.setLong(i++, r.stateVersion());
    ps.setString(i++, r.status().name());
    ps.setInt(i++, SqlJobStore.priorityCode(r.priority()));
    ps.setString(i++, r.queue());
    ps.setInt(i++, r.attempts());
    ps.setInt(i++, r.maxAttempts());
    ps.setLong(i++, r.runAt());
    ps.setString(i++, r.leaseOwner());
    if (r.leaseExpiresAt() == 0) {
      ps.setNull(i++, Types.BIGINT);
    } else {
      ps.setLong(i++, r.leaseExpiresAt());
    }
    ps.setLong(i++, r.leaseEpoch());
    ps.setBoolean(i++, r.cancelRequested());
    ps.setBoolean(i++, r.pauseRequested());
    ps.setBoolean(i++, r.resumed());
    ps.setString(i++, r.progress());
    ps.setString(i++, r.output());
    ps.setString(i++, r.error());
    ps.setString(i++, SqlJobStore.encodeTags(r.tags()));
    ps.setString(i++, r.idempotencyKey());
    ps.setLong(i++, r.timeoutMs());
    ps.setLong(i++, r.createdAt());
    ps.setLong(i++, r.startedAt());
    ps.setLong(i++, r.finishedAt());
    ps.setLong(i++, r.updatedAt());
    ps.setLong(i++, r.backoffMs());
    ps.setString(i++, r.createdBy());
    ps.setString(i, r.tenant()); // #14 tenants
  }

  void importApiKeys(List<ApiKeyRow> keys) {
    if (keys.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO "
            + t.apiKeysSql
            + " (id, name, role, secret_hash, created_at, created_by, last_used_at, revoked_at,"
            + " tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    db.write(
        (ctx, c) -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (ApiKeyRow k : keys) {
              ps.setString(1, k.id());
              ps.setString(2, k.name());
              ps.setString(3, k.role());
              ps.setString(4, k.secretHash());
              ps.setLong(5, k.createdAt());
              ps.setString(6, k.createdBy());
              ps.setLong(7, k.lastUsedAt());
              ps.setLong(8, k.revokedAt());
              ps.setString(9, k.tenant());
              ps.addBatch();
            }
            return ps.executeBatch();
          }
        });
  }

  // ---------------------------------------------------------------- checks

  TableCounts tableCounts() {
    return db.read(
        (ctx, c) ->
            new TableCounts(
                ctx.fetchCount(t.jobs),
                ctx.fetchCount(t.events),
                ctx.fetchCount(t.logs),
                ctx.fetchCount(t.tags),
                ctx.fetchCount(t.apiKeys),
                ctx.fetchCount(t.deps),
                ctx.fetchCount(t.batches)));
  }

  List<String> liveRunningJobs(long now, int limit) {
    return db.read(
        (ctx, c) ->
            ctx.select(J_ID)
                .from(t.jobs)
                .where(SqlJobStore.IS_RUNNING)
                .and(J_LEASE_EXPIRES_AT.ge(now))
                .orderBy(J_ID)
                .limit(limit)
                .fetch(J_ID));
  }

  // ---------------------------------------------------------------- backup

  /**
   * {@code VACUUM INTO} a new file next to {@code file}, on a connection of its own, then moves it
   * into place. {@code VACUUM INTO} reads one snapshot in one read transaction: under WAL it never
   * blocks the writers (they append to the WAL meanwhile), and the copy is compacted and needs no
   * -wal file. The online backup API would restart its copy whenever another connection writes, so
   * under busy workers it might never finish.
   */
  void backup(Path file, boolean overwrite) {
    if (!(db instanceof SqliteDatabase sqlite)) {
      throw new UnsupportedOperationException(
          "backup copies SQLite databases; for PostgreSQL use pg_dump (a logical copy) or"
              + " pg_basebackup (the whole server)");
    }
    Path source = sqlite.file().toAbsolutePath();
    Path target = file.toAbsolutePath();
    if (target.equals(source)) {
      throw new StorageException(
          StorageException.Reason.OTHER,
          "Backup target " + target + " is the database itself; choose another file",
          null);
    }
    if (Files.exists(target) && !overwrite) {
      throw new StorageException(
          StorageException.Reason.OTHER,
          "Backup target " + target + " exists; choose another file, or allow overwriting it",
          null);
    }
    Path wal = target.resolveSibling(target.getFileName() + "-wal");
    if (Files.exists(wal)) {
      // SQLite would apply that log to the new copy when opening it, corrupting it.
      throw new StorageException(
          StorageException.Reason.OTHER,
          "Backup target "
              + target
              + " has a write-ahead log "
              + wal
              + " (a process may have it open); stop that process, or choose another file",
          null);
    }
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new StorageException(
          StorageException.Reason.DIRECTORY_MISSING,
          "Cannot write the backup " + target + ": the directory " + dir + " does not exist",
          null);
    }
    Path partial = dir.resolve("." + target.getFileName() + ".partial-" + System.nanoTime());
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(10_000);
      try (Connection c = config.createConnection("jdbc:sqlite:" + source);
          PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
        ps.setString(1, partial.toString());
        ps.execute();
      } catch (SQLException e) {
        throw SqliteErrors.translate(source, e);
      }
      if (overwrite) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(partial, target);
      }
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(
          StorageException.Reason.OTHER,
          "Backup target " + target + " appeared while the copy was written; it was left alone",
          e);
    } catch (IOException e) {
      throw new StorageException(
          StorageException.Reason.OTHER,
          "Cannot write the backup " + target + ": " + e.getMessage(),
          e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        // A leftover hidden partial file is harmless; the error that matters is already thrown.
      }
    }
  }
}
