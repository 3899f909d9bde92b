package dev.jobkit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jobkit.runtime.QuotaExceededException;
import dev.jobkit.runtime.QuotaExceededException.Quota;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A quota refusal as a 429 problem (#14): Retry-After in whole seconds, rounded up, at least 1. */
class QuotaProblemTest {
  private static String retryAfter(Duration d) {
    return Dispatcher.quota(new QuotaExceededException("t1", Quota.SUBMISSION_RATE, 5, d))
        .headers()
        .get("Retry-After");
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertEquals("2", retryAfter(Duration.ofMillis(1500)));
    assertEquals("1", retryAfter(Duration.ofMillis(1000)));
    assertEquals("2", retryAfter(Duration.ofMillis(1001)));
    assertEquals("1", retryAfter(Duration.ofMillis(3)));
    assertEquals("1", retryAfter(Duration.ZERO));
    assertEquals("1", retryAfter(null), "unknown: 1");
  }

  @Test
  void theProblemCarriesTheOneLineMessageAndTheQuota() {
    QuotaExceededException e = new QuotaExceededException("t1", Quota.MAX_QUEUED, 50, null);
    HttpProblem p = Dispatcher.quota(e);
    assertEquals(429, p.status());
    assertEquals("quota-exceeded", p.slug());
    assertEquals(e.getMessage(), p.getMessage());
    assertFalse(p.getMessage().contains("\n"));
    assertEquals("t1", p.extras().get("tenant"));
    assertEquals("MAX_QUEUED", p.extras().get("quota"));
    assertEquals(50L, p.extras().get("limit"));
  }
}
