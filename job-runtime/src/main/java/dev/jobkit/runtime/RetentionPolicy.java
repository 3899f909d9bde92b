package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.RetentionRule;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How long finished jobs are kept before a manager with workers deletes them, with their events,
 * logs and tags: completed jobs for one time, failed, cancelled and timed-out jobs for another,
 * optionally different per queue or per job name. QUARANTINED jobs and jobs that have not finished
 * are never deleted. Immutable.
 *
 * <p>The default, {@link #defaults()}, keeps completed jobs 7 days and the others 30 days: a week
 * covers reading a result after a weekend and most weekly reports, while a failure is what someone
 * may still have to look into, retry or explain a month later (JobRunr keeps succeeded jobs 36
 * hours, which loses results over a long weekend). {@link #none()} keeps everything.
 *
 * <pre>{@code
 * JobManager.builder()
 *     .retention(RetentionPolicy.keep(Duration.ofDays(3), Duration.ofDays(60))
 *         .forQueue("reports", Duration.ofDays(90), RetentionPolicy.FOREVER)
 *         .forJob("mail.send", Duration.ofDays(1), Duration.ofDays(14)))
 * }</pre>
 *
 * <p>A job name's rule wins over its queue's, which wins over the default times.
 */
public final class RetentionPolicy {
  /** Keeps the jobs it is given for forever: they are never deleted automatically. */
  public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  /** The default time completed jobs are kept: 7 days. */
  public static final Duration DEFAULT_KEEP_COMPLETED = Duration.ofDays(7);

  /** The default time failed, cancelled and timed-out jobs are kept: 30 days. */
  public static final Duration DEFAULT_KEEP_FAILED = Duration.ofDays(30);

  /** Times longer than this count as {@link #FOREVER}: they would overflow epoch millis. */
  private static final Duration LONGEST = Duration.ofDays(365L * 10_000);

  private static final RetentionPolicy DEFAULTS =
      new RetentionPolicy(DEFAULT_KEEP_COMPLETED, DEFAULT_KEEP_FAILED, Map.of(), Map.of());
  private static final RetentionPolicy NONE =
      new RetentionPolicy(FOREVER, FOREVER, Map.of(), Map.of());

  private record Keep(Duration completed, Duration failed) {}

  private final Duration keepCompleted;
  private final Duration keepFailed;
  private final Map<String, Keep> queues;
  private final Map<String, Keep> jobs;

  private RetentionPolicy(
      Duration keepCompleted,
      Duration keepFailed,
      Map<String, Keep> queues,
      Map<String, Keep> jobs) {
    this.keepCompleted = keepCompleted;
    this.keepFailed = keepFailed;
    this.queues = queues;
    this.jobs = jobs;
  }

  /** Completed jobs for 7 days; failed, cancelled and timed-out jobs for 30 days. */
  public static RetentionPolicy defaults() {
    return DEFAULTS;
  }

  /** Keeps every job forever: no automatic deletion (what {@code jobkit cleanup} is then for). */
  public static RetentionPolicy none() {
    return NONE;
  }

  /**
   * Keeps completed jobs for {@code completed} after they finished, and failed, cancelled and
   * timed-out jobs for {@code failed}; either may be {@link #FOREVER}.
   *
   * @throws IllegalArgumentException if a time is zero or negative
   */
  public static RetentionPolicy keep(Duration completed, Duration failed) {
    return new RetentionPolicy(
        check(completed, "completed"), check(failed, "failed"), Map.of(), Map.of());
  }

  /**
   * This policy, with other times for the jobs of {@code queue} (unless their job name has times of
   * its own).
   *
   * @throws IllegalArgumentException if the queue is blank or a time is zero or negative
   */
  public RetentionPolicy forQueue(String queue, Duration completed, Duration failed) {
    Map<String, Keep> q = new LinkedHashMap<>(queues);
    q.put(
        nonBlank(queue, "queue"), new Keep(check(completed, "completed"), check(failed, "failed")));
    return new RetentionPolicy(keepCompleted, keepFailed, Map.copyOf(q), jobs);
  }

  /**
   * This policy, with other times for the jobs named {@code jobName}, in whatever queue.
   *
   * @throws IllegalArgumentException if the name is blank or a time is zero or negative
   */
  public RetentionPolicy forJob(String jobName, Duration completed, Duration failed) {
    Map<String, Keep> j = new LinkedHashMap<>(jobs);
    j.put(
        nonBlank(jobName, "jobName"),
        new Keep(check(completed, "completed"), check(failed, "failed")));
    return new RetentionPolicy(keepCompleted, keepFailed, queues, Map.copyOf(j));
  }

  /** How long completed jobs are kept by default, or {@link #FOREVER}. */
  public Duration keepCompleted() {
    return keepCompleted;
  }

  /** How long failed, cancelled and timed-out jobs are kept by default, or {@link #FOREVER}. */
  public Duration keepFailed() {
    return keepFailed;
  }

  /** Whether this policy never deletes anything. */
  public boolean isNone() {
    return rules().stream().noneMatch(RetentionRule::deletes);
  }

  /** The rules the store applies: job names first, then queues, then the default. */
  List<RetentionRule> rules() {
    List<RetentionRule> r = new ArrayList<>();
    jobs.forEach((n, k) -> r.add(new RetentionRule(null, n, ms(k.completed), ms(k.failed))));
    queues.forEach((q, k) -> r.add(new RetentionRule(q, null, ms(k.completed), ms(k.failed))));
    r.add(RetentionRule.defaults(ms(keepCompleted), ms(keepFailed)));
    return r;
  }

  /**
   * The policy in one line, as {@code jobkit storage} shows it: {@code completed 7d; failed,
   * cancelled, timed out 30d}, then each queue's and job name's times.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(describe(keepCompleted, keepFailed));
    queues.forEach(
        (q, k) ->
            sb.append("; queue ").append(q).append(": ").append(describe(k.completed, k.failed)));
    jobs.forEach(
        (n, k) ->
            sb.append("; job ").append(n).append(": ").append(describe(k.completed, k.failed)));
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetentionPolicy p
        && keepCompleted.equals(p.keepCompleted)
        && keepFailed.equals(p.keepFailed)
        && queues.equals(p.queues)
        && jobs.equals(p.jobs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keepCompleted, keepFailed, queues, jobs);
  }

  private static String describe(Duration completed, Duration failed) {
    return "completed " + text(completed) + ", failed/cancelled/timed out " + text(failed);
  }

  /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 45s}, {@code 1500ms} or {@code forever}. */
  static String text(Duration d) {
    if (d.compareTo(LONGEST) > 0) {
      return "forever";
    }
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  private static long ms(Duration d) {
    return d.compareTo(LONGEST) > 0 ? -1 : d.toMillis();
  }

  private static Duration check(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "retention time for "
              + what
              + " jobs must be positive (or RetentionPolicy.FOREVER), got "
              + d);
    }
    return d;
  }

  private static String nonBlank(String s, String what) {
    Objects.requireNonNull(s, what);
    if (s.isBlank()) {
      throw new IllegalArgumentException(what + " of a retention rule must not be blank");
    }
    return s;
  }
}
