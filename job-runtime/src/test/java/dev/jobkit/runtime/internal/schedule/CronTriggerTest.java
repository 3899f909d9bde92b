package dev.jobkit.runtime.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daylight-saving rules of {@link Trigger#cron}, on the 2026 transitions: New York springs
 * forward on 2026-03-08 at 02:00 (EST -05:00 to EDT -04:00) and falls back on 2026-11-01 at 02:00
 * (to 01:00); Berlin springs forward on 2026-03-29 at 02:00 (CET +01:00 to CEST +02:00) and falls
 * back on 2026-10-25 at 03:00 (to 02:00). docs/scheduling.md shows the same examples.
 */
class CronTriggerTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** Fires strictly after {@code after} and before {@code until}, as offset date-times. */
  private static List<String> fires(
      String cron, ZoneId zone, boolean fallBackBoth, String after, String until) {
    Trigger trigger = Trigger.cron(CronExpression.parse(cron), zone, fallBackBoth);
    Instant end = OffsetDateTime.parse(until).toInstant();
    List<String> out = new ArrayList<>();
    for (Instant t = trigger.next(OffsetDateTime.parse(after).toInstant());
        t != null && t.isBefore(end);
        t = trigger.next(t)) {
      out.add(ZonedDateTime.ofInstant(t, zone).toOffsetDateTime().toString());
    }
    return out;
  }

  // ---------------------------------------------------------------- spring forward

  @Test
  void aDailyTimeInTheSpringGapFiresOnceShiftedForward() {
    List<String> expected =
        List.of("2026-03-07T02:30-05:00", "2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00");
    assertEquals(
        expected,
        fires("30 2 * * *", NEW_YORK, false, "2026-03-07T00:00-05:00", "2026-03-10T00:00-04:00"));
    assertEquals(
        expected,
        fires("30 2 * * *", NEW_YORK, true, "2026-03-07T00:00-05:00", "2026-03-10T00:00-04:00"));
    assertEquals(
        List.of("2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00"),
        fires("30 2 * * *", BERLIN, false, "2026-03-28T00:00+01:00", "2026-03-31T00:00+02:00"));
  }

  @Test
  void aShiftedGapTimeThatMeetsAnotherFireFiresOnce() {
    // 02:30 does not exist and becomes 03:30, which the expression names anyway
    assertEquals(
        List.of("2026-03-08T01:30-05:00", "2026-03-08T03:30-04:00", "2026-03-09T01:30-04:00"),
        fires("30 1-3 * * *", NEW_YORK, false, "2026-03-08T00:00-05:00", "2026-03-09T02:00-04:00"));
  }

  @Test
  void shiftedGapTimesKeepTheirOrderAmongOrdinaryFires() {
    // 02:10 and 02:50 become 03:10 and 03:50 EDT, between the 01:50 and 04:10 fires
    assertEquals(
        List.of(
            "2026-03-29T01:10+01:00",
            "2026-03-29T01:50+01:00",
            "2026-03-29T03:10+02:00",
            "2026-03-29T03:50+02:00",
            "2026-03-29T04:10+02:00",
            "2026-03-29T04:50+02:00"),
        fires(
            "10,50 1,2,4 * * *",
            BERLIN,
            false,
            "2026-03-29T00:00+01:00",
            "2026-03-29T05:00+02:00"));
  }

  @Test
  void hourlyOnTheSpringForwardDayHasNoDuplicateInstant() {
    List<String> day =
        fires("0 * * * *", NEW_YORK, false, "2026-03-07T23:30-05:00", "2026-03-09T00:00-04:00");
    assertEquals(23, day.size(), day::toString);
    assertEquals(
        List.of("2026-03-08T00:00-05:00", "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00"),
        day.subList(0, 3));
    assertEquals(day.size(), day.stream().map(OffsetDateTime::parse).distinct().count());
    List<String> berlin =
        fires("0 * * * *", BERLIN, false, "2026-03-28T23:30+01:00", "2026-03-30T00:00+02:00");
    assertEquals(23, berlin.size(), berlin::toString);
  }

  // ---------------------------------------------------------------- fall back

  @Test
  void aDailyTimeInTheRepeatedHourFiresOnceByDefault() {
    assertEquals(
        List.of("2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
        fires("30 1 * * *", NEW_YORK, false, "2026-10-31T00:00-04:00", "2026-11-03T00:00-05:00"));
    assertEquals(
        List.of("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"),
        fires("30 2 * * *", BERLIN, false, "2026-10-24T00:00+02:00", "2026-10-27T00:00+01:00"));
  }

  @Test
  void aDailyTimeInTheRepeatedHourFiresTwiceWithFallBackBoth() {
    assertEquals(
        List.of(
            "2026-10-31T01:30-04:00",
            "2026-11-01T01:30-04:00",
            "2026-11-01T01:30-05:00",
            "2026-11-02T01:30-05:00"),
        fires("30 1 * * *", NEW_YORK, true, "2026-10-31T00:00-04:00", "2026-11-03T00:00-05:00"));
    assertEquals(
        List.of("2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00", "2026-10-26T02:30+01:00"),
        fires("30 2 * * *", BERLIN, true, "2026-10-25T00:00+02:00", "2026-10-27T00:00+01:00"));
  }

  @Test
  void afterTheFirstPassTheDefaultSkipsTheSecond() {
    // called from inside the repeated hour (second pass, 01:10 EST): the next fire is tomorrow
    assertEquals(
        List.of("2026-11-02T01:30-05:00"),
        fires("30 1 * * *", NEW_YORK, false, "2026-11-01T01:10-05:00", "2026-11-03T00:00-05:00"));
    // with BOTH, the second 01:30 is still ahead
    assertEquals(
        List.of("2026-11-01T01:30-05:00", "2026-11-02T01:30-05:00"),
        fires("30 1 * * *", NEW_YORK, true, "2026-11-01T01:10-05:00", "2026-11-03T00:00-05:00"));
  }

  @Test
  void everyHourExpressionsFireThroughBothPasses() {
    assertEquals(
        List.of(
            "2026-11-01T01:00-04:00",
            "2026-11-01T01:15-04:00",
            "2026-11-01T01:30-04:00",
            "2026-11-01T01:45-04:00",
            "2026-11-01T01:00-05:00",
            "2026-11-01T01:15-05:00",
            "2026-11-01T01:30-05:00",
            "2026-11-01T01:45-05:00",
            "2026-11-01T02:00-05:00"),
        fires("*/15 * * * *", NEW_YORK, false, "2026-11-01T00:50-04:00", "2026-11-01T02:10-05:00"));
    assertEquals(
        List.of(
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:30+02:00",
            "2026-10-25T02:00+01:00",
            "2026-10-25T02:30+01:00",
            "2026-10-25T03:00+01:00"),
        fires("*/30 * * * *", BERLIN, false, "2026-10-25T01:50+02:00", "2026-10-25T03:10+01:00"));
    List<String> hourly =
        fires("0 * * * *", NEW_YORK, false, "2026-10-31T23:30-04:00", "2026-11-02T00:00-05:00");
    assertEquals(25, hourly.size(), hourly::toString);
  }

  @Test
  void firesAreStrictlyIncreasingAcrossEveryTransitionOfTheYear() {
    for (ZoneId zone : List.of(NEW_YORK, BERLIN)) {
      for (String cron : List.of("*/7 * * * *", "30 1,2,3 * * *", "0 0/20 2 * * *")) {
        for (boolean both : new boolean[] {false, true}) {
          Trigger trigger = Trigger.cron(CronExpression.parse(cron), zone, both);
          Instant t = Instant.parse("2026-01-01T00:00:00Z");
          Instant end = Instant.parse("2027-01-01T00:00:00Z");
          while (true) {
            Instant next = trigger.next(t);
            if (next == null || !next.isBefore(end)) {
              break;
            }
            assertTrue(next.isAfter(t), () -> cron + " in " + zone + " went back");
            t = next;
          }
        }
      }
    }
  }
}
