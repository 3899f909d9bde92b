package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.runtime.internal.store.DatabaseClock;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.LeaseState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every heartbeat interval: renews this owner's leases in one statement and passes cancel and
 * pause flags set by any process to the running attempts; marks attempts whose lease was lost or
 * whose timeout passed; requeues the jobs of dead processes on this host at once, of nodes on a
 * shared database whose heartbeat stopped, and, now and then, expired leases of any process; and
 * completes result futures of watched jobs that ended in another process.
 */
final class HeartbeatTask implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatTask.class);
  private static final int MAX_POLLED_RESULTS = 256;

  /** How often a {@link DatabaseClock} measures its offset to the server again. */
  private static final long CLOCK_RESYNC_MS = 30_000;

  /** What the heartbeat needs of the engine it beats for. */
  interface Host {
    /** Whether the engine is closing. */
    boolean isClosing();

    /**
     * Whether the engine holds claims under its lease besides running attempts: claimed ahead and
     * not started, or finished and not yet committed.
     */
    boolean holdsClaims();

    /** Requeues the running jobs of processes on this host that are provably gone; how many. */
    int recoverDeadLocalOwners(long now);

    /** Completes the watchers of a job that ended in another process. */
    void deliverIfEnded(JobRow row);

    /** Wakes every claim loop, for requeued jobs. */
    void wakeAll();
  }

  private final EngineServices services;
  private final RunningAttempts running;

  /** Node membership on a shared database, for an engine with workers; else null. */
  private final ClusterMember cluster;

  private final boolean hasWorkers;
  private final Host host;
  private final long recoverEveryMs;
  private long lastRecovery;
  private long lastClockSync;

  HeartbeatTask(
      EngineServices services,
      RunningAttempts running,
      ClusterMember cluster,
      boolean hasWorkers,
      Host host) {
    this.services = services;
    this.running = running;
    this.cluster = cluster;
    this.hasWorkers = hasWorkers;
    this.host = host;
    this.recoverEveryMs = Math.max(services.config().leaseDuration().toMillis() / 2, 1);
    this.lastRecovery = services.clock().millis();
    this.lastClockSync = lastRecovery;
  }

  @Override
  public void run() {
    try {
      tick();
    } catch (RuntimeException e) {
      if (host.isClosing() && Thread.currentThread().isInterrupted()) {
        // close() stopped the scheduler under a tick in flight (interrupting its wait for a
        // pooled connection) once the jobs were stopped: nothing is left to renew.
        log.debug("Heartbeat stopped by close: {}", e.getMessage());
        return;
      }
      // The next tick retries; a lease that lapses meanwhile is reported as lost by the store.
      services.outage().failed("heartbeat", "renewing leases (heartbeat)", e);
      return;
    }
    services.outage().succeeded("heartbeat");
  }

  void tick() {
    long now = services.clock().millis();
    if (now - lastClockSync >= CLOCK_RESYNC_MS && services.clock() instanceof DatabaseClock c) {
      lastClockSync = now; // clients too: they stamp run-at times and control events
      c.resync();
      now = c.millis();
    }
    List<RunningAttempt> snapshot = running.snapshot();
    // Buffered (claimed-ahead) jobs and finished jobs whose completion is not yet committed are
    // RUNNING under this owner too: renew while any is held, not only while an attempt runs, or a
    // completer that lags behind the lease lets them expire and they are recovered and run again.
    if (!snapshot.isEmpty() || host.holdsClaims()) {
      List<LeaseState> held =
          services
              .store()
              .renewLeases(
                  services.owner(), now + services.config().leaseDuration().toMillis(), now);
      Map<String, LeaseState> byId = new HashMap<>();
      for (LeaseState s : held) {
        byId.put(s.id(), s);
      }
      for (RunningAttempt a : snapshot) {
        LeaseState s = byId.get(a.claim().id());
        if (s == null || s.epoch() != a.claim().epoch()) {
          // Registered before the renewal, so its claim had committed: it was taken away.
          a.requestStop(Reason.LEASE_LOST);
          continue;
        }
        if (s.cancelRequested()) {
          a.requestStop(Reason.CANCELLED);
        } else if (s.pauseRequested()) {
          a.requestStop(Reason.PAUSED);
        }
        if (a.checkDeadline(now)) {
          a.interruptThread();
        }
      }
    }
    if (hasWorkers) {
      // Dead processes on this host are cheap to spot (one query on a partial index): every tick.
      int recovered = host.recoverDeadLocalOwners(now);
      if (cluster != null) {
        recovered += cluster.tick(now); // nodes on any host whose heartbeat stopped
      }
      if (now - lastRecovery >= recoverEveryMs) {
        lastRecovery = now;
        recovered += services.store().recoverExpiredLeases(now).size();
      }
      if (recovered > 0) {
        log.info("Recovered {} job(s) of stopped processes", recovered);
        host.wakeAll();
      }
    }
    pollResults();
  }

  private void pollResults() {
    int n = 0;
    for (Map.Entry<String, JobWatchers.Entry> e : services.watchers().pending()) {
      if (n++ >= MAX_POLLED_RESULTS) {
        break;
      }
      if (running.contains(e.getKey())) {
        continue; // the local worker completes it
      }
      Optional<JobRow> row = services.store().get(e.getKey());
      row.ifPresent(host::deliverIfEnded);
    }
  }
}
