package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.Tables.J_ALL;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_BATCH_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ERROR;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_FINISHED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_HAS_CHILDREN;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_IDEMPOTENCY_KEY;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_PROGRESS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_QUEUE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_RUN_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_UPDATED_AT;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.state.JobTransitions;
import dev.jobkit.runtime.internal.store.BatchRow;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.NewBatch;
import dev.jobkit.runtime.internal.store.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Batches of jobs with callbacks (#12), the same SQL on both databases: {@code jobkit_batches} and
 * {@code jobkit_jobs.batch_id}.
 *
 * <p>A batch's counts follow its members in the transaction of each member's change: {@link #ended}
 * when members reach a final status (called by {@link SqlDependencies#ended} for every round,
 * because members carry the {@code has_children} flag that routes a job's end there), and {@link
 * #reopened} when a retry takes one out of it. The transaction that brings the counts to the total
 * while the batch is RUNNING makes it final ({@code UPDATE ... WHERE state = 'RUNNING'}) and, in
 * the same transaction, queues the callback jobs that apply and cancels the others. On PostgreSQL
 * the batch row is locked by that counts {@code UPDATE}, so two transactions that end the last two
 * members at once are serialized: the second sees the first's count, and only it fires. A crash
 * before the commit leaves nothing; after it, the queued callbacks are stored.
 */
final class SqlBatches {
  static final Field<String> B_ID = field(name("id"), String.class);
  static final Field<String> B_NAME = field(name("name"), String.class);
  static final Field<String> B_DESCRIPTION = field(name("description"), String.class);
  static final Field<String> B_STATE = field(name("state"), String.class);
  static final Field<Integer> B_TOTAL = field(name("total"), Integer.class);
  static final Field<Integer> B_COMPLETED = field(name("completed"), Integer.class);
  static final Field<Integer> B_FAILED = field(name("failed"), Integer.class);
  static final Field<Integer> B_CANCELLED = field(name("cancelled"), Integer.class);
  static final Field<String> B_ON_SUCCESS = field(name("on_success"), String.class);
  static final Field<String> B_ON_FAILURE = field(name("on_failure"), String.class);
  static final Field<String> B_ON_COMPLETE = field(name("on_complete"), String.class);
  static final Field<Long> B_CREATED_AT = field(name("created_at"), Long.class);
  static final Field<String> B_CREATED_BY = field(name("created_by"), String.class);
  static final Field<Long> B_FINISHED_AT = field(name("finished_at"), Long.class);
  static final Field<String> B_TENANT = field(name("tenant"), String.class); // #14 tenants

  static final List<Field<?>> ALL =
      List.of(
          B_ID,
          B_NAME,
          B_DESCRIPTION,
          B_STATE,
          B_TOTAL,
          B_COMPLETED,
          B_FAILED,
          B_CANCELLED,
          B_ON_SUCCESS,
          B_ON_FAILURE,
          B_ON_COMPLETE,
          B_CREATED_AT,
          B_CREATED_BY,
          B_FINISHED_AT,
          B_TENANT);

  static final String RUNNING = "RUNNING";
  static final String SUCCEEDED = "SUCCEEDED";
  static final String FAILED = "FAILED";

  private static final int IN_CHUNK = 500;
  private static final Pattern PERCENT = Pattern.compile("\"percent\":([0-9.eE+-]+)");

  private final SqlJobStore store;

  SqlBatches(SqlJobStore store) {
    this.store = store;
  }

  /** The idempotency key of a batch's callback: {@code batch:<id>:success} and so on. */
  static String callbackKey(String batchId, String kind) {
    return "batch:" + batchId + ":" + kind;
  }

  // ---------------------------------------------------------------- insert

  List<InsertResult> insert(NewBatch b, long now) {
    Set<String> dueQueues = new LinkedHashSet<>();
    List<InsertResult> results =
        store.db.write(
            (ctx, c) -> {
              dueQueues.clear();
              List<NewJob> all = new ArrayList<>(b.members());
              for (NewJob cb : new NewJob[] {b.onSuccess(), b.onFailure(), b.onComplete()}) {
                if (cb != null) {
                  all.add(cb);
                }
              }
              // #14 tenants: quotas (callbacks count: they wait), audit, max-running key
              List<NewJob> a = store.tenants.admit(ctx, c, all, b.createdBy(), now);
              int m = b.members().size();
              int k = m;
              NewJob success = b.onSuccess() == null ? null : a.get(k++);
              NewJob failure = b.onFailure() == null ? null : a.get(k++);
              NewJob complete = b.onComplete() == null ? null : a.get(k++);
              NewBatch admitted =
                  new NewBatch(
                      b.id(),
                      b.name(),
                      b.description(),
                      b.createdBy(),
                      a.subList(0, m),
                      b.edges(),
                      success,
                      failure,
                      complete);
              return insertIn(ctx, c, admitted, now, dueQueues);
            });
    if (!dueQueues.isEmpty()) {
      store.dispatched(dueQueues);
    }
    return results;
  }

  private List<InsertResult> insertIn(
      DSLContext ctx, Connection c, NewBatch b, long now, Set<String> dueQueues)
      throws SQLException {
    List<InsertResult> results =
        store.deps.insertGraphIn(ctx, c, b.members(), b.edges(), now, dueQueues);
    List<String> members = new ArrayList<>();
    for (InsertResult r : results) {
      if (r.created()) {
        members.add(r.id());
      }
    }
    // Members carry has_children so that their end takes the path that tells the batch.
    for (int i = 0; i < members.size(); i += IN_CHUNK) {
      ctx.update(store.t.jobs)
          .set(J_BATCH_ID, b.id())
          .set(J_HAS_CHILDREN, true)
          .where(J_ID.in(members.subList(i, Math.min(members.size(), i + IN_CHUNK))))
          .execute();
    }
    String[] callbacks = new String[3];
    NewJob[] given = {b.onSuccess(), b.onFailure(), b.onComplete()};
    String[] kinds = {"success", "failure", "complete"};
    List<NewJob> cbJobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (given[i] != null) {
        NewJob j = given[i].withIdempotencyKey(callbackKey(b.id(), kinds[i]));
        cbJobs.add(j);
        callbacks[i] = j.id();
      }
    }
    if (!cbJobs.isEmpty()) {
      // A callback waits for its batch, inserted WAITING; its creation is its row, so no event.
      store.insertRowsIn(
          ctx, c, cbJobs, now, cbJobs.stream().map(NewJob::id).collect(Collectors.toSet()));
    }
    // Members a stored parent's failure ended already count at once.
    int[] counts = new int[3];
    if (!members.isEmpty()) {
      ctx.select(J_STATUS, org.jooq.impl.DSL.count())
          .from(store.t.jobs)
          .where(J_BATCH_ID.eq(b.id()))
          .groupBy(J_STATUS)
          .fetch()
          .forEach(
              r -> {
                int k = column(JobStatus.valueOf(r.value1()));
                if (k >= 0) {
                  counts[k] += r.value2();
                }
              });
    }
    ctx.insertInto(store.t.batches)
        .set(B_ID, b.id())
        .set(B_NAME, b.name())
        .set(B_DESCRIPTION, b.description())
        .set(B_STATE, RUNNING)
        .set(B_TOTAL, members.size())
        .set(B_COMPLETED, counts[0])
        .set(B_FAILED, counts[1])
        .set(B_CANCELLED, counts[2])
        .set(B_ON_SUCCESS, callbacks[0])
        .set(B_ON_FAILURE, callbacks[1])
        .set(B_ON_COMPLETE, callbacks[2])
        .set(B_CREATED_AT, now)
        .set(B_CREATED_BY, b.createdBy())
        .set(B_FINISHED_AT, 0L)
        .set(B_TENANT, b.members().get(0).tenant()) // #14: one tenant per batch (JobBatch)
        .execute();
    if (counts[0] + counts[1] + counts[2] == members.size()) {
      finish(ctx, c, b.id(), now);
    }
    return results;
  }

  /** The counts column a final status adds to: 0 completed, 1 failed, 2 cancelled, else -1. */
  private static int column(JobStatus s) {
    return switch (s) {
      case COMPLETED -> 0;
      case FAILED, TIMED_OUT -> 1;
      case CANCELLED -> 2;
      default -> -1;
    };
  }

  private static Field<Integer> countField(int column) {
    return column == 0 ? B_COMPLETED : column == 1 ? B_FAILED : B_CANCELLED;
  }

  // ---------------------------------------------------------------- members ending

  /**
   * After jobs with the {@code has_children} flag reached the statuses of {@code ended} (each from
   * a status that is not final) in the caller's transaction: adds the members among them to their
   * batches' counts, and makes final each batch whose members are now all final.
   */
  void ended(DSLContext ctx, Connection c, Map<String, JobStatus> ended, long now)
      throws SQLException {
    List<String> ids = new ArrayList<>(ended.keySet());
    Map<String, int[]> delta = new TreeMap<>(); // batch id -> counts to add; sorted: lock order
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      ctx.select(J_ID, J_BATCH_ID)
          .from(store.t.jobs)
          .where(J_ID.in(ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
          .and(J_BATCH_ID.isNotNull())
          .fetch()
          .forEach(
              r -> {
                int k = column(ended.get(r.value1()));
                if (k >= 0) {
                  delta.computeIfAbsent(r.value2(), x -> new int[3])[k]++;
                }
              });
    }
    for (Map.Entry<String, int[]> e : delta.entrySet()) {
      int[] d = e.getValue();
      // The UPDATE locks the batch row (PostgreSQL) until the commit: a transaction ending
      // another member waits here, then adds to the count this one committed.
      ctx.update(store.t.batches)
          .set(B_COMPLETED, B_COMPLETED.plus(d[0]))
          .set(B_FAILED, B_FAILED.plus(d[1]))
          .set(B_CANCELLED, B_CANCELLED.plus(d[2]))
          .where(B_ID.eq(e.getKey()))
          .execute();
      Record r =
          ctx.select(B_STATE, B_TOTAL, B_COMPLETED, B_FAILED, B_CANCELLED)
              .from(store.t.batches)
              .where(B_ID.eq(e.getKey()))
              .fetchOne();
      if (r != null
          && RUNNING.equals(r.get(B_STATE))
          && r.get(B_COMPLETED) + r.get(B_FAILED) + r.get(B_CANCELLED) >= r.get(B_TOTAL)) {
        finish(ctx, c, e.getKey(), now);
      }
    }
  }

  /**
   * After a retry took job {@code id} out of the final status {@code from} in the caller's
   * transaction: if it is a member, its batch's count of {@code from} goes down. A batch that is
   * final stays final (its callbacks fired once); the counts keep following the members.
   */
  void reopened(DSLContext ctx, String id, JobStatus from) {
    int k = column(from);
    if (k < 0) {
      return;
    }
    String batch =
        ctx.select(J_BATCH_ID).from(store.t.jobs).where(J_ID.eq(id)).fetchOne(J_BATCH_ID);
    if (batch == null) {
      return;
    }
    Field<Integer> f = countField(k);
    ctx.update(store.t.batches)
        .set(f, org.jooq.impl.DSL.greatest(f.minus(1), org.jooq.impl.DSL.inline(0)))
        .where(B_ID.eq(batch))
        .execute();
  }

  /**
   * After an import wrote batch rows or members (#12 batches, {@link SqlTransfer}), in its
   * transaction: each of {@code batchIds} whose members are all stored here gets its counts from
   * their statuses (an export reads a batch and its members at different moments, and a member
   * exported RUNNING is imported QUEUED or CANCELLED), and a RUNNING one whose members are all
   * final is made final at {@code now}, its callbacks queued or cancelled. A batch that lacks
   * members here (deleted by retention, or left out of the export) keeps the counts it came with.
   */
  void settle(DSLContext ctx, Connection c, Set<String> batchIds, long now) throws SQLException {
    for (String id : new java.util.TreeSet<>(batchIds)) { // in id order: the lock order
      Record b = ctx.select(B_STATE, B_TOTAL).from(store.t.batches).where(B_ID.eq(id)).fetchOne();
      if (b == null) {
        continue; // members of a batch that is not here: they keep their batch_id only
      }
      int[] counts = new int[3];
      int present = 0;
      for (Record r :
          ctx.select(J_STATUS, DSL.count())
              .from(store.t.jobs)
              .where(J_BATCH_ID.eq(id))
              .groupBy(J_STATUS)
              .fetch()) {
        int n = r.get(1, Integer.class);
        present += n;
        int k = column(JobStatus.valueOf(r.get(J_STATUS)));
        if (k >= 0) {
          counts[k] += n;
        }
      }
      if (present != b.get(B_TOTAL)) {
        continue;
      }
      ctx.update(store.t.batches)
          .set(B_COMPLETED, counts[0])
          .set(B_FAILED, counts[1])
          .set(B_CANCELLED, counts[2])
          .where(B_ID.eq(id))
          .execute();
      if (RUNNING.equals(b.get(B_STATE)) && counts[0] + counts[1] + counts[2] == present) {
        finish(ctx, c, id, now);
      }
    }
  }

  /**
   * Makes a RUNNING batch final, once: SUCCEEDED when every member completed, else FAILED. Its
   * callbacks that apply go from WAITING to QUEUED (SCHEDULED when their run-at is ahead); the
   * others are cancelled. A callback that a user cancelled before stays as it is.
   */
  private void finish(DSLContext ctx, Connection c, String batchId, long now) throws SQLException {
    Record r =
        ctx.select(B_TOTAL, B_COMPLETED, B_ON_SUCCESS, B_ON_FAILURE, B_ON_COMPLETE)
            .from(store.t.batches)
            .where(B_ID.eq(batchId))
            .fetchOne();
    String state = r.get(B_COMPLETED) >= r.get(B_TOTAL) ? SUCCEEDED : FAILED;
    int n =
        ctx.update(store.t.batches)
            .set(B_STATE, state)
            .set(B_FINISHED_AT, now)
            .where(B_ID.eq(batchId))
            .and(B_STATE.eq(RUNNING))
            .execute();
    if (n != 1) {
      return; // final already: its callbacks fired in that transaction
    }
    Map<String, Boolean> fire = new LinkedHashMap<>();
    if (r.get(B_ON_SUCCESS) != null) {
      fire.put(r.get(B_ON_SUCCESS), state.equals(SUCCEEDED));
    }
    if (r.get(B_ON_FAILURE) != null) {
      fire.put(r.get(B_ON_FAILURE), state.equals(FAILED));
    }
    if (r.get(B_ON_COMPLETE) != null) {
      fire.put(r.get(B_ON_COMPLETE), true);
    }
    if (fire.isEmpty()) {
      return;
    }
    Map<String, Record> waiting = new TreeMap<>();
    store
        .dialect
        .forUpdate(
            ctx.select(J_ID, J_QUEUE, J_RUN_AT)
                .from(store.t.jobs)
                .where(J_ID.in(fire.keySet()))
                .and(J_STATUS.eq(JobStatus.WAITING.name()))
                .orderBy(J_ID))
        .fetch()
        .forEach(x -> waiting.put(x.get(J_ID), x));
    Set<String> dueQueues = new LinkedHashSet<>();
    List<Object[]> due = new ArrayList<>();
    String why = "batch " + batchId + " " + state;
    for (Map.Entry<String, Boolean> e : fire.entrySet()) {
      Record j = waiting.get(e.getKey());
      if (j == null) {
        continue; // cancelled by a user before the batch ended
      }
      String id = e.getKey();
      if (e.getValue()) {
        long runAt = j.get(J_RUN_AT);
        JobStatus to = runAt <= now ? JobStatus.QUEUED : JobStatus.SCHEDULED;
        JobTransitions.check(id, JobStatus.WAITING, to);
        ctx.update(store.t.jobs)
            .set(J_STATUS, to.name())
            .set(J_UPDATED_AT, now)
            .where(J_ID.eq(id))
            .and(J_STATUS.eq(JobStatus.WAITING.name()))
            .execute();
        store.insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, JobStatus.WAITING, to, why);
        if (to == JobStatus.QUEUED) {
          dueQueues.add(j.get(J_QUEUE));
        }
        due.add(new Object[] {j.get(J_QUEUE), runAt});
      } else {
        JobTransitions.check(id, JobStatus.WAITING, JobStatus.CANCELLED);
        String error = why + "; this callback does not apply";
        ctx.update(store.t.jobs)
            .set(J_STATUS, JobStatus.CANCELLED.name())
            .set(J_ERROR, error)
            .set(J_FINISHED_AT, now)
            .set(J_UPDATED_AT, now)
            .where(J_ID.eq(id))
            .and(J_STATUS.eq(JobStatus.WAITING.name()))
            .execute();
        store.insertEvent(
            ctx,
            id,
            now,
            JobEvent.Type.STATUS_CHANGED,
            JobStatus.WAITING,
            JobStatus.CANCELLED,
            error);
        // Jobs that wait for this callback get their edges' policies.
        store.deps.endedOne(ctx, c, id, JobStatus.CANCELLED, now);
      }
    }
    store.deps.wake(c, dueQueues, due);
  }

  // ---------------------------------------------------------------- retention

  /**
   * Deletes up to {@code limit} batches that became final before {@code finishedBefore} and of
   * which no member or callback job is stored any more, oldest first, in one transaction; returns
   * how many. Such a batch can change no more: its counts follow members that are gone, and its
   * callbacks fired or were cancelled. Reads through {@code jobkit_batches_created} (a batch
   * finished before a time was created before it) and, per batch, the index of its members.
   */
  long deleteFinished(long finishedBefore, int limit) {
    String batches = store.t.jobsSql.replace(Tables.JOBS, Tables.BATCHES);
    String jobs = store.t.jobsSql;
    StringBuilder callbacks = new StringBuilder();
    for (String col : new String[] {"on_success", "on_failure", "on_complete"}) {
      callbacks
          .append(" AND (b.")
          .append(col)
          .append(" IS NULL OR NOT EXISTS (SELECT 1 FROM ")
          .append(jobs)
          .append(" c WHERE c.id = b.")
          .append(col)
          .append("))");
    }
    String sql =
        "DELETE FROM "
            + batches
            + " WHERE id IN (SELECT b.id FROM "
            + batches
            + " b WHERE b.created_at < ? AND b.state <> 'RUNNING' AND b.finished_at > 0"
            + " AND b.finished_at < ? AND NOT EXISTS (SELECT 1 FROM "
            + jobs
            + " m WHERE m.batch_id = b.id)"
            + callbacks
            + " ORDER BY b.created_at LIMIT ?)";
    return store.db.write(
        (ctx, c) ->
            (long)
                store.db.prepared(
                    c,
                    sql,
                    ps -> {
                      ps.setLong(1, finishedBefore);
                      ps.setLong(2, finishedBefore);
                      ps.setInt(3, limit);
                      return ps.executeUpdate();
                    }));
  }

  // ---------------------------------------------------------------- queries

  Optional<BatchRow> get(String id) {
    return store.db.read(
        (ctx, c) -> {
          Record r = ctx.select(ALL).from(store.t.batches).where(B_ID.eq(id)).fetchOne();
          if (r == null) {
            return Optional.<BatchRow>empty();
          }
          return Optional.of(withRunning(ctx, r));
        });
  }

  List<BatchRow> list(String tenant, int limit) {
    return store.db.read(
        (ctx, c) -> {
          List<BatchRow> out = new ArrayList<>();
          for (Record r :
              ctx.select(ALL)
                  .from(store.t.batches)
                  .where(tenant == null ? DSL.noCondition() : B_TENANT.eq(tenant))
                  .orderBy(B_CREATED_AT.desc(), B_ID.desc())
                  .limit(limit)
                  .fetch()) {
            out.add(withRunning(ctx, r));
          }
          return out;
        });
  }

  /** A batch row with its running members' progress (a member per worker at most). */
  private BatchRow withRunning(DSLContext ctx, Record r) {
    int running = 0;
    double done = 0;
    if (RUNNING.equals(r.get(B_STATE))) {
      for (String p :
          ctx.select(J_PROGRESS)
              .from(store.t.jobs)
              .where(J_BATCH_ID.eq(r.get(B_ID)))
              .and(J_STATUS.eq(JobStatus.RUNNING.name()))
              .fetch(J_PROGRESS)) {
        running++;
        done += fraction(p);
      }
    }
    return new BatchRow(
        r.get(B_ID),
        r.get(B_NAME),
        r.get(B_DESCRIPTION),
        r.get(B_STATE),
        r.get(B_TOTAL),
        r.get(B_COMPLETED),
        r.get(B_FAILED),
        r.get(B_CANCELLED),
        running,
        done,
        r.get(B_ON_SUCCESS),
        r.get(B_ON_FAILURE),
        r.get(B_ON_COMPLETE),
        r.get(B_CREATED_AT),
        r.get(B_CREATED_BY),
        r.get(B_FINISHED_AT),
        r.get(B_TENANT));
  }

  /** A stored progress JSON's percentage as a fraction from 0 to 1; 0 when it has none. */
  static double fraction(String progressJson) {
    if (progressJson == null) {
      return 0;
    }
    Matcher m = PERCENT.matcher(progressJson);
    if (!m.find()) {
      return 0;
    }
    try {
      double pct = Double.parseDouble(m.group(1));
      return Math.max(0, Math.min(1, pct / 100.0));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  Optional<String> batchOf(String jobId) {
    return store.db.read(
        (ctx, c) -> {
          Record r =
              ctx.select(J_BATCH_ID, J_IDEMPOTENCY_KEY)
                  .from(store.t.jobs)
                  .where(J_ID.eq(jobId))
                  .fetchOne();
          if (r == null) {
            return Optional.<String>empty();
          }
          if (r.get(J_BATCH_ID) != null) {
            return Optional.of(r.get(J_BATCH_ID));
          }
          // A callback: its key is batch:<id>:<kind>.
          String key = r.get(J_IDEMPOTENCY_KEY);
          if (key != null && key.startsWith("batch:") && key.lastIndexOf(':') > 6) {
            return Optional.of(key.substring(6, key.lastIndexOf(':')));
          }
          return Optional.<String>empty();
        });
  }

  List<JobRow> members(String batchId, int limit) {
    return store.db.read(
        (ctx, c) ->
            ctx.select(J_ALL)
                .from(store.t.jobs)
                .where(J_BATCH_ID.eq(batchId))
                .orderBy(J_ID)
                .limit(limit)
                .fetch(SqlJobStore::toRow));
  }
}
