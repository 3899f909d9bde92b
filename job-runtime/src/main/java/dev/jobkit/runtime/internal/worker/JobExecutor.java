package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobHandler;
import dev.jobkit.JobInterruptedException;
import dev.jobkit.JobInterruptedException.Reason;
import dev.jobkit.NonRetryableException;
import dev.jobkit.runtime.AttemptOutcome;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.internal.state.JobStatus;
import dev.jobkit.runtime.internal.store.ClaimedJob;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.spi.JobRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed job on the calling worker thread: decodes it (quarantining what cannot be
 * decoded), runs its handler and records the outcome with writes fenced by the claim's epoch.
 */
final class JobExecutor {
  private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

  /** What the executor needs of the engine that runs it. */
  interface Host {
    /** Whether the engine is closing: a claim not yet started is given back instead. */
    boolean isClosing();

    /** Wakes the claim loop of {@code queue} at {@code at}, when a retry is due. */
    void wakeAt(String queue, long at);
  }

  private final EngineServices services;
  private final RunningAttempts running;
  private final Completer completer;
  private final Host host;

  JobExecutor(EngineServices services, RunningAttempts running, Completer completer, Host host) {
    this.services = services;
    this.running = running;
    this.completer = completer;
    this.host = host;
  }

  void execute(ClaimedJob claim) {
    JobStore store = services.store();
    if (host.isClosing()) {
      // Claimed just before close: give it back untouched rather than start it during shutdown.
      ClaimedJobs.release(services, claim);
      return;
    }
    if (!stillHeld(claim)) {
      return;
    }
    JobRegistration<?, ?> reg;
    JobHandler<?> job;
    boolean resumable;
    try {
      reg = services.registry().registration(claim.name());
      resumable = reg.resumable();
      byte[] bytes = resumable && claim.state() != null ? claim.state() : claim.params();
      job = services.registry().fromMsgpack(claim.name(), bytes);
    } catch (RuntimeException e) {
      quarantine(claim, e);
      return;
    }
    boolean resumed = claim.resumed() && resumable;
    long startedAt = services.clock().millis();
    RunningAttempt attempt =
        new RunningAttempt(services, claim, resumed, resumable, startedAt, Thread.currentThread());
    attempt.attach(job);
    running.add(attempt);
    if (host.isClosing()) {
      // close() may have signalled the running attempts before this one registered.
      attempt.requestStop(Reason.SHUTDOWN);
    }
    try {
      // #13: interceptors (metrics, tracing) wrap the attempt and learn its outcome.
      AttemptView view = new AttemptView(claim, attempt, startedAt);
      services
          .config()
          .interceptors()
          .around(view, () -> runAndRecord(claim, reg, job, attempt, view, resumed, resumable));
    } finally {
      attempt.detach();
      running.remove(attempt);
      Thread.interrupted();
    }
  }

  /** Runs the job and records its outcome: what {@link Interceptors#around} wraps. */
  private AttemptOutcome runAndRecord(
      ClaimedJob claim,
      JobRegistration<?, ?> reg,
      JobHandler<?> job,
      RunningAttempt attempt,
      AttemptView view,
      boolean resumed,
      boolean resumable) {
    String id = claim.id();
    try {
      log.debug(
          "Running {} ({}) attempt {}{}",
          id,
          claim.name(),
          claim.attempt(),
          resumed ? " (resumed)" : "");
      services
          .events()
          .publish(
              id,
              claim.name(),
              JobEventType.STARTED,
              "attempt " + claim.attempt() + (resumed ? ", resumed" : ""),
              claim.tenant());
      Object output = null;
      Throwable failure = null;
      try {
        // A missing service fails this attempt (and is retried), like a failure of run itself.
        JobServices.inject(reg, job, services.config().jobServices());
        output = job.run(attempt);
      } catch (Throwable t) { // the job's failure is data to record, whatever its type
        failure = t;
      }
      attempt.detach();
      Thread.interrupted(); // clear an interrupt aimed at this attempt before the outcome writes
      if (failure == null && attempt.stopReason() == Reason.LEASE_LOST) {
        failure = new JobInterruptedException(id, Reason.LEASE_LOST);
      }
      view.failure(failure);
      return failure == null ? succeed(attempt, output) : fail(attempt, resumable, failure);
    } catch (RuntimeException e) {
      // Storage failed while recording the outcome: the lease will expire and recovery requeues it.
      services
          .outage()
          .failed(
              null,
              "recording the outcome of job "
                  + id
                  + " ("
                  + claim.name()
                  + "; it is recovered when its lease expires)",
              e);
      return AttemptOutcome.UNRECORDED;
    }
  }

  /**
   * Whether a claim may still be run. A claim is run right after it was taken, unless it waited in
   * the claim-ahead buffer: while it waited (workers busy, or this whole process paused by a GC, a
   * VM freeze or SIGSTOP) another node may have declared this one dead or found the lease expired,
   * requeued the job and even completed it. Starting it anyway would run the job again, on top of
   * or after its new owner, with every write refused. So a claim older than a heartbeat interval is
   * checked against the database first; fresher ones (the common case) cost nothing.
   */
  private boolean stillHeld(ClaimedJob claim) {
    long claimedAt = claim.leaseExpiresAt() - services.config().leaseDuration().toMillis();
    if (services.clock().millis() - claimedAt <= services.config().heartbeatInterval().toMillis()) {
      return true;
    }
    boolean held =
        services
            .store()
            .get(claim.id())
            .filter(
                r ->
                    r.status() == JobStatus.RUNNING
                        && r.leaseEpoch() == claim.epoch()
                        && services.owner().equals(r.leaseOwner()))
            .isPresent();
    if (!held) {
      log.info(
          "Job {} ({}) was taken over while its claim waited for a worker here; not running"
              + " it",
          claim.id(),
          claim.name());
    }
    return held;
  }

  private AttemptOutcome succeed(RunningAttempt a, Object output) {
    ClaimedJob c = a.claim();
    String json;
    try {
      json = services.registry().outputToJson(c.name(), output);
    } catch (RuntimeException e) {
      return fail(a, false, e);
    }
    if (!a.flushAll()) {
      return AttemptOutcome.LEASE_LOST;
    }
    completer.submit(c, json, output); // committed in a batch; this worker moves on
    return AttemptOutcome.COMPLETED;
  }

  private AttemptOutcome fail(RunningAttempt a, boolean resumable, Throwable failure) {
    ClaimedJob c = a.claim();
    Reason reason = failure instanceof JobInterruptedException jie ? jie.reason() : a.stopReason();
    if (a.isLeaseLost()) {
      reason = Reason.LEASE_LOST;
    }
    if (reason == Reason.LEASE_LOST) {
      leaseLost(c, "outcome");
      return AttemptOutcome.LEASE_LOST;
    }
    if (!a.flushAll()) {
      return AttemptOutcome.LEASE_LOST;
    }
    long now = services.clock().millis();
    JobStore store = services.store();
    boolean ok;
    AttemptOutcome outcome;
    if (reason != null) {
      switch (reason) {
        case CANCELLED -> {
          outcome = AttemptOutcome.CANCELLED;
          ok = store.finish(c.id(), c.epoch(), JobStatus.CANCELLED, "cancelled", now);
          if (ok) {
            services.watchers().ended(c.id(), JobState.CANCELLED, "cancelled");
            services.events().publish(c.id(), c.name(), JobEventType.CANCELLED, null, c.tenant());
          }
        }
        case TIMED_OUT -> {
          outcome = AttemptOutcome.TIMED_OUT;
          String msg = "timed out after " + c.timeoutMs() + " ms";
          ok = store.finish(c.id(), c.epoch(), JobStatus.TIMED_OUT, msg, now);
          if (ok) {
            services.watchers().ended(c.id(), JobState.TIMED_OUT, msg);
            services.events().publish(c.id(), c.name(), JobEventType.TIMED_OUT, msg, c.tenant());
          }
        }
        case PAUSED -> {
          outcome = AttemptOutcome.PAUSED;
          ok =
              (!resumable || a.saveCheckpoint())
                  && store.release(c.id(), c.epoch(), JobStatus.PAUSED, now);
          if (ok) {
            services.events().publish(c.id(), c.name(), JobEventType.PAUSED, null, c.tenant());
          }
        }
        case SHUTDOWN -> {
          outcome = AttemptOutcome.SHUTDOWN;
          ok =
              (!resumable || a.saveCheckpoint())
                  && store.release(c.id(), c.epoch(), JobStatus.QUEUED, now);
        }
        default -> throw new AssertionError(reason);
      }
      log.debug("Job {} ({}) stopped: {}", c.id(), c.name(), reason);
    } else {
      String error = States.oneLine(failure);
      boolean retryable = !(failure instanceof NonRetryableException);
      if (retryable && c.attempt() < c.maxAttempts()) {
        long retryAt = now + services.backoff().delayMs(c.attempt(), c.backoffMs());
        outcome = AttemptOutcome.RETRY_SCHEDULED;
        ok = store.scheduleRetry(c.id(), c.epoch(), error, retryAt, now);
        log.debug(
            "Job {} ({}) attempt {} failed, retry at {}: {}",
            c.id(),
            c.name(),
            c.attempt(),
            retryAt,
            error);
        if (ok) {
          host.wakeAt(c.queue(), retryAt);
          services
              .events()
              .publish(c.id(), c.name(), JobEventType.RETRY_SCHEDULED, error, c.tenant());
        }
      } else {
        outcome = AttemptOutcome.FAILED;
        ok = store.finish(c.id(), c.epoch(), JobStatus.FAILED, error, now);
        log.info(
            "Job {} ({}) failed after {} attempt(s): {}", c.id(), c.name(), c.attempt(), error);
        if (ok) {
          services.watchers().ended(c.id(), JobState.FAILED, error);
          services.events().publish(c.id(), c.name(), JobEventType.FAILED, error, c.tenant());
        }
      }
    }
    if (!ok) {
      leaseLost(c, "outcome");
      return AttemptOutcome.LEASE_LOST;
    }
    return outcome;
  }

  private void quarantine(ClaimedJob c, RuntimeException e) {
    String reason =
        "cannot decode job "
            + c.id()
            + " ("
            + c.name()
            + "): "
            + States.oneLine(e)
            + "; its bytes are kept, retry it after deploying a fix";
    log.warn("Quarantining job {} ({}): {}", c.id(), c.name(), States.oneLine(e));
    if (services
        .store()
        .finish(c.id(), c.epoch(), JobStatus.QUARANTINED, reason, services.clock().millis())) {
      services.watchers().ended(c.id(), JobState.QUARANTINED, reason);
      services.events().publish(c.id(), c.name(), JobEventType.QUARANTINED, reason, c.tenant());
    } else {
      leaseLost(c, "quarantine");
    }
  }

  private static void leaseLost(ClaimedJob c, String write) {
    log.debug("Job {} ({}): lease lost, not writing {}", c.id(), c.name(), write);
  }
}
