package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.AuditRow;
import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  /** A cursor is an entry's id: a ULID. */
  private static final Pattern CURSOR = Pattern.compile("[0-9A-Z]{26}");

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

  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+");

  private final JobStore store;
  private final Clock clock;
  private final JobIds ids;
  private final Runnable checkOpen;

  AuditLog(JobStore store, Clock clock, JobIds ids, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
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
    String cursor = query.cursor().orElse(null);
    if (cursor != null && !CURSOR.matcher(cursor).matches()) {
      throw new IllegalArgumentException(
          "audit cursor '"
              + (cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor)
              + "' is not valid: pass the nextCursor of a page, or none to start");
    }
    List<AuditRow> rows =
        store.auditRows(
            query.tenant().orElse(null),
            query.actor().orElse(null),
            query.action().orElse(null),
            query.since().map(Instant::toEpochMilli).orElse(0L),
            cursor,
            query.limit() + 1);
    boolean more = rows.size() > query.limit();
    List<AuditEntry> entries = rows.stream().limit(query.limit()).map(AuditLog::toEntry).toList();
    return new AuditPage(
        entries, more ? Optional.of(entries.get(entries.size() - 1).id()) : Optional.empty());
  }

  /**
   * Records an entry, for surfaces that act outside the runtime (such as an HTTP login). Returns it
   * as stored.
   *
   * @param actor who acted, not null
   * @param tenant the tenant acted on, or null for none
   * @param action what was done: lower-case, dotted, such as {@code session.login}
   * @param target what it was done to, or null
   * @param detail more about it, or null
   * @throws IllegalArgumentException if the action is not lower-case and dotted, or the tenant's
   *     name is not valid
   */
  public AuditEntry record(
      String actor, String tenant, String action, String target, String detail) {
    checkOpen.run();
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    if (!ACTION.matcher(action).matches()) {
      throw new IllegalArgumentException(
          "audit action '"
              + action
              + "' is not valid: use lower-case words joined by dots, such as session.login");
    }
    if (tenant != null) {
      Tenants.checkName(tenant);
    }
    AuditRow row = row(actor, tenant, action, target, detail);
    store.audit(row);
    return toEntry(row);
  }

  /** A new row to write, with a fresh time-sortable id; for the runtime's own actions. */
  AuditRow row(String actor, String tenant, String action, String target, String detail) {
    return new AuditRow(ids.next(), clock.millis(), tenant, actor, action, target, detail);
  }

  /**
   * Records a runtime action right after it succeeded, when it has an actor. A failure to record is
   * logged, not thrown: the action itself is done.
   */
  void after(String actor, String tenant, String action, String target, String detail) {
    if (actor == null) {
      return;
    }
    try {
      store.audit(row(actor, tenant, action, target, detail));
    } catch (RuntimeException e) {
      log.warn("Could not record {} of {} by {} in the audit trail", action, target, actor, e);
    }
  }

  private static AuditEntry toEntry(AuditRow r) {
    return new AuditEntry(
        r.id(),
        Instant.ofEpochMilli(r.at()),
        Optional.ofNullable(r.tenant()),
        r.actor(),
        r.action(),
        Optional.ofNullable(r.target()),
        Optional.ofNullable(r.detail()));
  }
}
