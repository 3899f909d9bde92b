package dev.jobkit.runtime.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link Trigger#every}: slots at anchor + k * interval. */
class TriggerEveryTest {
  private static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:00Z");
  private final Trigger every15 = Trigger.every(Duration.ofMinutes(15), ANCHOR);

  @Test
  void nextIsTheFirstSlotStrictlyAfter() {
    assertEquals(ANCHOR.plusSeconds(900), every15.next(ANCHOR));
    assertEquals(ANCHOR.plusSeconds(900), every15.next(ANCHOR.plusSeconds(1)));
    assertEquals(ANCHOR.plusSeconds(1800), every15.next(ANCHOR.plusSeconds(900)));
    assertEquals(ANCHOR.plusSeconds(900), every15.next(ANCHOR.plusSeconds(899).plusNanos(999)));
  }

  @Test
  void slotsDoNotDriftWhenCalledLate() {
    // three days and a bit late: the slot grid stays on the anchor's quarter hours
    Instant late = ANCHOR.plus(Duration.ofDays(3)).plusSeconds(7 * 60 + 13);
    assertEquals(ANCHOR.plus(Duration.ofDays(3)).plusSeconds(900), every15.next(late));
    Trigger odd = Trigger.every(Duration.ofMillis(1500), ANCHOR);
    assertEquals(ANCHOR.plusMillis(3000), odd.next(ANCHOR.plusMillis(1501)));
  }

  @Test
  void beforeTheAnchorTheFirstSlotIsTheAnchor() {
    assertEquals(ANCHOR, every15.next(ANCHOR.minusSeconds(1)));
    assertEquals(ANCHOR, every15.next(ANCHOR.minus(Duration.ofDays(400))));
  }

  @Test
  void nullWhenTheNextSlotIsMoreThanFiveYearsAway() {
    Trigger decade = Trigger.every(Duration.ofDays(3653), ANCHOR);
    assertNull(decade.next(ANCHOR));
    assertEquals(ANCHOR, decade.next(ANCHOR.minusSeconds(1)));
  }

  @Test
  void theIntervalMustBePositive() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> Trigger.every(Duration.ZERO, ANCHOR));
    assertEquals(
        "interval PT0S is not positive: use a duration of at least 1 second", zero.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Trigger.every(Duration.ofSeconds(-5), ANCHOR));
  }
}
