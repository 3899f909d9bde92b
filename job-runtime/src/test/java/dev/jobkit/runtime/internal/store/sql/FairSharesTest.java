package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The weighted shares of one claim (#14 fair claiming), without a database. */
class FairSharesTest {
  private static int[] shares(int n, double... weights) {
    return FairClaim.shares(n, weights, new double[weights.length]);
  }

  @Test
  void sharesAreProportionalToTheWeights() {
    assertArrayEquals(new int[] {6, 2}, shares(8, 3, 1));
    assertArrayEquals(new int[] {4, 4}, shares(8, 1, 1));
    assertArrayEquals(new int[] {2, 2, 4}, shares(8, 1, 1, 2));
  }

  @Test
  void everyTenantGetsAtLeastOneJob() {
    assertArrayEquals(new int[] {7, 1}, shares(8, 100, 1));
    assertArrayEquals(new int[] {1, 1, 1}, shares(3, 1, 1, 50));
  }

  @Test
  void remaindersGoToTheLargestFractionThenTheEarlierTenant() {
    // 5 at 3:1 is 3.75 and 1.25.
    assertArrayEquals(new int[] {4, 1}, shares(5, 3, 1));
    assertArrayEquals(new int[] {3, 2}, shares(5, 1, 1));
  }

  @Test
  void theCarryOfEarlierClaimsCounts() {
    // 3.75 - 0.5 and 1.25 + 0.5: the light one was given too little before.
    assertArrayEquals(
        new int[] {3, 2}, FairClaim.shares(5, new double[] {3, 1}, new double[] {-0.5, 0.5}));
  }
}
