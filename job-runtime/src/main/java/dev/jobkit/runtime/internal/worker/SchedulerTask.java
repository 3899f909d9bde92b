package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.internal.schedule.SchedulePlanner;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.ScheduleChange;
import dev.jobkit.runtime.internal.store.ScheduleRow;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Fires the due slots of the schedules stored in the database, on a thread of its own in every
 * engine with workers. There is no leader: every process sleeps until the earliest next slot, and
 * each fire is one transaction that moves the schedule on only if it still stands where this
 * process read it ({@link SchedulePlanner#fire}), so of several processes waking for one slot one
 * fires it and the others find it fired.
 *
 * <p>It sleeps at most {@link #IDLE_POLL_MS} so that schedules added by other processes, and slots
 * pending behind a run still going, are seen; a schedule changed in this process wakes it at once.
 */
final class SchedulerTask implements Runnable {
  /** The longest sleep between two looks at the schedules table. */
  static final long IDLE_POLL_MS = 1_000;

  private static final int BATCH = 100;

  private static final String SOURCE = "schedules";

  private final JobStore store;
  private final Clock clock;
  private final SchedulePlanner planner;
  private final BiConsumer<ScheduleChange, ScheduleChange.Result> fired;
  private final BooleanSupplier closed;
  private final StorageOutage outage;
  private final Object signal = new Object();
  private boolean woken;

  SchedulerTask(
      JobStore store,
      Clock clock,
      SchedulePlanner planner,
      BiConsumer<ScheduleChange, ScheduleChange.Result> fired,
      BooleanSupplier closed,
      StorageOutage outage) {
    this.store = store;
    this.clock = clock;
    this.planner = planner;
    this.fired = fired;
    this.closed = closed;
    this.outage = outage;
  }

  /** Makes the loop look at the schedules now (one was added or changed in this process). */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  @Override
  public void run() {
    int failuresInARow = 0;
    while (!closed.getAsBoolean()) {
      long sleep;
      try {
        fireDue();
        long next = store.nextScheduleFire();
        sleep = Math.min(IDLE_POLL_MS, next - clock.millis());
        failuresInARow = 0;
        outage.succeeded(SOURCE);
      } catch (RuntimeException e) {
        if (closed.getAsBoolean()) {
          return;
        }
        // Reported with the engine's other storage failures: a few lines per outage, no SQL.
        failuresInARow++;
        outage.failed(SOURCE, "firing schedules", e);
        sleep = StorageOutage.retryDelayMs(IDLE_POLL_MS, failuresInARow);
      }
      if (sleep > 0) {
        await(sleep);
      }
    }
  }

  /** Fires every due schedule once; returns how many fires wrote something. */
  int fireDue() {
    int changed = 0;
    long now = clock.millis();
    for (ScheduleRow r : store.dueSchedules(now, BATCH)) {
      if (closed.getAsBoolean()) {
        break;
      }
      if (r.nextFireAt() > now && previousRunStillGoing(r)) {
        continue; // only a pending slot, still waiting: no write transaction for nothing
      }
      long expected = r.nextFireAt();
      long at = now;
      ScheduleChange[] decided = new ScheduleChange[1];
      ScheduleChange.Result result =
          store.changeSchedule(
              r.name(),
              at,
              (current, lastRunning) ->
                  decided[0] = planner.fire(current, lastRunning, at, expected));
      if (decided[0] != null && decided[0] != ScheduleChange.NONE) {
        changed++;
        fired.accept(decided[0], result);
      }
    }
    return changed;
  }

  private boolean previousRunStillGoing(ScheduleRow r) {
    if (r.lastJobId() == null) {
      return false;
    }
    Optional<JobStatus> s = store.get(r.lastJobId()).map(JobRow::status);
    return s.isPresent() && !s.get().isTerminal();
  }

  private void await(long ms) {
    synchronized (signal) {
      long deadline = System.nanoTime() + ms * 1_000_000;
      while (!woken && !closed.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          signal.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      woken = false;
    }
  }
}
