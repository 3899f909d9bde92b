package dev.jobkit.runtime.internal.store;

import java.util.List;

/**
 * A {@link JobStore} on a database server that many worker nodes share (PostgreSQL): besides the
 * jobs, it keeps a registry of live nodes, tells nodes about new work and control requests as they
 * commit, and has the one clock all nodes agree on.
 *
 * <p>Node rows are advisory bookkeeping for dead-node detection and operators; correctness still
 * rests on leases and epochs (a node wrongly declared dead loses its leases, and its fenced writes
 * are refused).
 */
public interface SharedJobStore extends JobStore {

  /** The database server's clock, epoch millis. */
  long databaseTimeMillis();

  /**
   * Starts receiving {@link Signals} on a dedicated connection. Signals are wake-ups, not a
   * delivery guarantee; the caller still polls.
   *
   * @return closes the subscription
   * @throws StorageException if the database cannot be reached
   */
  AutoCloseable listen(Signals signals);

  /** Inserts or refreshes this node's row. */
  void registerNode(NodeRow node);

  /**
   * Stamps this node's heartbeat. Returns false when its row is gone (another node declared it
   * dead); the caller registers again.
   */
  boolean heartbeatNode(String id, long now);

  /**
   * Nodes whose last heartbeat is older than their own lease duration at {@code now}: dead, oldest
   * first.
   */
  List<NodeRow> staleNodes(long now);

  /**
   * Requeues, as {@link #recoverOwner} does, the running jobs of the dead node {@code owner} whose
   * leases expired before {@code now}. A node declared dead renewed its leases no later than its
   * last heartbeat, so that is all of them, unless it was only paused and, back meanwhile, claimed
   * new jobs: those hold fresh leases and stay its.
   */
  List<String> recoverDeadNode(String owner, long now);

  /** Deletes a node's row; false if it was already gone. */
  boolean removeNode(String id);

  /** Every registered node, by id. */
  List<NodeRow> nodes();

  /** Called on the store's listener thread; implementations must return quickly. */
  interface Signals {
    /** Jobs became due in {@code queue} (dispatched, resumed, retried or recovered). */
    void jobsDue(String queue);

    /** A cancel or pause was requested of the running job {@code jobId}. */
    void controlRequested(String jobId);

    /** The connection was lost and is back; signals sent meanwhile were missed. */
    void missedSignals();
  }
}
