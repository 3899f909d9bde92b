package dev.jobkit.runtime;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Criteria and page size of {@link JobManager#list(JobQuery)}. Unset criteria match every job.
 *
 * <pre>{@code
 * JobPage failed = jobs.list(JobQuery.builder().states(JobState.FAILED).limit(20).build());
 * }</pre>
 *
 * @param states jobs in any of these states; empty for every state
 * @param name jobs with this registered name
 * @param tag jobs carrying this tag
 * @param queue jobs of this queue
 * @param text a search: jobs whose id starts with it, whose name or one of whose tags equals it, or
 *     whose error contains it (ignoring case)
 * @param createdFrom jobs dispatched at or after this instant
 * @param createdTo jobs dispatched before this instant
 * @param limit the largest page, 1 to {@value #MAX_LIMIT}
 * @param cursor continue after the page that returned this cursor ({@link JobPage#nextCursor()})
 * @param tenant jobs of this tenant (#14 tenants); empty for every tenant
 */
public record JobQuery(
    Set<JobState> states,
    Optional<String> name,
    Optional<String> tag,
    Optional<String> queue,
    Optional<String> text,
    Optional<Instant> createdFrom,
    Optional<Instant> createdTo,
    int limit,
    Optional<String> cursor,
    Optional<String> tenant) {

  /** The page size when none is set. */
  public static final int DEFAULT_LIMIT = 50;

  /** The largest page size. */
  public static final int MAX_LIMIT = 1000;

  /** Validates and copies. */
  public JobQuery {
    states = Set.copyOf(states);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(createdFrom, "createdFrom");
    Objects.requireNonNull(createdTo, "createdTo");
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(tenant, "tenant");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
  }

  /** Every job, first page of {@value #DEFAULT_LIMIT}. */
  public static JobQuery all() {
    return builder().build();
  }

  /** A builder with no criteria and a limit of {@value #DEFAULT_LIMIT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** This query for the page after {@code nextCursor}. */
  public JobQuery after(String nextCursor) {
    return new JobQuery(
        states,
        name,
        tag,
        queue,
        text,
        createdFrom,
        createdTo,
        limit,
        Optional.of(nextCursor),
        tenant);
  }

  /** Builds a {@link JobQuery}; not thread-safe. */
  public static final class Builder {
    private final Set<JobState> states = EnumSet.noneOf(JobState.class);
    private String name;
    private String tag;
    private String queue;
    private String text;
    private Instant createdFrom;
    private Instant createdTo;
    private int limit = DEFAULT_LIMIT;
    private String cursor;
    private String tenant;

    private Builder() {}

    /** Adds states to match (any of them). */
    public Builder states(JobState... s) {
      for (JobState state : s) {
        states.add(Objects.requireNonNull(state, "state"));
      }
      return this;
    }

    /** Only jobs with this registered name. */
    public Builder name(String n) {
      this.name = Objects.requireNonNull(n, "name");
      return this;
    }

    /** Only jobs carrying this tag. */
    public Builder tag(String t) {
      this.tag = Objects.requireNonNull(t, "tag");
      return this;
    }

    /** Only jobs of this queue. */
    public Builder queue(String q) {
      this.queue = Objects.requireNonNull(q, "queue");
      return this;
    }

    /**
     * Only jobs found by a search for {@code q}: the id starts with it, the name or a tag equals
     * it, or the error contains it (ignoring case). A blank {@code q} searches nothing (matches
     * all).
     */
    public Builder text(String q) {
      Objects.requireNonNull(q, "text");
      this.text = q.isBlank() ? null : q.strip();
      return this;
    }

    /** Only jobs dispatched in {@code [from, to)}; either may be null for an open end. */
    public Builder createdBetween(Instant from, Instant to) {
      this.createdFrom = from;
      this.createdTo = to;
      return this;
    }

    /**
     * The largest page, 1 to {@value JobQuery#MAX_LIMIT}.
     *
     * @throws IllegalArgumentException if {@code n} is out of that range
     */
    public Builder limit(int n) {
      if (n < 1 || n > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + n);
      }
      this.limit = n;
      return this;
    }

    /** Only jobs of this tenant (#14 tenants); see {@link Tenants#checkName}. */
    public Builder tenant(String t) {
      this.tenant = Tenants.checkName(t);
      return this;
    }

    /** Continues after the page that returned {@code c}. */
    public Builder cursor(String c) {
      this.cursor = Objects.requireNonNull(c, "cursor");
      return this;
    }

    /** The query. */
    public JobQuery build() {
      return new JobQuery(
          states,
          Optional.ofNullable(name),
          Optional.ofNullable(tag),
          Optional.ofNullable(queue),
          Optional.ofNullable(text),
          Optional.ofNullable(createdFrom),
          Optional.ofNullable(createdTo),
          limit,
          Optional.ofNullable(cursor),
          Optional.ofNullable(tenant));
    }
  }
}
