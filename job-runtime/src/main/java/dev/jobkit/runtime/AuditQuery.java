package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AuditLog#list} returns (#14 tenants): filters, newest first, keyset pagination. Build
 * with {@link #builder()}; every filter is optional.
 *
 * @param tenant only entries of this tenant
 * @param actor only entries of this actor (exact, such as {@code key:ci})
 * @param action only entries of this action (exact, such as {@code job.cancel}), or of a family
 *     when it ends with {@code .*} ({@code job.*})
 * @param since only entries at or after this instant
 * @param limit the most entries of a page, 1 to {@link #MAX_LIMIT}
 * @param cursor continue after this cursor (an {@link AuditPage#nextCursor()})
 */
public record AuditQuery(
    Optional<String> tenant,
    Optional<String> actor,
    Optional<String> action,
    Optional<Instant> since,
    int limit,
    Optional<String> cursor) {

  /** The most entries of one page. */
  public static final int MAX_LIMIT = 1000;

  /** The entries of a page when no limit is given. */
  public static final int DEFAULT_LIMIT = 100;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if the limit is out of range
   */
  public AuditQuery {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "audit limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
  }

  /** The newest {@link #DEFAULT_LIMIT} entries, unfiltered. */
  public static AuditQuery all() {
    return builder().build();
  }

  /** A builder without filters and with the default limit. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AuditQuery}. Not thread-safe. */
  public static final class Builder {
    private String tenant;
    private String actor;
    private String action;
    private Instant since;
    private int limit = DEFAULT_LIMIT;
    private String cursor;

    private Builder() {}

    /** Only entries of this tenant (null for any). */
    public Builder tenant(String tenant) {
      this.tenant = tenant == null ? null : Tenants.checkName(tenant);
      return this;
    }

    /** Only entries of this actor (null for any). */
    public Builder actor(String actor) {
      this.actor = actor;
      return this;
    }

    /** Only entries of this action, or family {@code prefix.*} (null for any). */
    public Builder action(String action) {
      this.action = action;
      return this;
    }

    /** Only entries at or after this instant (null for any). */
    public Builder since(Instant since) {
      this.since = since;
      return this;
    }

    /** The most entries of a page (1 to {@link #MAX_LIMIT}; default {@link #DEFAULT_LIMIT}). */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /** Continue after this cursor, from {@link AuditPage#nextCursor()} (null to start). */
    public Builder cursor(String cursor) {
      this.cursor = cursor;
      return this;
    }

    /**
     * The query.
     *
     * @throws IllegalArgumentException if the limit is out of range
     */
    public AuditQuery build() {
      return new AuditQuery(
          Optional.ofNullable(tenant),
          Optional.ofNullable(actor),
          Optional.ofNullable(action),
          Optional.ofNullable(since),
          limit,
          Optional.ofNullable(cursor));
    }
  }
}
