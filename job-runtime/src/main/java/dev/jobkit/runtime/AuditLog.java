package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.JobStore;
import java.time.Clock;
import java.util.Objects;

/**
 * The audit trail of the job database (#14 tenants): who did what, shared by every process on it.
 * From {@link JobManager#audit()}.
 *
 * <p>The runtime records an entry for each action below when the call names an actor (the HTTP API
 * passes {@code key:NAME}, the CLI {@code cli:USER}); calls without an actor, such as dispatches
 * from application code, record nothing and cost nothing. Where the action is one database
 * transaction (a dispatch, a schedule change, a tenant change) the entry is written in it; other
 * entries are written right after the action (see {@code docs/tenancy.md}). Entries older than the
 * retention policy's longest age are deleted with finished jobs. Thread-safe.
 *
 * <p>Actions: {@value #JOB_SUBMIT} (one entry per dispatch call; target the job id, or {@code N
 * jobs}), {@value #JOB_CANCEL}, {@value #JOB_PAUSE}, {@value #JOB_RESUME}, {@value #JOB_RETRY},
 * {@value #JOB_CLONE}, {@value #JOB_DELETE}, {@value #SCHEDULE_PUT}, {@value #SCHEDULE_PAUSE},
 * {@value #SCHEDULE_RESUME}, {@value #SCHEDULE_TRIGGER}, {@value #SCHEDULE_DELETE}, {@value
 * #TEMPLATE_SAVE}, {@value #TEMPLATE_DELETE}, {@value #KEY_CREATE}, {@value #KEY_REVOKE}, {@value
 * #TENANT_PUT}, {@value #TENANT_DELETE}.
 */
public final class AuditLog {
  /** Jobs dispatched: one entry per dispatch call. */
  public static final String JOB_SUBMIT = "job.submit";

  /** A job cancelled. */
  public static final String JOB_CANCEL = "job.cancel";

  /** A job paused. */
  public static final String JOB_PAUSE = "job.pause";

  /** A job resumed. */
  public static final String JOB_RESUME = "job.resume";

  /** A job retried. */
  public static final String JOB_RETRY = "job.retry";

  /** A job cloned (target: the new job; detail: the original). */
  public static final String JOB_CLONE = "job.clone";

  /** A job deleted. */
  public static final String JOB_DELETE = "job.delete";

  /** A schedule created or updated. */
  public static final String SCHEDULE_PUT = "schedule.put";

  /** A schedule paused. */
  public static final String SCHEDULE_PAUSE = "schedule.pause";

  /** A schedule resumed. */
  public static final String SCHEDULE_RESUME = "schedule.resume";

  /** A schedule triggered by hand. */
  public static final String SCHEDULE_TRIGGER = "schedule.trigger";

  /** A schedule deleted. */
  public static final String SCHEDULE_DELETE = "schedule.delete";

  /** A template saved. */
  public static final String TEMPLATE_SAVE = "template.save";

  /** A template deleted. */
  public static final String TEMPLATE_DELETE = "template.delete";

  /** An API key created. */
  public static final String KEY_CREATE = "key.create";

  /** An API key revoked. */
  public static final String KEY_REVOKE = "key.revoke";

  /** A tenant's settings stored. */
  public static final String TENANT_PUT = "tenant.put";

  /** A tenant's settings deleted. */
  public static final String TENANT_DELETE = "tenant.delete";

  private final JobStore store;
  private final Clock clock;
  private final Runnable checkOpen;

  AuditLog(JobStore store, Clock clock, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
    this.checkOpen = checkOpen;
  }

  /**
   * A page of entries, newest first, that match the query's filters and come after its cursor.
   *
   * @throws IllegalArgumentException if the cursor is not one this log returned
   */
  public AuditPage list(AuditQuery query) {
    checkOpen.run();
    Objects.requireNonNull(query, "query");
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Records an entry, for surfaces that act outside the runtime (such as an HTTP login). Returns it
   * as stored.
   *
   * @param actor who acted, not null
   * @param tenant the tenant acted on, or null for none
   * @param action what was done (lower-case, dotted, such as {@code session.login})
   * @param target what it was done to, or null
   * @param detail more about it, or null
   */
  public AuditEntry record(
      String actor, String tenant, String action, String target, String detail) {
    checkOpen.run();
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    throw new UnsupportedOperationException("not yet");
  }
}
