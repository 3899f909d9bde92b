package dev.jobkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.RetentionRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static final long DAY = 86_400_000L;

  @Test
  void defaultsKeepCompletedAWeekAndFailuresAMonth() {
    RetentionPolicy p = RetentionPolicy.defaults();
    assertEquals(Duration.ofDays(7), p.keepCompleted());
    assertEquals(Duration.ofDays(30), p.keepFailed());
    assertFalse(p.isNone());
    assertEquals(List.of(RetentionRule.defaults(7 * DAY, 30 * DAY)), p.rules());
    assertEquals("completed 7d, failed/cancelled/timed out 30d", p.toString());
  }

  @Test
  void noneAndForeverDeleteNothing() {
    assertTrue(RetentionPolicy.none().isNone());
    assertTrue(RetentionPolicy.keep(RetentionPolicy.FOREVER, RetentionPolicy.FOREVER).isNone());
    assertEquals(
        "completed forever, failed/cancelled/timed out forever", RetentionPolicy.none().toString());
    // A queue rule on top of none() deletes that queue's jobs only.
    RetentionPolicy q =
        RetentionPolicy.none().forQueue("tmp", Duration.ofHours(36), Duration.ofDays(2));
    assertFalse(q.isNone());
    assertEquals(
        List.of(
            new RetentionRule("tmp", null, 36 * 3_600_000L, 2 * DAY),
            RetentionRule.defaults(-1, -1)),
        q.rules());
  }

  @Test
  void jobRulesComeFirstThenQueuesThenTheDefault() {
    RetentionPolicy p =
        RetentionPolicy.keep(Duration.ofDays(3), Duration.ofDays(60))
            .forQueue("reports", Duration.ofDays(90), RetentionPolicy.FOREVER)
            .forJob("mail.send", Duration.ofMinutes(90), Duration.ofSeconds(45));
    assertEquals(
        List.of(
            new RetentionRule(null, "mail.send", 90 * 60_000L, 45_000L),
            new RetentionRule("reports", null, 90 * DAY, -1),
            RetentionRule.defaults(3 * DAY, 60 * DAY)),
        p.rules());
    assertEquals(
        "completed 3d, failed/cancelled/timed out 60d; queue reports: completed 90d,"
            + " failed/cancelled/timed out forever; job mail.send: completed 90m,"
            + " failed/cancelled/timed out 45s",
        p.toString());
  }

  @Test
  void rejectsTimesThatAreNotPositiveAndBlankNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetentionPolicy.keep(Duration.ZERO, Duration.ofDays(1)));
    assertEquals(
        "retention time for completed jobs must be positive (or RetentionPolicy.FOREVER), got PT0S",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetentionPolicy.defaults().forQueue(" ", Duration.ofDays(1), Duration.ofDays(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetentionPolicy.defaults().forJob("x", Duration.ofDays(1), Duration.ofDays(-1)));
  }
}
