package dev.jobkit.runtime;

import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.runtime.internal.state.IllegalJobTransitionException;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ControlResult;
import dev.jobkit.runtime.internal.store.JobRow;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.worker.Engine;
import dev.jobkit.runtime.internal.worker.States;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The control calls of a {@link JobManager}: each changes the stored job (or requests the change of
 * a running one), then tells this process's engine, which stops a local attempt at once, wakes
 * claim loops, completes watchers and publishes the lifecycle event.
 */
final class JobControl {
  private final Engine engine;
  private final Clock clock;

  JobControl(Engine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  boolean cancel(String id, String actor) {
    ControlResult r =
        control(id, "cancel", () -> engine.jobStore().requestCancel(id, clock.millis(), actor));
    return afterControl(id, r, Reason.CANCELLED, JobEventType.CANCELLED);
  }

  boolean pause(String id, String actor) {
    ControlResult r =
        control(id, "pause", () -> engine.jobStore().requestPause(id, clock.millis(), actor));
    return afterControl(id, r, Reason.PAUSED, JobEventType.PAUSED);
  }

  boolean resume(String id, String actor) {
    ControlResult r =
        control(id, "resume", () -> engine.jobStore().resume(id, clock.millis(), actor));
    if (r.outcome() == ControlResult.Outcome.APPLIED && r.status() != JobStatus.RUNNING) {
      engine.controlApplied(id, JobEventType.RESUMED);
    }
    engine.wakeAll();
    return r.outcome() != ControlResult.Outcome.NOT_FOUND;
  }

  boolean retry(String id, String actor) {
    ControlResult r =
        control(id, "retry", () -> engine.jobStore().retry(id, clock.millis(), actor));
    if (r.outcome() == ControlResult.Outcome.APPLIED) {
      engine.controlApplied(id, JobEventType.RETRIED);
    }
    engine.wakeAll();
    return r.outcome() != ControlResult.Outcome.NOT_FOUND;
  }

  /** Runs a control call, turning a refused state change into a one-line public exception. */
  private ControlResult control(String id, String action, Supplier<ControlResult> call) {
    try {
      return call.get();
    } catch (IllegalJobTransitionException e) {
      throw new JobStateException(id, action, States.toPublic(e.from()));
    } catch (dev.jobkit.JobException e) {
      // The store refuses some calls (resume of a finished job) with its own message; report the
      // state it refused in, read again, the same way. Storage failures pass through as they are.
      if (e instanceof StorageException) {
        throw e;
      }
      Optional<JobRow> row = engine.jobStore().get(id);
      if (row.isEmpty()) {
        throw e;
      }
      throw new JobStateException(id, action, States.toPublic(row.get().status()));
    }
  }

  private boolean afterControl(String id, ControlResult r, Reason reason, JobEventType type) {
    switch (r.outcome()) {
      case NOT_FOUND -> {
        return false;
      }
      case REQUESTED -> engine.stopLocal(id, reason);
      case APPLIED -> {
        engine.refreshWatchers(id);
        engine.controlApplied(id, type);
      }
      default -> engine.refreshWatchers(id);
    }
    return true;
  }
}
