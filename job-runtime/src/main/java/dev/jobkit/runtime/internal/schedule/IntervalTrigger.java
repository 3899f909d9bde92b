package dev.jobkit.runtime.internal.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Fires at {@code anchor + k * interval}, {@code k >= 0}; see {@link Trigger#every}. */
record IntervalTrigger(Duration interval, Instant anchor) implements Trigger {

  @Override
  public Instant next(Instant after) {
    Instant next;
    if (after.isBefore(anchor)) {
      next = anchor;
    } else {
      // Computed from the anchor, not from `after`, so that late calls do not shift the slots.
      long k = Duration.between(anchor, after).dividedBy(interval) + 1;
      next = anchor.plus(interval.multipliedBy(k));
    }
    Instant horizon = after.atOffset(ZoneOffset.UTC).plusYears(5).toInstant();
    return next.isAfter(horizon) ? null : next;
  }
}
