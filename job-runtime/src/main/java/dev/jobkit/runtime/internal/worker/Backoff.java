package dev.jobkit.runtime.internal.worker;

import java.util.Random;

/**
 * Retry delays: exponential from an initial delay, capped, each drawn uniformly within ±50 % of its
 * exponential value so that jobs that failed together do not retry together.
 */
final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private final Random random;

  Backoff(long initialMs, long maxMs, Random random) {
    this.initialMs = Math.max(1, initialMs);
    this.maxMs = Math.max(this.initialMs, maxMs);
    this.random = random;
  }

  /** The delay after failed attempt number {@code attempt} (1-based). */
  long delayMs(int attempt) {
    return delayMs(attempt, 0);
  }

  /**
   * The delay after failed attempt number {@code attempt} (1-based) of a job whose own first delay
   * is {@code jobInitialMs} (0 for this policy's): capped at the larger of the two.
   */
  long delayMs(int attempt, long jobInitialMs) {
    long initial = jobInitialMs > 0 ? jobInitialMs : initialMs;
    long max = Math.max(initial, maxMs);
    int shift = Math.min(Math.max(attempt - 1, 0), 40);
    double base = Math.min((double) initial * (1L << shift), (double) max);
    double factor;
    synchronized (random) {
      factor = 0.5 + random.nextDouble(); // [0.5, 1.5)
    }
    return Math.max(1, Math.round(base * factor));
  }
}
