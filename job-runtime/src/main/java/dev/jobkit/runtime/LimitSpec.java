package dev.jobkit.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A concurrency or rate limit (#12 limits) on a job type or a queue, global across all nodes that
 * share the database, enforced when jobs are claimed.
 *
 * <pre>{@code
 * JobManager.builder()
 *     .limit(LimitSpec.concurrency("deploy", 1).keyedBy("host"))   // one deploy per host
 *     .limit(LimitSpec.rate("send-mail", 10, Duration.ofSeconds(1)).burst(20))
 *     .limit(LimitSpec.queueConcurrency("reports", 4))
 * }</pre>
 *
 * <p>A limit keyed by a parameter applies to each value separately: {@code keyedBy("host")} reads
 * the top-level parameter {@code host} of each job when it is dispatched and stores the key (such
 * as {@code deploy[host=db1]}) with the job. A concurrency limit and a rate limit with the same
 * target and key field share one key. Instances are immutable; the builder methods return copies.
 */
public final class LimitSpec {
  private static final Pattern RATE =
      Pattern.compile(
          "\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)\\s*(?:,?\\s*burst\\s+(\\d+))?\\s*",
          Pattern.CASE_INSENSITIVE);

  private final boolean queue;
  private final String target;
  private final String keyField;
  private final int concurrency;
  private final int rate;
  private final Duration period;
  private final int burst;

  private LimitSpec(
      boolean queue,
      String target,
      String keyField,
      int concurrency,
      int rate,
      Duration period,
      int burst) {
    this.queue = queue;
    this.target = target;
    this.keyField = keyField;
    this.concurrency = concurrency;
    this.rate = rate;
    this.period = period;
    this.burst = burst;
  }

  /** At most {@code n} jobs of type {@code jobType} RUNNING at once, on all nodes together. */
  public static LimitSpec concurrency(String jobType, int n) {
    return new LimitSpec(false, name(jobType, "jobType"), null, positive(n, "n"), 0, null, 0);
  }

  /** At most {@code n} jobs of queue {@code queue} RUNNING at once, on all nodes together. */
  public static LimitSpec queueConcurrency(String queue, int n) {
    return new LimitSpec(true, name(queue, "queue"), null, positive(n, "n"), 0, null, 0);
  }

  /**
   * At most {@code n} starts of job type {@code jobType} per {@code period}, on all nodes together;
   * the burst (starts at once after an idle period) is {@code n} unless set with {@link #burst}.
   */
  public static LimitSpec rate(String jobType, int n, Duration period) {
    return new LimitSpec(
        false, name(jobType, "jobType"), null, 0, positive(n, "n"), period(period), n);
  }

  /** As {@link #rate}, for the jobs of queue {@code queue}. */
  public static LimitSpec queueRate(String queue, int n, Duration period) {
    return new LimitSpec(true, name(queue, "queue"), null, 0, positive(n, "n"), period(period), n);
  }

  /**
   * A rate limit on {@code jobType} written as in {@code @Job(rateLimit = ...)}: {@code "10/1s"},
   * {@code "100/5m"} or {@code "10/1s burst 20"} (units ms, s, m, h, d).
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static LimitSpec parseRate(String jobType, String text) {
    Matcher m = RATE.matcher(Objects.requireNonNull(text, "text"));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "rate limit '"
              + text
              + "' of job '"
              + jobType
              + "' is not of the form N/PERIOD[ burst B]; write e.g. \"10/1s\" or \"100/5m burst 20\"");
    }
    int n = Integer.parseInt(m.group(1));
    long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    Duration period =
        switch (m.group(3).toLowerCase(Locale.ROOT)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    LimitSpec spec = rate(jobType, n, period);
    return m.group(4) == null ? spec : spec.burst(Integer.parseInt(m.group(4)));
  }

  /**
   * This limit applied to each value of the job's top-level parameter {@code field} separately:
   * {@code concurrency("deploy", 1).keyedBy("host")} allows one running deploy per host.
   */
  public LimitSpec keyedBy(String field) {
    return new LimitSpec(queue, target, name(field, "field"), concurrency, rate, period, burst);
  }

  /** This rate limit with {@code b} starts allowed at once after an idle period (at least 1). */
  public LimitSpec burst(int b) {
    if (rate == 0) {
      throw new IllegalStateException(
          "limit on "
              + describeTarget()
              + " has no rate; burst applies to LimitSpec.rate(...) only");
    }
    return new LimitSpec(queue, target, keyField, concurrency, rate, period, positive(b, "burst"));
  }

  /** Whether this limit is on a queue (else on a job type). */
  public boolean onQueue() {
    return queue;
  }

  /** The job type or queue name. */
  public String target() {
    return target;
  }

  /** The parameter whose value keys the limit, if any. */
  public Optional<String> keyField() {
    return Optional.ofNullable(keyField);
  }

  /** Most running jobs per key, or 0 for no concurrency limit. */
  public int concurrency() {
    return concurrency;
  }

  /** Starts per {@link #period()}, or 0 for no rate limit. */
  public int rate() {
    return rate;
  }

  /** The rate's period, if this is a rate limit. */
  public Optional<Duration> period() {
    return Optional.ofNullable(period);
  }

  /** Starts allowed at once after an idle period, or 0 without a rate. */
  public int burst() {
    return burst;
  }

  /** This limit with the settings of {@code other} (same target and key field) that are set. */
  LimitSpec merge(LimitSpec other) {
    return new LimitSpec(
        queue,
        target,
        keyField,
        other.concurrency > 0 ? other.concurrency : concurrency,
        other.rate > 0 ? other.rate : rate,
        other.rate > 0 ? other.period : period,
        other.rate > 0 ? other.burst : burst);
  }

  /** The key of a job under this limit without the key field's value: {@code queue:mail}. */
  String baseKey() {
    return (queue ? "queue:" : "") + target;
  }

  /** What identifies the limit: target and key field. */
  String group() {
    return (queue ? "queue:" : "") + target + (keyField == null ? "" : "[" + keyField + "]");
  }

  String describeTarget() {
    return (queue ? "queue " : "job type ") + target;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("limit on ").append(describeTarget());
    if (keyField != null) {
      b.append(" per ").append(keyField);
    }
    if (concurrency > 0) {
      b.append(": ").append(concurrency).append(" running");
    }
    if (rate > 0) {
      b.append(concurrency > 0 ? ", " : ": ")
          .append(rate)
          .append('/')
          .append(Limits.formatPeriod(period.toMillis()))
          .append(" burst ")
          .append(burst);
    }
    return b.toString();
  }

  private static String name(String s, String what) {
    Objects.requireNonNull(s, what);
    if (s.isBlank()) {
      throw new IllegalArgumentException(what + " of a limit must not be blank");
    }
    return s;
  }

  private static int positive(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " of a limit must be at least 1, got " + n);
    }
    return n;
  }

  private static Duration period(Duration d) {
    Objects.requireNonNull(d, "period");
    if (d.toMillis() < 1) {
      throw new IllegalArgumentException("period of a rate limit must be at least 1 ms, got " + d);
    }
    return d;
  }
}
