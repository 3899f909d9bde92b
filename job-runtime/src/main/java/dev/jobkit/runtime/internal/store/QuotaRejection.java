package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * A dispatch that a tenant's quota rejects (#14 tenants), raised by the store in the insert's
 * transaction before anything is written; the engine turns it into the public {@code
 * QuotaExceededException}.
 */
public final class QuotaRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The quotas a dispatch can exceed, as the public {@code QuotaExceededException.Quota}. */
  public enum Quota {
    /** Waiting jobs. */
    MAX_QUEUED,
    /** Submissions per period. */
    SUBMISSION_RATE,
    /** Stored parameter bytes. */
    MAX_STORED_BYTES
  }

  private final String tenant;
  private final Quota quota;
  private final long limit;
  private final long retryAfterMs;

  /**
   * A rejection.
   *
   * @param retryAfterMs when a retry may pass, in millis; -1 when unknown
   */
  public QuotaRejection(String tenant, Quota quota, long limit, long retryAfterMs) {
    super(message(tenant, quota, limit, retryAfterMs), null, false, false);
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.quota = Objects.requireNonNull(quota, "quota");
    this.limit = limit;
    this.retryAfterMs = retryAfterMs;
  }

  /** The one-line message of a rejection, for the exception and a skipped fire's reason. */
  public static String message(String tenant, Quota quota, long limit, long retryAfterMs) {
    return switch (quota) {
      case MAX_QUEUED ->
          "tenant '"
              + tenant
              + "' has reached its quota of "
              + limit
              + " waiting jobs (max queued); retry once some have started, or raise the quota"
              + " (jobkit tenants set "
              + tenant
              + " --max-queued N)";
      case SUBMISSION_RATE ->
          "tenant '"
              + tenant
              + "' has used its submission rate quota ("
              + limit
              + " per period); retry in "
              + (retryAfterMs < 0 ? "a later period" : retryAfterMs + " ms")
              + ", or raise the quota (jobkit tenants set "
              + tenant
              + " --submissions N/PERIOD)";
      case MAX_STORED_BYTES ->
          "tenant '"
              + tenant
              + "' has reached its quota of "
              + limit
              + " stored parameter bytes; retry once jobs are cleaned up, or raise the quota"
              + " (jobkit tenants set "
              + tenant
              + " --max-stored-bytes N)";
    };
  }

  /** The tenant. */
  public String tenant() {
    return tenant;
  }

  /** The quota. */
  public Quota quota() {
    return quota;
  }

  /** The quota's value. */
  public long limit() {
    return limit;
  }

  /** When a retry may pass, in millis; -1 when unknown. */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
