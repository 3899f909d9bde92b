package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.Tables.D_CHILD_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_ON_FAILURE;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_PARENT_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_POSITION;
import static dev.jobkit.runtime.internal.store.sql.Tables.D_STATE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ATTEMPTS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ERROR;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_FINISHED_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_HAS_CHILDREN;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_NAME;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_OUTPUT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_QUEUE;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_RUN_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_STATUS;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_UPDATED_AT;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.state.JobTransitions;
import dev.jobkit.runtime.internal.store.DependencyEdge;
import dev.jobkit.runtime.internal.store.DependencyEdge.OnFailure;
import dev.jobkit.runtime.internal.store.DependencyEdge.State;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.JobEvent;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.ParentRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ObjLongConsumer;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Record3;

/**
 * Dependencies between jobs (#12), the same SQL on both databases: the edges table {@code
 * jobkit_job_deps} and the {@code has_children} flag of {@code jobkit_jobs}.
 *
 * <p>A parent unblocks, cancels or fails its children in the transaction that ends it. Completing a
 * job without children costs nothing more: the completion's own statement tells whether the job had
 * children (see the dialects' {@code completeAll}), and only then does this class run. Children are
 * locked (PostgreSQL) before their edges are read, so that two parents of one child completing at
 * once in two transactions are serialized and the second sees the first's edge: the child cannot be
 * left waiting for a parent that has completed.
 */
final class SqlDependencies {
  private static final int IN_CHUNK = 500;

  /** Up to this many children, each is checked for a blocking edge on its own (see ended). */
  private static final int FEW_KIDS = 8;

  private static final String WAITING = JobStatus.WAITING.name();
  private static final List<String> BLOCKING =
      List.of(State.WAITING.name(), State.ENDED_CHILD.name());

  private final SqlJobStore store;
  private volatile String sqlInsertEdge;
  private volatile ObjLongConsumer<String> listener = (queue, runAt) -> {};

  SqlDependencies(SqlJobStore store) {
    this.store = store;
  }

  /** The edge insert, made on first use (this object is made before the store's tables). */
  private String sqlInsertEdge() {
    String sql = sqlInsertEdge;
    if (sql == null) {
      sql =
          "INSERT INTO "
              + store.t.jobsSql.replace(Tables.JOBS, Tables.DEPS)
              + " (child_id, parent_id, position, on_failure, state) VALUES (?, ?, ?, ?, ?)";
      sqlInsertEdge = sql;
    }
    return sql;
  }

  void onJobsDue(ObjLongConsumer<String> l) {
    this.listener = l == null ? (queue, runAt) -> {} : l;
  }

  // ---------------------------------------------------------------- insert

  List<InsertResult> insertGraph(List<NewJob> jobs, List<DependencyEdge> edges, long now) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    Set<String> dueQueues = new LinkedHashSet<>();
    List<InsertResult> results =
        store.db.write(
            (ctx, c) -> {
              dueQueues.clear();
              // #14 tenants: quotas, audit, a tenant's max-running key
              List<NewJob> admitted = store.tenants.admit(ctx, c, jobs, null, now);
              return insertGraphIn(ctx, c, admitted, edges, now, dueQueues);
            });
    if (!dueQueues.isEmpty()) {
      store.dispatched(dueQueues);
    }
    return results;
  }

  /**
   * {@link #insertGraph} in the caller's transaction (#12 batches dispatch members this way): adds
   * to {@code dueQueues} the queues of jobs stored due, to be signalled after the commit.
   */
  List<InsertResult> insertGraphIn(
      DSLContext ctx,
      Connection c,
      List<NewJob> jobs,
      List<DependencyEdge> edges,
      long now,
      Set<String> dueQueues)
      throws SQLException {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      position.put(jobs.get(i).id(), i);
    }
    Map<String, List<DependencyEdge>> byChild = new HashMap<>();
    Map<String, String> firstChildOf = new TreeMap<>(); // stored parent -> a child, for messages
    Set<String> seenEdges = new HashSet<>();
    for (DependencyEdge e : edges) {
      Integer child = position.get(e.childId());
      if (child == null) {
        throw new IllegalArgumentException(
            "job " + e.childId() + " has a dependency but is not among the jobs dispatched");
      }
      Integer parent = position.get(e.parentId());
      if (parent == null) {
        firstChildOf.putIfAbsent(e.parentId(), e.childId());
      } else if (parent >= child) {
        throw new IllegalArgumentException(
            "job "
                + e.childId()
                + " cannot depend on job "
                + e.parentId()
                + ", which is dispatched after it; add parents before their children");
      }
      // A parent named twice counts once (a set per child: a fan-in child has thousands).
      if (seenEdges.add(e.childId() + "\u0000" + e.parentId())) {
        byChild.computeIfAbsent(e.childId(), k -> new ArrayList<>()).add(e);
      }
    }
    return insertIn(ctx, c, jobs, byChild, firstChildOf, now, dueQueues);
  }

  private List<InsertResult> insertIn(
      DSLContext ctx,
      Connection c,
      List<NewJob> jobs,
      Map<String, List<DependencyEdge>> byChild,
      Map<String, String> firstChildOf,
      long now,
      Set<String> dueQueues)
      throws SQLException {
    // Stored parents, locked (PostgreSQL) so that none ends between this read and the commit
    // without seeing the new edge.
    Map<String, JobStatus> status = lockStatuses(ctx, new ArrayList<>(firstChildOf.keySet()));
    for (Map.Entry<String, String> p : firstChildOf.entrySet()) {
      if (!status.containsKey(p.getKey())) {
        throw new IllegalArgumentException(
            "Cannot dispatch job "
                + p.getValue()
                + ": its parent job "
                + p.getKey()
                + " does not exist; check the id (jobkit list shows stored jobs)");
      }
    }
    // Children that will wait are inserted WAITING: those with a parent in this graph (created
    // here, so not ended) or a stored parent that has not completed. A parent in this graph whose
    // idempotency key finds a stored job can prove this wrong; that is mended below.
    Set<String> insertedWaiting = new HashSet<>();
    for (NewJob job : jobs) {
      List<DependencyEdge> es = byChild.get(job.id());
      if (es == null) {
        continue;
      }
      for (DependencyEdge e : es) {
        JobStatus ps = status.get(e.parentId()); // null: a parent in this graph
        if (ps == null
            || !ps.isTerminal()
            || (ps != JobStatus.COMPLETED && e.onFailure() != OnFailure.RUN_ANYWAY)) {
          insertedWaiting.add(job.id());
          break;
        }
      }
    }
    List<InsertResult> results = store.insertRowsIn(ctx, c, jobs, now, insertedWaiting);
    Map<String, String> actual = new HashMap<>();
    List<String> existing = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewJob j = jobs.get(i);
      InsertResult r = results.get(i);
      actual.put(j.id(), r.id());
      if (r.created()) {
        status.put(j.id(), j.runAt() <= now ? JobStatus.QUEUED : JobStatus.SCHEDULED);
      } else if (!status.containsKey(r.id())) {
        existing.add(r.id());
      }
    }
    // Jobs whose idempotency key was stored: their stored status, for their children here.
    status.putAll(lockStatuses(ctx, existing));

    List<Object[]> edgeRows = new ArrayList<>();
    Set<String> parents = new TreeSet<>();
    List<String> waiting = new ArrayList<>();
    Map<String, String> endedWhy = new LinkedHashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      List<DependencyEdge> es = byChild.get(job.id());
      if (!results.get(i).created() || es == null) {
        if (results.get(i).created()) {
          dueQueues.add(job.queue());
        }
        continue;
      }
      JobStatus end = null;
      String why = null;
      boolean wait = false;
      int pos = 0;
      Set<String> seen = new HashSet<>();
      for (DependencyEdge e : es) {
        String pid = actual.getOrDefault(e.parentId(), e.parentId());
        if (!seen.add(pid)) {
          continue;
        }
        JobStatus ps = status.get(pid);
        State st;
        if (ps == JobStatus.COMPLETED) {
          st = State.DONE;
        } else if (ps.isTerminal()) {
          if (e.onFailure() == OnFailure.RUN_ANYWAY) {
            st = State.PARENT_FAILED;
          } else if (end == null) {
            st = State.ENDED_CHILD;
            end = e.onFailure() == OnFailure.FAIL ? JobStatus.FAILED : JobStatus.CANCELLED;
            why = "parent " + pid + " ended " + ps;
          } else {
            st = State.WAITING; // the child is ended already, by an earlier parent
          }
        } else {
          st = State.WAITING;
          wait = true;
        }
        edgeRows.add(new Object[] {job.id(), pid, pos++, e.onFailure().name(), st.name()});
        parents.add(pid);
      }
      if (end != null) {
        status.put(job.id(), end);
        endedWhy.put(job.id(), end.name() + ":" + why);
        waiting.add(job.id()); // created WAITING, then ended by its event below
      } else if (wait) {
        status.put(job.id(), JobStatus.WAITING);
        waiting.add(job.id());
      } else {
        dueQueues.add(job.queue());
      }
    }
    if (edgeRows.isEmpty()) {
      return results;
    }
    // One prepared JDBC batch: a graph's dispatch writes an edge per parent of every child.
    store.db.prepared(
        c,
        sqlInsertEdge(),
        ps -> {
          for (Object[] row : edgeRows) {
            ps.setString(1, (String) row[0]);
            ps.setString(2, (String) row[1]);
            ps.setInt(3, (Integer) row[2]);
            ps.setString(4, (String) row[3]);
            ps.setString(5, (String) row[4]);
            ps.addBatch();
          }
          return ps.executeBatch();
        });
    List<String> parentList = new ArrayList<>(parents);
    for (int i = 0; i < parentList.size(); i += IN_CHUNK) {
      ctx.update(store.t.jobs)
          .set(J_HAS_CHILDREN, true)
          .where(J_ID.in(parentList.subList(i, Math.min(parentList.size(), i + IN_CHUNK))))
          .and(J_HAS_CHILDREN.isFalse())
          .execute();
    }
    // A job's creation is its row: a child that waits is created WAITING, with no event. Most
    // were inserted so; these are the exceptions (a parent in the graph was a stored job).
    List<String> toWaiting = new ArrayList<>();
    for (String id : waiting) {
      if (!insertedWaiting.remove(id)) {
        toWaiting.add(id);
      }
    }
    for (int i = 0; i < toWaiting.size(); i += IN_CHUNK) {
      ctx.update(store.t.jobs)
          .set(J_STATUS, WAITING)
          .where(J_ID.in(toWaiting.subList(i, Math.min(toWaiting.size(), i + IN_CHUNK))))
          .execute();
    }
    for (int i = 0; i < jobs.size(); i++) {
      NewJob j = jobs.get(i);
      if (results.get(i).created() && insertedWaiting.contains(j.id())) {
        // Inserted WAITING, but every parent had completed already: it runs.
        ctx.update(store.t.jobs)
            .set(J_STATUS, SqlJobStore.initialStatus(j, now, Set.of()).name())
            .where(J_ID.eq(j.id()))
            .execute();
      }
    }
    // One whose parent failed already is created WAITING and ended at once, with its event.
    for (Map.Entry<String, String> e : endedWhy.entrySet()) {
      String[] toAndWhy = e.getValue().split(":", 2);
      endChild(ctx, e.getKey(), JobStatus.valueOf(toAndWhy[0]), toAndWhy[1], now);
    }
    return results;
  }

  /** The statuses of stored jobs, their rows locked in id order (PostgreSQL). */
  private Map<String, JobStatus> lockStatuses(DSLContext ctx, List<String> ids) {
    Map<String, JobStatus> out = new HashMap<>();
    List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
    for (int i = 0; i < sorted.size(); i += IN_CHUNK) {
      store
          .dialect
          .forUpdate(
              ctx.select(J_ID, J_STATUS)
                  .from(store.t.jobs)
                  .where(J_ID.in(sorted.subList(i, Math.min(sorted.size(), i + IN_CHUNK))))
                  .orderBy(J_ID))
          .fetch()
          .forEach(r -> out.put(r.get(J_ID), JobStatus.valueOf(r.get(J_STATUS))));
    }
    return out;
  }

  // ---------------------------------------------------------------- parents ending

  /**
   * After {@code ended} jobs reached their statuses in the caller's transaction: applies that to
   * their children. A completed parent marks its edges done; a parent that failed, was cancelled or
   * timed out applies each edge's policy (a child it ends passes its own end on, level by level).
   * Children with no edge left waiting become QUEUED, or SCHEDULED when their run-at is ahead.
   */
  void ended(DSLContext ctx, Connection c, Map<String, JobStatus> ended, long now)
      throws SQLException {
    Map<String, JobStatus> round = new TreeMap<>(ended);
    Set<String> dueQueues = new LinkedHashSet<>();
    List<Object[]> due = new ArrayList<>(); // queue, runAt
    // #12 batches: members carry has_children too. Their batches are told once every round is
    // done, so that batch rows are locked after every job row (PostgreSQL), never before one.
    Map<String, JobStatus> all = new TreeMap<>();
    while (!round.isEmpty()) {
      all.putAll(round);
      List<String> ids = new ArrayList<>(round.keySet());
      // 1. The waiting children, locked in id order before their edges are read.
      Map<String, Record> kids = new TreeMap<>();
      for (int i = 0; i < ids.size(); i += IN_CHUNK) {
        List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
        store
            .dialect
            .forUpdate(
                ctx.select(J_ID, J_QUEUE, J_RUN_AT)
                    .from(store.t.jobs)
                    .where(J_STATUS.eq(WAITING))
                    .and(
                        J_ID.in(
                            ctx.select(D_CHILD_ID).from(store.t.deps).where(D_PARENT_ID.in(chunk))))
                    .orderBy(J_ID))
            .fetch()
            .forEach(r -> kids.put(r.get(J_ID), r));
      }
      // 2. Completed parents: their edges are done.
      List<String> completed = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (Map.Entry<String, JobStatus> e : round.entrySet()) {
        (e.getValue() == JobStatus.COMPLETED ? completed : failed).add(e.getKey());
      }
      for (int i = 0; i < completed.size(); i += IN_CHUNK) {
        ctx.update(store.t.deps)
            .set(D_STATE, State.DONE.name())
            .where(D_PARENT_ID.in(completed.subList(i, Math.min(completed.size(), i + IN_CHUNK))))
            .and(D_STATE.eq(State.WAITING.name()))
            .execute();
      }
      // 3. Parents that failed: each edge's policy.
      Map<String, JobStatus> next = new TreeMap<>();
      List<Query> edgeUpdates = new ArrayList<>();
      for (int i = 0; i < failed.size(); i += IN_CHUNK) {
        List<Record3<String, String, String>> rows =
            ctx.select(D_CHILD_ID, D_PARENT_ID, D_ON_FAILURE)
                .from(store.t.deps)
                .where(D_PARENT_ID.in(failed.subList(i, Math.min(failed.size(), i + IN_CHUNK))))
                .and(D_STATE.eq(State.WAITING.name()))
                .orderBy(D_CHILD_ID, D_POSITION)
                .fetch();
        for (Record3<String, String, String> r : rows) {
          String child = r.value1();
          String parent = r.value2();
          OnFailure policy = OnFailure.valueOf(r.value3());
          if (policy == OnFailure.RUN_ANYWAY) {
            edgeUpdates.add(setEdge(ctx, child, parent, State.PARENT_FAILED));
          } else if (kids.containsKey(child)) {
            JobStatus to = policy == OnFailure.FAIL ? JobStatus.FAILED : JobStatus.CANCELLED;
            edgeUpdates.add(setEdge(ctx, child, parent, State.ENDED_CHILD));
            endChild(ctx, child, to, "parent " + parent + " ended " + round.get(parent), now);
            kids.remove(child);
            next.put(child, to);
          }
          // Else the child is no longer waiting (ended by another parent): the edge stays.
        }
      }
      if (!edgeUpdates.isEmpty()) {
        ctx.batch(edgeUpdates).execute();
      }
      // 4. Children with no edge left waiting run.
      if (!kids.isEmpty()) {
        List<String> kidIds = new ArrayList<>(kids.keySet());
        Set<String> blocked = new HashSet<>();
        if (kidIds.size() <= FEW_KIDS) {
          // A fan-in child has thousands of edges: find one still blocking, newest parent first
          // (parents tend to end in id order, so that one is usually the first looked at).
          for (String kid : kidIds) {
            if (ctx.selectOne()
                    .from(store.t.deps)
                    .where(D_CHILD_ID.eq(kid))
                    .and(D_STATE.in(BLOCKING))
                    .orderBy(D_PARENT_ID.desc())
                    .limit(1)
                    .fetchOne()
                != null) {
              blocked.add(kid);
            }
          }
        }
        for (int i = 0; kidIds.size() > FEW_KIDS && i < kidIds.size(); i += IN_CHUNK) {
          blocked.addAll(
              ctx.selectDistinct(D_CHILD_ID)
                  .from(store.t.deps)
                  .where(D_CHILD_ID.in(kidIds.subList(i, Math.min(kidIds.size(), i + IN_CHUNK))))
                  .and(D_STATE.in(BLOCKING))
                  .fetch(D_CHILD_ID));
        }
        // Set-based: a root's completion can release thousands of children at once.
        Map<JobStatus, List<String>> released = new EnumMap<>(JobStatus.class);
        List<Object[]> events = new ArrayList<>();
        for (Record k : kids.values()) {
          String id = k.get(J_ID);
          if (blocked.contains(id)) {
            continue;
          }
          long runAt = k.get(J_RUN_AT);
          JobStatus to = runAt <= now ? JobStatus.QUEUED : JobStatus.SCHEDULED;
          JobTransitions.check(id, JobStatus.WAITING, to);
          released.computeIfAbsent(to, x -> new ArrayList<>()).add(id);
          events.add(new Object[] {id, to});
          if (to == JobStatus.QUEUED) {
            dueQueues.add(k.get(J_QUEUE));
          }
          due.add(new Object[] {k.get(J_QUEUE), runAt});
        }
        if (!events.isEmpty()) {
          for (Map.Entry<JobStatus, List<String>> r : released.entrySet()) {
            List<String> l = r.getValue();
            for (int i = 0; i < l.size(); i += IN_CHUNK) {
              ctx.update(store.t.jobs)
                  .set(J_STATUS, r.getKey().name())
                  .set(J_UPDATED_AT, now)
                  .where(J_ID.in(l.subList(i, Math.min(l.size(), i + IN_CHUNK))))
                  .and(J_STATUS.eq(WAITING))
                  .execute();
            }
          }
          store.db.prepared(
              c,
              store.sqlInsertEvent,
              ev -> {
                for (Object[] e : events) {
                  SqlJobStore.addEvent(
                      ev,
                      (String) e[0],
                      now,
                      JobEvent.Type.STATUS_CHANGED,
                      JobStatus.WAITING,
                      (JobStatus) e[1],
                      "parents done");
                }
                return ev.executeBatch();
              });
        }
      }
      round = next;
    }
    store.batches.ended(ctx, c, all, now); // #12 batches
    // Other nodes hear of the queued children on commit; this process's claim loops are woken now
    // and claim after the commit (SQLite's one writer; a PostgreSQL node also gets the signal).
    wake(c, dueQueues, due);
  }

  /**
   * Tells of jobs made due in the caller's transaction: other nodes on commit, this process's claim
   * loops now ({@code due} holds each job's queue and run-at).
   */
  void wake(Connection c, Set<String> dueQueues, List<Object[]> due) throws SQLException {
    store.dialect.jobsDue(c, dueQueues);
    ObjLongConsumer<String> l = listener;
    for (Object[] d : due) {
      l.accept((String) d[0], (Long) d[1]);
    }
  }

  /** After job {@code id} ended as {@code to} in the caller's transaction, if it has children. */
  void endedOne(DSLContext ctx, Connection c, String id, JobStatus to, long now)
      throws SQLException {
    Boolean has =
        ctx.select(J_HAS_CHILDREN).from(store.t.jobs).where(J_ID.eq(id)).fetchOne(J_HAS_CHILDREN);
    if (Boolean.TRUE.equals(has)) {
      ended(ctx, c, Map.of(id, to), now);
    }
  }

  private Query setEdge(DSLContext ctx, String child, String parent, State state) {
    return ctx.update(store.t.deps)
        .set(D_STATE, state.name())
        .where(D_CHILD_ID.eq(child))
        .and(D_PARENT_ID.eq(parent));
  }

  /** A waiting child ended by a parent's failure (policy CANCEL or FAIL), with its event. */
  private void endChild(DSLContext ctx, String id, JobStatus to, String why, long now) {
    JobTransitions.check(id, JobStatus.WAITING, to);
    int n =
        ctx.update(store.t.jobs)
            .set(J_STATUS, to.name())
            .set(J_ERROR, why)
            .set(J_FINISHED_AT, now)
            .set(J_UPDATED_AT, now)
            .where(J_ID.eq(id))
            .and(J_STATUS.eq(WAITING))
            .execute();
    if (n != 1) {
      throw new IllegalStateException("Job " + id + " changed status under its lock");
    }
    store.insertEvent(ctx, id, now, JobEvent.Type.STATUS_CHANGED, JobStatus.WAITING, to, why);
  }

  // ---------------------------------------------------------------- retry

  /**
   * After a user retried job {@code id} in the caller's transaction: the children its failure ended
   * wait for it again (back to WAITING, attempts reset), and so, level by level, do their
   * descendants that they ended. Edges that its failure let through (RUN_ANYWAY) wait again while
   * their child still waits.
   */
  void retried(DSLContext ctx, Connection c, String id, long now, String actor) {
    List<String> work = new ArrayList<>(List.of(id));
    Map<String, JobStatus> reopened = new TreeMap<>(); // #12 batches, told after the job rows
    while (!work.isEmpty()) {
      String parent = work.remove(work.size() - 1);
      List<Record> edges =
          ctx
              .select(D_CHILD_ID, D_STATE)
              .from(store.t.deps)
              .where(D_PARENT_ID.eq(parent))
              .and(D_STATE.in(State.ENDED_CHILD.name(), State.PARENT_FAILED.name()))
              .orderBy(D_CHILD_ID)
              .fetch()
              .stream()
              .map(r -> (Record) r)
              .toList();
      if (edges.isEmpty()) {
        continue;
      }
      Map<String, JobStatus> childStatus =
          lockStatuses(ctx, edges.stream().map(r -> r.get(D_CHILD_ID)).toList());
      for (Record e : edges) {
        String child = e.get(D_CHILD_ID);
        JobStatus cs = childStatus.get(child);
        State st = State.valueOf(e.get(D_STATE));
        if (st == State.ENDED_CHILD && (cs == JobStatus.CANCELLED || cs == JobStatus.FAILED)) {
          JobTransitions.check(child, cs, JobStatus.WAITING);
          ctx.update(store.t.jobs)
              .set(J_STATUS, WAITING)
              .set(J_ERROR, (String) null)
              .set(J_FINISHED_AT, 0L)
              .set(J_ATTEMPTS, 0)
              .set(J_UPDATED_AT, now)
              .where(J_ID.eq(child))
              .and(J_STATUS.eq(cs.name()))
              .execute();
          store.insertEvent(
              ctx,
              child,
              now,
              JobEvent.Type.STATUS_CHANGED,
              cs,
              JobStatus.WAITING,
              "parent " + parent + " retried",
              actor);
          setEdge(ctx, child, parent, State.WAITING).execute();
          reopened.put(child, cs); // #12 batches
          work.add(child);
        } else if (st == State.PARENT_FAILED && cs == JobStatus.WAITING) {
          setEdge(ctx, child, parent, State.WAITING).execute();
        }
      }
    }
    reopened.forEach((child, from) -> store.batches.reopened(ctx, child, from)); // #12 batches
  }

  // ---------------------------------------------------------------- queries

  List<ParentRow> parents(String childId) {
    return store.db.read(
        (ctx, c) -> {
          List<Record> edges =
              ctx
                  .select(D_PARENT_ID, D_ON_FAILURE, D_STATE)
                  .from(store.t.deps)
                  .where(D_CHILD_ID.eq(childId))
                  .orderBy(D_POSITION)
                  .fetch()
                  .stream()
                  .map(r -> (Record) r)
                  .toList();
          if (edges.isEmpty()) {
            return List.<ParentRow>of();
          }
          Map<String, Record> jobs = new HashMap<>();
          List<String> ids = edges.stream().map(r -> r.get(D_PARENT_ID)).toList();
          for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            ctx.select(J_ID, J_NAME, J_STATUS, J_OUTPUT)
                .from(store.t.jobs)
                .where(J_ID.in(ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
                .fetch()
                .forEach(r -> jobs.put(r.get(J_ID), r));
          }
          List<ParentRow> out = new ArrayList<>(edges.size());
          for (Record e : edges) {
            Record j = jobs.get(e.get(D_PARENT_ID));
            out.add(
                new ParentRow(
                    e.get(D_PARENT_ID),
                    j == null ? null : j.get(J_NAME),
                    j == null ? null : JobStatus.valueOf(j.get(J_STATUS)),
                    j == null ? null : j.get(J_OUTPUT),
                    OnFailure.valueOf(e.get(D_ON_FAILURE)),
                    State.valueOf(e.get(D_STATE))));
          }
          return out;
        });
  }
}
