package dev.jobkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Settings that are refused the moment they are set, with the name of what was wrong. */
class DispatchSettingsTest {
  @Test
  void dispatchOptionsNameANullArgument() {
    DispatchOptions.Builder b = DispatchOptions.builder();
    assertNpe("queue", () -> b.queue(null));
    assertNpe("delay", () -> b.delay(null));
    assertNpe("timeout", () -> b.timeout(null));
    assertNpe("backoff", () -> b.backoff(null));
    assertNpe("idempotencyKey", () -> b.idempotencyKey(null));
    assertNpe("tag", () -> b.tags("a", null));
  }

  @Test
  void dispatchOptionsRefuseTimesThatWouldOverflow() {
    DispatchOptions.Builder b = DispatchOptions.builder();
    assertEquals(
        "delay must be at most 100 years (36500 days), got 99999999999999 days",
        assertThrows(
                IllegalArgumentException.class, () -> b.delay(Duration.ofDays(99_999_999_999_999L)))
            .getMessage());
    for (Executable tooLong :
        List.<Executable>of(
            () -> b.delay(Duration.ofDays(99_999_999_999_999L)),
            () -> b.timeout(Duration.ofSeconds(Long.MAX_VALUE)),
            () -> b.backoff(Duration.ofDays(36_501)))) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, tooLong)
              .getMessage()
              .contains("must be at most 100 years (36500 days)"));
    }
    assertEquals(
        "runAt must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, got"
            + " +1000000000-12-31T23:59:59.999999999Z",
        assertThrows(IllegalArgumentException.class, () -> b.runAt(Instant.MAX)).getMessage());
    // The largest accepted values still dispatch (no overflow on the way to the store).
    b.delay(Duration.ofDays(36_500)).timeout(Duration.ofDays(36_500)).build();
  }

  @Test
  void jobQueryRefusesALimitWhenItIsSet() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JobQuery.builder().limit(1001));
    assertEquals("limit must be 1 to 1000, got 1001", e.getMessage());
    assertEquals(1000, JobQuery.builder().limit(1000).build().limit());
  }

  @Test
  void managerBuilderNamesANullDurationAndABlankQueue() {
    JobManager.Builder b = JobManager.builder();
    assertNpe("pollInterval", () -> b.pollInterval(null));
    assertNpe("shutdownGrace", () -> b.shutdownGrace(null));
    assertNpe("initial backoff", () -> b.backoff(null, Duration.ofSeconds(1)));
    assertNpe("queue", () -> b.workers(null, 1));
    IllegalArgumentException blank =
        assertThrows(IllegalArgumentException.class, () -> b.workers(" ", 1));
    assertEquals("workers: the queue name must not be blank", blank.getMessage());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> b.workers("q", 0));
    assertEquals("workers of queue 'q' must be at least 1, got 0", none.getMessage());
  }

  private static void assertNpe(String name, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(name, e.getMessage());
  }
}
