package dev.jobkit.runtime.internal.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysGrowExponentiallyWithinHalfJitterAndAreCapped() {
    Backoff b = new Backoff(100, 1_000, new Random(42));
    for (int i = 0; i < 200; i++) {
      long d1 = b.delayMs(1);
      assertTrue(d1 >= 50 && d1 <= 150, "attempt 1: " + d1);
      long d3 = b.delayMs(3);
      assertTrue(d3 >= 200 && d3 <= 600, "attempt 3: " + d3);
      long d30 = b.delayMs(30);
      assertTrue(d30 >= 500 && d30 <= 1_500, "capped: " + d30);
    }
  }

  @Test
  void aJobsOwnInitialDelayReplacesThePolicysAndMayExceedItsCap() {
    Backoff b = new Backoff(100, 1_000, new Random(7));
    for (int i = 0; i < 200; i++) {
      long d1 = b.delayMs(1, 20);
      assertTrue(d1 >= 10 && d1 <= 30, "own initial: " + d1);
      long big = b.delayMs(4, 5_000);
      assertTrue(big >= 2_500 && big <= 7_500, "own initial above the cap is its own cap: " + big);
    }
  }
}
