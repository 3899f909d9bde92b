package dev.jobkit.runtime.internal.store;

import java.util.Objects;

/**
 * The definition of one limit key (#12 limits), as stored in {@code jobkit_limits}.
 *
 * @param key the key, such as {@code deploy[host=db1]} or {@code queue:mail}
 * @param maxRunning most RUNNING jobs with this key across all nodes, or 0 for no concurrency limit
 * @param rateCount starts allowed per {@code ratePeriodMs}, or 0 for no rate limit
 * @param ratePeriodMs the rate's period in millis (0 without a rate)
 * @param burst most starts at once after an idle period, at least 1 with a rate
 */
public record LimitRow(String key, int maxRunning, int rateCount, long ratePeriodMs, int burst) {

  /** Validates. */
  public LimitRow {
    Objects.requireNonNull(key, "key");
    if (maxRunning < 0 || rateCount < 0 || ratePeriodMs < 0 || burst < 0) {
      throw new IllegalArgumentException("limit " + key + ": negative setting");
    }
    if (rateCount > 0 && (ratePeriodMs < 1 || burst < 1)) {
      throw new IllegalArgumentException("limit " + key + ": a rate needs a period and a burst");
    }
  }
}
