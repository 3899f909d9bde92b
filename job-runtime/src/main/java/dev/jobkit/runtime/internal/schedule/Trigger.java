package dev.jobkit.runtime.internal.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** When a schedule fires: a cron expression in a zone, or a fixed interval. */
public interface Trigger {

  /**
   * The first fire instant strictly after {@code after}; null if none in the next 5 years.
   *
   * @param after the instant to look after (usually the previous fire, or now)
   * @return the next fire instant, or null
   */
  Instant next(Instant after);

  /**
   * A cron expression evaluated in a time zone. Local times that a spring-forward gap skips fire
   * once, shifted forward by the gap's length; local times that a fall-back repeats fire at their
   * first occurrence only, unless {@code fallBackBoth} is true or the expression names every hour
   * ({@link CronExpression#everyHour()}), in which case they fire at both. Fire instants are
   * strictly increasing: two matches that land on the same instant fire once.
   *
   * @param cron the expression
   * @param zone the zone its local times are in
   * @param fallBackBoth whether a repeated local time fires at both of its occurrences
   * @return the trigger
   */
  static Trigger cron(CronExpression cron, ZoneId zone, boolean fallBackBoth) {
    return new CronTrigger(
        Objects.requireNonNull(cron, "cron"), Objects.requireNonNull(zone, "zone"), fallBackBoth);
  }

  /**
   * A fixed interval: fires at {@code anchor + k * interval} for every integer {@code k >= 0}, so
   * the slots do not drift however late {@link #next} is called. Before the anchor, the next fire
   * is the anchor itself.
   *
   * @param interval the time between fires; positive
   * @param anchor one of the fire instants
   * @return the trigger
   * @throws IllegalArgumentException if the interval is zero or negative
   */
  static Trigger every(Duration interval, Instant anchor) {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(anchor, "anchor");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException(
          "interval " + interval + " is not positive: use a duration of at least 1 second");
    }
    return new IntervalTrigger(interval, anchor);
  }
}
