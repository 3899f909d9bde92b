package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives back a claim at shutdown: a job that did not stop in time, or was never started. */
final class ClaimedJobs {
  private static final Logger log = LoggerFactory.getLogger(ClaimedJobs.class);

  private ClaimedJobs() {}

  static void release(EngineServices services, RunningAttempt a) {
    release(services, a.claim());
  }

  static void release(EngineServices services, ClaimedJob c) {
    try {
      // Without a checkpoint: the job object is mid-work, so its last saved checkpoint is the
      // truth.
      long now = services.clock().millis();
      if (!services.store().release(c.id(), c.epoch(), JobStatus.QUEUED, now)) {
        log.debug("Job {} ({}): lease already lost at shutdown", c.id(), c.name());
      }
    } catch (RuntimeException e) {
      log.warn(
          "Job {} ({}): could not release at shutdown; it is recovered when its lease expires",
          c.id(),
          c.name(),
          e);
    }
  }
}
