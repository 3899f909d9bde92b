package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.NodeRow;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an engine with workers does on a database that many nodes share: it registers itself as a
 * node and stamps its heartbeat on every engine heartbeat; it requeues the running jobs of nodes
 * whose heartbeat is older than their lease (they resume from their last checkpoint here or on any
 * other survivor) and deletes their rows; it listens for dispatches and control requests of other
 * nodes so that idle workers start at once and a cancel or pause reaches the job without waiting
 * for the next heartbeat.
 *
 * <p>Nothing here is needed for correctness: leases, epochs and polling are. Without notifications
 * (a lost connection) workers fall back to the poll interval; without node rows, expired leases are
 * still recovered.
 */
final class ClusterMember implements AutoCloseable, SharedJobStore.Signals {
  private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

  /** What a node needs of the engine it belongs to. */
  interface Host {
    /** Whether the engine is closing (and has deregistered, or is about to). */
    boolean isClosing();

    /** Wakes the claim loop of {@code queue}, if this engine runs it. */
    void wake(String queue);

    /** Wakes every claim loop. */
    void wakeAll();
  }

  private final EngineServices services;
  private final SharedJobStore store;
  private final RunningAttempts running;
  private final Host host;
  private final long leaseMs;
  private AutoCloseable listening;

  ClusterMember(EngineServices services, SharedJobStore store, RunningAttempts running, Host host) {
    this.services = services;
    this.store = store;
    this.running = running;
    this.host = host;
    this.leaseMs = services.config().leaseDuration().toMillis();
  }

  /** Registers the node and starts listening; a failure here fails the engine's start. */
  void start(long now) {
    store.registerNode(nodeRow(now));
    listening = store.listen(this);
  }

  private NodeRow nodeRow(long now) {
    String queues = String.join(",", new TreeSet<>(services.config().workersPerQueue().keySet()));
    return new NodeRow(services.owner(), OwnerId.host(), queues, now, now, leaseMs);
  }

  /**
   * Runs on every engine heartbeat. Returns how many jobs of dead nodes it requeued. A node is dead
   * once its heartbeat is older than its own lease duration (nodes may be configured differently).
   */
  int tick(long tickStart) {
    // Stamped now, not when the tick began: renewals ran in between, and after a pause of the
    // process (a GC, a VM freeze, SIGSTOP) a heartbeat with the old time would make this node look
    // dead to the others again the moment it joins.
    long now = Math.max(tickStart, services.clock().millis());
    if (!store.heartbeatNode(services.owner(), now)) {
      if (host.isClosing()) {
        // close() deleted our row while this tick ran (close does not wait for a tick in
        // flight): registering again would leave the row of a stopped node behind.
        return 0;
      }
      // Another node found our heartbeat stale (a long pause, a lost connection) and requeued our
      // jobs; the fenced writes of what still runs here are refused. Join again.
      log.warn(
          "Node {} had been declared dead by another node; registering again", services.owner());
      store.registerNode(nodeRow(now));
    }
    int recovered = 0;
    // staleNodes judges each node by its own lease: nodes may be configured differently.
    for (NodeRow dead : store.staleNodes(now)) {
      if (dead.id().equals(services.owner())) {
        continue;
      }
      // Its leases were last renewed with its last heartbeat, so they have expired too, except
      // those of claims it made after that heartbeat, which expire within one more lease. A job
      // whose lease has not expired is left alone: if the node was only paused (a GC, a VM
      // freeze, SIGSTOP) and is back, it may have claimed the job since we read its row. Its row
      // stays until it holds no running job, so that the next ticks requeue the rest.
      List<String> ids = store.recoverDeadNode(dead.id(), now);
      recovered += ids.size();
      boolean holdsMore = store.runningOwners().contains(dead.id());
      if (!holdsMore) {
        store.removeNode(dead.id());
      }
      if (!ids.isEmpty() || !holdsMore) {
        log.warn(
            "Node {} on {} stopped heartbeating {} ms ago; requeued {} of its running job(s)"
                + "{}",
            dead.id(),
            dead.host(),
            now - dead.heartbeatAt(),
            ids.size(),
            holdsMore ? ", the rest once their leases expire" : "");
      }
    }
    return recovered;
  }

  @Override
  public void jobsDue(String queue) {
    host.wake(queue);
  }

  @Override
  public void controlRequested(String jobId) {
    if (!running.contains(jobId)) {
      return; // another node runs it
    }
    Optional<JobRow> row = store.get(jobId);
    if (row.isPresent() && row.get().cancelRequested()) {
      running.requestStop(jobId, Reason.CANCELLED);
    } else if (row.isPresent() && row.get().pauseRequested()) {
      running.requestStop(jobId, Reason.PAUSED);
    }
  }

  @Override
  public void missedSignals() {
    host.wakeAll();
  }

  /** Stops listening and deregisters, so that no survivor mistakes this node for a dead one. */
  @Override
  public void close() {
    try {
      if (listening != null) {
        listening.close();
      }
    } catch (Exception e) {
      log.debug("Closing the notification listener failed", e);
    }
    try {
      store.removeNode(services.owner());
    } catch (RuntimeException e) {
      log.warn("Could not deregister node {}: {}", services.owner(), e.getMessage());
    }
  }
}
