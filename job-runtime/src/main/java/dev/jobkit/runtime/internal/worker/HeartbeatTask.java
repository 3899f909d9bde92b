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
 * completes
 * result futures of watched jobs that ended in another process.
 */
final class HeartbeatTask implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatTask.class);
  private static final int MAX_POLLED_RESULTS = 256;
  /** How often a {@link DatabaseClock} measures its offset to the server again. */
  private static final long CLOCK_RESYNC_MS = 30_000;

  private final Engine engine;
  private final long recoverEveryMs;
  private long lastRecovery;
  private long lastClockSync;

  HeartbeatTask(Engine engine) {
    this.engine = engine;
    this.recoverEveryMs = Math.max(engine.config().leaseDuration().toMillis() / 2, 1);
    this.lastRecovery = engine.clock().millis();
    this.lastClockSync = lastRecovery;
  }

  @Override
  public void run() {
    try {
      tick();
    } catch (RuntimeException e) {
      if (engine.isClosing() && Thread.currentThread().isInterrupted()) {
        // close() stopped the scheduler under a tick in flight (interrupting its wait for a
        // pooled connection) once the jobs were stopped: nothing is left to renew.
        log.debug("Heartbeat stopped by close: {}", e.getMessage());
        return;
      }
      // The next tick retries; a lease that lapses meanwhile is reported as lost by the store.
      log.warn("Heartbeat failed", e);
    }
  }

  void tick() {
    long now = engine.clock().millis();
    if (now - lastClockSync >= CLOCK_RESYNC_MS && engine.clock() instanceof DatabaseClock c) {
      lastClockSync = now; // clients too: they stamp run-at times and control events
      c.resync();
      now = c.millis();
    }
    List<RunningAttempt> snapshot = List.copyOf(engine.running().values());
    // Buffered (claimed-ahead) jobs and finished jobs whose completion is not yet committed are
    // RUNNING under this owner too: renew while any is held, not only while an attempt runs, or a
    // completer that lags behind the lease lets them expire and they are recovered and run again.
    if (!snapshot.isEmpty() || engine.holdsClaims()) {
      List<LeaseState> held = engine.store().renewLeases(engine.owner(),
          now + engine.config().leaseDuration().toMillis(), now);
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
    if (engine.hasWorkers()) {
      // Dead processes on this host are cheap to spot (one query on a partial index): every tick.
      int recovered = engine.recoverDeadLocalOwners(now);
      if (engine.cluster() != null) {
        recovered += engine.cluster().tick(now); // nodes on any host whose heartbeat stopped
      }
      if (now - lastRecovery >= recoverEveryMs) {
        lastRecovery = now;
        recovered += engine.store().recoverExpiredLeases(now).size();
      }
      if (recovered > 0) {
        log.info("Requeued {} job(s) of stopped processes", recovered);
        engine.wakeAll();
      }
    }
    pollResults();
  }

  private void pollResults() {
    int n = 0;
    for (Map.Entry<String, JobWatchers.Entry> e : engine.watchers().pending()) {
      if (n++ >= MAX_POLLED_RESULTS) {
        break;
      }
      if (engine.running().containsKey(e.getKey())) {
        continue; // the local worker completes it
      }
      Optional<JobRow> row = engine.store().get(e.getKey());
      row.ifPresent(engine::deliverIfEnded);
    }
  }
}
