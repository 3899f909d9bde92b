package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives back a claim at shutdown: a job that did not stop in time, or was never started. */
final class ClaimedJobs {
  private static final Logger log = LoggerFactory.getLogger(ClaimedJobs.class);

  private ClaimedJobs() {}

  static void release(Engine engine, RunningAttempt a) {
    release(engine, a.claim());
  }

  static void release(Engine engine, ClaimedJob c) {
    try {
      // Without a checkpoint: the job object is mid-work, so its last saved checkpoint is the truth.
      if (!engine.store().release(c.id(), c.epoch(), JobStatus.QUEUED, engine.clock().millis())) {
        log.debug("Job {} ({}): lease already lost at shutdown", c.id(), c.name());
      }
    } catch (RuntimeException e) {
      log.warn("Job {} ({}): could not release at shutdown; it is recovered when its lease expires",
          c.id(), c.name(), e);
    }
  }
}
