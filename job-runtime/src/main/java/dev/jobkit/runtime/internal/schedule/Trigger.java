package dev.jobkit.runtime.internal.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** TEMPORARY stub until the cron helper's branch is merged. */
public interface Trigger {
  Instant next(Instant after);

  static Trigger cron(CronExpression cron, ZoneId zone, boolean fallBackBoth) {
    throw new UnsupportedOperationException("stub");
  }

  static Trigger every(Duration interval, Instant anchor) {
    long a = anchor.toEpochMilli();
    long i = interval.toMillis();
    return after -> {
      long t = after.toEpochMilli();
      if (t < a) {
        return anchor;
      }
      return Instant.ofEpochMilli(a + ((t - a) / i + 1) * i);
    };
  }
}
