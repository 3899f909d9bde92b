package dev.jobkit.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of one tenant (#14 tenants): its weight in fair claiming and its quotas, stored by
 * {@link Tenants#put} or declared with {@link JobManager.Builder#tenant}. Every quota is off when
 * 0. A tenant without settings has weight 1 and no quotas. See {@code docs/tenancy.md}.
 *
 * @param name the tenant ({@link Tenants#checkName})
 * @param weight its share in fair claiming within a queue, at least 1
 * @param maxQueued the most jobs of the tenant that may wait (queued, scheduled, waiting to retry,
 *     or waiting for parents) when a dispatch is stored; 0 for no quota
 * @param maxRunning the most jobs of the tenant that may run at once across all nodes, enforced at
 *     claim; 0 for no quota
 * @param submissions the most jobs dispatched per {@code submissionPeriod} (a GCRA rate, with
 *     {@code burst}); 0 for no quota
 * @param submissionPeriod the period of {@code submissions}; {@link Duration#ZERO} without a rate
 * @param burst how many submissions may come at once beyond the even rate; 0 means {@code
 *     submissions} (a full period's worth)
 * @param maxStoredBytes the most bytes of parameters the tenant's stored jobs may hold; 0 for no
 *     quota
 * @param description what the tenant is, if given
 */
public record TenantSpec(
    String name,
    int weight,
    long maxQueued,
    int maxRunning,
    int submissions,
    Duration submissionPeriod,
    int burst,
    long maxStoredBytes,
    Optional<String> description) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException naming the setting, for a value out of range
   */
  public TenantSpec {
    Tenants.checkName(name);
    Objects.requireNonNull(submissionPeriod, "submissionPeriod");
    Objects.requireNonNull(description, "description");
    if (weight < 1 || weight > 1000) {
      throw new IllegalArgumentException(
          "tenant '" + name + "': weight must be between 1 and 1000, got " + weight);
    }
    nonNegative(name, "maxQueued", maxQueued);
    nonNegative(name, "maxRunning", maxRunning);
    nonNegative(name, "submissions", submissions);
    nonNegative(name, "burst", burst);
    nonNegative(name, "maxStoredBytes", maxStoredBytes);
    if (submissions > 0 && (submissionPeriod.isNegative() || submissionPeriod.toMillis() < 1)) {
      throw new IllegalArgumentException(
          "tenant '"
              + name
              + "': a submission rate needs a period of at least 1 ms, got "
              + submissionPeriod);
    }
    if (submissions == 0) {
      submissionPeriod = Duration.ZERO;
      burst = 0;
    }
  }

  private static void nonNegative(String name, String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "tenant '" + name + "': " + what + " must be 0 (none) or positive, got " + value);
    }
  }

  /** A builder of settings for {@code name}, with weight 1 and no quotas. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether any quota is set (a tenant without quotas pays nothing extra at dispatch). */
  public boolean hasDispatchQuota() {
    return maxQueued > 0 || submissions > 0 || maxStoredBytes > 0;
  }

  /** Builds a {@link TenantSpec}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private int weight = 1;
    private long maxQueued;
    private int maxRunning;
    private int submissions;
    private Duration submissionPeriod = Duration.ZERO;
    private int burst;
    private long maxStoredBytes;
    private String description;

    private Builder(String name) {
      this.name = Tenants.checkName(name);
    }

    /** Its weight in fair claiming (1 to 1000; default 1). */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** The most waiting jobs (0, the default, for none). */
    public Builder maxQueued(long n) {
      this.maxQueued = n;
      return this;
    }

    /** The most running jobs across all nodes (0, the default, for none). */
    public Builder maxRunning(int n) {
      this.maxRunning = n;
      return this;
    }

    /** At most {@code count} dispatched jobs per {@code period} (count 0 for none). */
    public Builder submissions(int count, Duration period) {
      this.submissions = count;
      this.submissionPeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /** Submissions allowed at once beyond the even rate (default: the count of a period). */
    public Builder burst(int n) {
      this.burst = n;
      return this;
    }

    /** The most bytes of stored parameters (0, the default, for none). */
    public Builder maxStoredBytes(long n) {
      this.maxStoredBytes = n;
      return this;
    }

    /** What the tenant is, or null. */
    public Builder description(String description) {
      this.description = description == null || description.isBlank() ? null : description.strip();
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the setting, for a value out of range
     */
    public TenantSpec build() {
      return new TenantSpec(
          name,
          weight,
          maxQueued,
          maxRunning,
          submissions,
          submissionPeriod,
          burst,
          maxStoredBytes,
          Optional.ofNullable(description));
    }
  }
}
