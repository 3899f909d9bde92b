package dev.jobkit.runtime.internal.store.sql;

import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_EXPIRES_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.J_LEASE_OWNER;
import static dev.jobkit.runtime.internal.store.sql.Tables.N_HEARTBEAT_AT;
import static dev.jobkit.runtime.internal.store.sql.Tables.N_HOST;
import static dev.jobkit.runtime.internal.store.sql.Tables.N_ID;
import static dev.jobkit.runtime.internal.store.sql.Tables.N_LEASE_MS;
import static dev.jobkit.runtime.internal.store.sql.Tables.N_QUEUES;
import static dev.jobkit.runtime.internal.store.sql.Tables.N_STARTED_AT;

import dev.jobkit.runtime.internal.store.DependencyEdge;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.NodeRow;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import java.util.List;
import java.util.Set;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The store on a database server that many nodes share: the jobs, plus the registry of live nodes
 * (plain jOOQ, in the one table shape), the server's clock, and {@code LISTEN/NOTIFY} signals.
 */
final class SharedSqlJobStore extends SqlJobStore implements SharedJobStore {
  private final PostgresDatabase pg;
  private final PgWakeups wakeups;

  SharedSqlJobStore(PostgresDatabase db) {
    super(db, Dialect.POSTGRES, new Tables(db.schema()));
    this.pg = db;
    this.wakeups = new PgWakeups(db);
  }

  @Override
  void dispatched(Set<String> queues) {
    // After the commit: a node woken before it would find nothing and sleep a poll interval (#13).
    pg.afterCommit(() -> wakeups.jobsDue(queues));
  }

  // #13 transactional dispatch: dispatches join the application's transaction, if it has one

  @Override
  public InsertResult insert(NewJob job, long now) {
    return pg.dispatch(() -> super.insert(job, now));
  }

  @Override
  public List<InsertResult> insertAll(List<NewJob> jobs, long now) {
    return pg.dispatch(() -> super.insertAll(jobs, now));
  }

  @Override
  public List<InsertResult> insertGraph(List<NewJob> jobs, List<DependencyEdge> edges, long now) {
    return pg.dispatch(() -> super.insertGraph(jobs, edges, now));
  }

  @Override
  public void afterDispatch(Runnable action) {
    pg.afterCommit(action);
  }

  // end #13

  @Override
  public void close() {
    wakeups.close(); // sends what is pending while the connections are still open
    super.close();
  }

  @Override
  public long databaseTimeMillis() {
    return db.read(
        (ctx, c) ->
            ctx.fetchOne("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")
                .get(0, Long.class));
  }

  /**
   * Listens on {@code channels} with a dedicated connection outside the store's pool. Close the
   * result to stop; it is not closed with the store.
   *
   * @throws dev.jobkit.runtime.internal.store.StorageException if it cannot connect
   */
  PgNotifications listen(List<String> channels, PgNotifications.Listener listener) {
    return PgNotifications.start(pg::dedicatedConnection, pg.location(), channels, listener);
  }

  @Override
  public AutoCloseable listen(Signals signals) {
    return listen(
        List.of(PgNotifications.JOBS_CHANNEL, PgNotifications.CONTROL_CHANNEL),
        new PgNotifications.Listener() {
          @Override
          public void onNotification(String channel, String payload) {
            if (PgNotifications.JOBS_CHANNEL.equals(channel)) {
              signals.jobsDue(payload);
            } else if (PgNotifications.CONTROL_CHANNEL.equals(channel)) {
              signals.controlRequested(payload);
            }
          }

          @Override
          public void onReconnect() {
            signals.missedSignals();
          }
        });
  }

  @Override
  public void registerNode(NodeRow n) {
    db.write(
        (ctx, c) ->
            ctx.insertInto(t.nodes)
                .set(N_ID, n.id())
                .set(N_HOST, n.host())
                .set(N_QUEUES, n.queues())
                .set(N_STARTED_AT, n.startedAt())
                .set(N_HEARTBEAT_AT, n.heartbeatAt())
                .set(N_LEASE_MS, n.leaseMs())
                .onConflict(N_ID)
                .doUpdate()
                .set(N_HEARTBEAT_AT, n.heartbeatAt())
                .set(N_QUEUES, n.queues())
                .set(N_LEASE_MS, n.leaseMs())
                .execute());
  }

  @Override
  public boolean heartbeatNode(String id, long now) {
    return db.write(
            (ctx, c) -> ctx.update(t.nodes).set(N_HEARTBEAT_AT, now).where(N_ID.eq(id)).execute())
        == 1;
  }

  @Override
  public List<NodeRow> staleNodes(long now) {
    return db.read(
        (ctx, c) ->
            ctx.select(N_ID, N_HOST, N_QUEUES, N_STARTED_AT, N_HEARTBEAT_AT, N_LEASE_MS)
                .from(t.nodes)
                .where(N_HEARTBEAT_AT.lt(DSL.val(now).minus(N_LEASE_MS)))
                .orderBy(N_HEARTBEAT_AT, N_ID)
                .fetch(SharedSqlJobStore::toNode));
  }

  @Override
  public List<String> recoverDeadNode(String owner, long now) {
    return recover(
        J_LEASE_OWNER.eq(owner).and(J_LEASE_EXPIRES_AT.lt(now)), now, "owner " + owner + " gone");
  }

  @Override
  public boolean removeNode(String id) {
    return db.write((ctx, c) -> ctx.deleteFrom(t.nodes).where(N_ID.eq(id)).execute()) == 1;
  }

  @Override
  public List<NodeRow> nodes() {
    return db.read(
        (ctx, c) ->
            ctx.select(N_ID, N_HOST, N_QUEUES, N_STARTED_AT, N_HEARTBEAT_AT, N_LEASE_MS)
                .from(t.nodes)
                .orderBy(N_ID)
                .fetch(SharedSqlJobStore::toNode));
  }

  private static NodeRow toNode(Record r) {
    return new NodeRow(
        r.get(N_ID),
        r.get(N_HOST),
        r.get(N_QUEUES),
        r.get(N_STARTED_AT),
        r.get(N_HEARTBEAT_AT),
        r.get(N_LEASE_MS));
  }
}
