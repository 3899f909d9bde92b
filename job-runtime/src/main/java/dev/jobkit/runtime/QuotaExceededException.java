package dev.jobkit.runtime;

import dev.jobkit.JobException;
import dev.jobkit.runtime.internal.store.QuotaRejection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown when a dispatch would exceed a quota of its tenant (#14 tenants; see {@link TenantSpec}).
 * Nothing of the dispatch is stored: a rejected {@code dispatchAll}, batch or graph inserts none of
 * its jobs. The HTTP API answers 429 with {@code Retry-After}; the CLI exits with code 75
 * (EX_TEMPFAIL). See {@code docs/tenancy.md}.
 */
public final class QuotaExceededException extends JobException {
  private static final long serialVersionUID = 1L;

  /** The quotas a dispatch can exceed. */
  public enum Quota {
    /** The most jobs of the tenant that may wait (queued, scheduled, waiting to retry, waiting). */
    MAX_QUEUED,
    /** The most submissions per period (with its burst). */
    SUBMISSION_RATE,
    /** The most bytes of parameters the tenant's jobs may store. */
    MAX_STORED_BYTES
  }

  private final String tenant;
  private final Quota quota;
  private final long limit;
  private final Duration retryAfter;

  /**
   * A rejected dispatch.
   *
   * @param tenant the tenant whose quota it is
   * @param quota the quota
   * @param limit the quota's value (jobs, submissions per period, or bytes)
   * @param retryAfter when trying again may succeed, for the submission rate; null when unknown
   */
  public QuotaExceededException(String tenant, Quota quota, long limit, Duration retryAfter) {
    super(message(tenant, quota, limit, retryAfter));
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.quota = Objects.requireNonNull(quota, "quota");
    this.limit = limit;
    this.retryAfter = retryAfter;
  }

  private static String message(String tenant, Quota quota, long limit, Duration retryAfter) {
    return QuotaRejection.message(
        tenant,
        QuotaRejection.Quota.valueOf(quota.name()),
        limit,
        retryAfter == null ? -1 : retryAfter.toMillis());
  }

  /** The tenant whose quota the dispatch would exceed. */
  public String tenant() {
    return tenant;
  }

  /** The quota exceeded. */
  public Quota quota() {
    return quota;
  }

  /** The quota's value: jobs, submissions per period, or bytes. */
  public long limit() {
    return limit;
  }

  /**
   * How long until a retry may succeed: for {@link Quota#SUBMISSION_RATE}, the time until the next
   * submission is allowed; empty for the other quotas, whose room depends on other jobs.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
