package dev.jobkit.runtime.internal.state;

import static dev.jobkit.runtime.internal.state.JobStatus.CANCELLED;
import static dev.jobkit.runtime.internal.state.JobStatus.COMPLETED;
import static dev.jobkit.runtime.internal.state.JobStatus.FAILED;
import static dev.jobkit.runtime.internal.state.JobStatus.PAUSED;
import static dev.jobkit.runtime.internal.state.JobStatus.QUARANTINED;
import static dev.jobkit.runtime.internal.state.JobStatus.QUEUED;
import static dev.jobkit.runtime.internal.state.JobStatus.RUNNING;
import static dev.jobkit.runtime.internal.state.JobStatus.SCHEDULED;
import static dev.jobkit.runtime.internal.state.JobStatus.TIMED_OUT;
import static dev.jobkit.runtime.internal.state.JobStatus.WAITING;
import static dev.jobkit.runtime.internal.state.JobStatus.WAITING_RETRY;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed status changes. Every status change in every store goes through {@link
 * #check}, so the dashboard, metrics and audit trail can trust the event stream.
 */
public final class JobTransitions {

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

  static {
    // A claim moves any claimable status straight to RUNNING: a due SCHEDULED job is not first
    // rewritten to QUEUED, which would cost a write per job for nothing.
    allow(QUEUED, RUNNING, PAUSED, CANCELLED, QUARANTINED, SCHEDULED);
    allow(SCHEDULED, RUNNING, QUEUED, PAUSED, CANCELLED, QUARANTINED);
    allow(WAITING_RETRY, RUNNING, QUEUED, PAUSED, CANCELLED, QUARANTINED);
    // RUNNING -> QUEUED is a release on graceful shutdown or a recovery of an expired lease.
    allow(
        RUNNING,
        COMPLETED,
        FAILED,
        CANCELLED,
        TIMED_OUT,
        WAITING_RETRY,
        PAUSED,
        QUEUED,
        QUARANTINED);
    // resume goes to SCHEDULED when the job's run-at time is still ahead.
    allow(PAUSED, QUEUED, SCHEDULED, CANCELLED);
    // retry of a dead job: back to the queue (dead-letter view).
    // #12 dependencies: FAILED and CANCELLED go back to WAITING when a retried parent re-arms the
    // children its failure ended.
    allow(FAILED, QUEUED, WAITING);
    allow(TIMED_OUT, QUEUED);
    allow(CANCELLED, QUEUED, WAITING);
    allow(QUARANTINED, QUEUED, CANCELLED);
    allow(COMPLETED);
    // #12 dependencies: a waiting job is unblocked when its parents are done (SCHEDULED when its
    // run-at is ahead), cancelled by a user or by a parent's failure (policy CANCEL), or failed by
    // a
    // parent's failure (policy FAIL).
    allow(WAITING, QUEUED, SCHEDULED, CANCELLED, FAILED);
  }

  private JobTransitions() {}

  private static void allow(JobStatus from, JobStatus... to) {
    Set<JobStatus> set = EnumSet.noneOf(JobStatus.class);
    Collections.addAll(set, to);
    ALLOWED.put(from, Collections.unmodifiableSet(set));
  }

  /** Whether a job may go from {@code from} to {@code to}. */
  public static boolean isAllowed(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  /**
   * Checks a status change.
   *
   * @throws IllegalJobTransitionException if the table does not allow it
   */
  public static void check(JobStatus from, JobStatus to) {
    check(null, from, to);
  }

  /**
   * Checks a status change of job {@code jobId}, naming the job in the error.
   *
   * @throws IllegalJobTransitionException if the table does not allow it
   */
  public static void check(String jobId, JobStatus from, JobStatus to) {
    if (!isAllowed(from, to)) {
      throw new IllegalJobTransitionException(jobId, from, to);
    }
  }

  /** The statuses a job in {@code from} may go to, as an unmodifiable set. */
  public static Set<JobStatus> allowedFrom(JobStatus from) {
    return ALLOWED.get(from);
  }
}
