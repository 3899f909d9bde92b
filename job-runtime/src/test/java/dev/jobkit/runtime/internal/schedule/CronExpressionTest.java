package dev.jobkit.runtime.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and matching of {@link CronExpression}, in UTC (DST is {@code CronTriggerTest}). */
class CronExpressionTest {

  /** The first {@code n} fires strictly after {@code after} (ISO, UTC), as ISO strings. */
  static List<String> fires(String expression, String after, int n) {
    Trigger trigger = Trigger.cron(CronExpression.parse(expression), ZoneOffset.UTC, false);
    List<String> out = new ArrayList<>();
    Instant t = OffsetDateTime.parse(after).toInstant();
    for (int i = 0; i < n; i++) {
      t = trigger.next(t);
      if (t == null) {
        break;
      }
      out.add(t.toString());
    }
    return out;
  }

  // ---------------------------------------------------------------- syntax

  @Test
  void fiveFieldsFireAtSecondZero() {
    assertEquals(
        List.of("2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:15:00Z"),
        fires("*/5 * * * *", "2026-01-01T00:00:00Z", 3));
  }

  @Test
  void sixFieldsStartWithSeconds() {
    CronExpression cron = CronExpression.parse("15,45 0 12 * * *");
    assertTrue(cron.hasSeconds());
    assertFalse(CronExpression.parse("0 12 * * *").hasSeconds());
    assertEquals(
        List.of("2026-01-01T12:00:15Z", "2026-01-01T12:00:45Z", "2026-01-02T12:00:15Z"),
        fires("15,45 0 12 * * *", "2026-01-01T00:00:00Z", 3));
  }

  @Test
  void listsRangesAndSteps() {
    // minute 5/20 runs to the end of the field: 5, 25, 45; hours 1-3 and 22; a-b/n
    assertEquals(
        List.of(
            "2026-01-01T01:05:00Z",
            "2026-01-01T01:25:00Z",
            "2026-01-01T01:45:00Z",
            "2026-01-01T03:05:00Z"),
        fires("5/20 1-4/2,22 * * *", "2026-01-01T00:00:00Z", 4));
  }

  @Test
  void namesAreCaseInsensitive() {
    // 2026-01-01 is a Thursday
    assertEquals(
        List.of("2026-01-02T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"),
        fires("0 0 * jan,Feb mon-FRI", "2026-01-01T12:00:00Z", 3));
    assertEquals(
        List.of("2026-03-01T00:00:00Z", "2026-12-01T00:00:00Z", "2027-03-01T00:00:00Z"),
        fires("0 0 1 mar,Dec *", "2026-01-01T12:00:00Z", 3));
  }

  @Test
  void sundayIsZeroAndSeven() {
    // 2026-01-04 and 2026-01-11 are Sundays
    List<String> sundays = List.of("2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z");
    assertEquals(sundays, fires("0 0 * * 0", "2026-01-01T00:00:00Z", 2));
    assertEquals(sundays, fires("0 0 * * 7", "2026-01-01T00:00:00Z", 2));
    assertEquals(sundays, fires("0 0 * * sun", "2026-01-01T00:00:00Z", 2));
    // 5-7: Friday, Saturday, Sunday
    assertEquals(
        List.of("2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"),
        fires("0 0 * * 5-7", "2026-01-01T00:00:00Z", 3));
  }

  @Test
  void aStepFromAValueRunsToTheEndOfTheField() {
    // 1/2 is 1-7/2: Monday, Wednesday, Friday and Sunday (7), as '*' runs to 7 in this field
    assertEquals(
        List.of(
            "2026-01-05T00:00:00Z",
            "2026-01-07T00:00:00Z",
            "2026-01-09T00:00:00Z",
            "2026-01-11T00:00:00Z",
            "2026-01-12T00:00:00Z"),
        fires("0 0 * * 1/2", "2026-01-04T12:00:00Z", 5));
    assertEquals(
        List.of("2026-01-01T00:50:00Z", "2026-01-01T01:50:00Z"),
        fires("50/20 * * * *", "2026-01-01T00:00:00Z", 2));
  }

  @Test
  void bothDayFieldsRestrictedMatchEither() {
    // the 13th, or any Friday: Fri 2, Fri 9, Tue 13, Fri 16
    assertEquals(
        List.of(
            "2026-01-02T00:00:00Z",
            "2026-01-09T00:00:00Z",
            "2026-01-13T00:00:00Z",
            "2026-01-16T00:00:00Z"),
        fires("0 0 13 * FRI", "2026-01-01T00:00:00Z", 4));
  }

  @Test
  void aDayFieldStartingWithStarMakesTheDaysMatchBoth() {
    // Vixie: "*/2" starts with '*', so it is "unrestricted": odd days that are also Mondays
    // (Mondays in 2026: Jan 5, 12, 19, 26, Feb 2, 9; the odd ones: Jan 5, 19, Feb 9), not the
    // union of odd days and Mondays that a restricted day-of-month would give
    assertEquals(
        List.of("2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z"),
        fires("0 0 */2 * 1", "2026-01-01T00:00:00Z", 3));
    // '?' is '*' in the day fields
    assertEquals(
        fires("0 0 13 * *", "2026-01-01T00:00:00Z", 3),
        fires("0 0 13 * ?", "2026-01-01T00:00:00Z", 3));
    assertEquals(
        fires("0 0 * * MON", "2026-01-01T00:00:00Z", 3),
        fires("0 0 ? * MON", "2026-01-01T00:00:00Z", 3));
  }

  @ParameterizedTest
  @CsvSource({
    "@yearly, 0 0 1 1 *",
    "@annually, 0 0 1 1 *",
    "@monthly, 0 0 1 * *",
    "@weekly, 0 0 * * 0",
    "@daily, 0 0 * * *",
    "@midnight, 0 0 * * *",
    "@hourly, 0 * * * *",
    "@DAILY, 0 0 * * *",
  })
  void macrosMeanTheirExpansion(String macro, String expansion) {
    assertEquals(macro, CronExpression.parse(" " + macro + " ").expression());
    assertEquals(
        fires(expansion, "2026-01-01T00:30:00Z", 5), fires(macro, "2026-01-01T00:30:00Z", 5));
  }

  @Test
  void expressionIsStripped() {
    CronExpression cron = CronExpression.parse("  0  12\t* * *\n");
    assertEquals("0  12\t* * *", cron.expression());
    assertEquals(cron.expression(), cron.toString());
    assertEquals(CronExpression.parse("0  12\t* * *"), cron);
  }

  @Test
  void everyHourMeansTheHourFieldCoversAllHours() {
    assertTrue(CronExpression.parse("*/15 * * * *").everyHour());
    assertTrue(CronExpression.parse("@hourly").everyHour());
    assertTrue(CronExpression.parse("0 0 */1 * * *").everyHour());
    assertTrue(CronExpression.parse("0 0-23 * * *").everyHour());
    assertFalse(CronExpression.parse("0 0-22 * * *").everyHour());
    assertFalse(CronExpression.parse("@daily").everyHour());
  }

  @Test
  void impossibleDatesReturnNullWithinFiveYears() {
    assertNull(
        Trigger.cron(CronExpression.parse("0 0 30 2 *"), ZoneOffset.UTC, false)
            .next(Instant.parse("2026-01-01T00:00:00Z")));
    assertNull(
        Trigger.cron(CronExpression.parse("0 0 31 4,6,9,11 *"), ZoneId.of("Europe/Berlin"), false)
            .next(Instant.parse("2026-01-01T00:00:00Z")));
    // Feb 29 exists within 5 years (2028), but not from 2096-03-01 (2100 is no leap year)
    assertEquals(List.of("2028-02-29T00:00:00Z"), fires("0 0 29 2 *", "2026-01-01T00:00:00Z", 1));
    assertEquals(List.of(), fires("0 0 29 2 *", "2096-03-01T00:00:00Z", 1));
    // the 31st skips the short months
    assertEquals(
        List.of("2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"),
        fires("0 0 31 * *", "2026-01-01T00:00:00Z", 3));
  }

  @Test
  void nextIsStrictlyAfterEvenWithinASecond() {
    Trigger trigger = Trigger.cron(CronExpression.parse("* * * * * *"), ZoneOffset.UTC, false);
    assertEquals(
        Instant.parse("2026-01-01T00:00:01Z"), trigger.next(Instant.parse("2026-01-01T00:00:00Z")));
    assertEquals(
        Instant.parse("2026-01-01T00:00:01Z"),
        trigger.next(Instant.parse("2026-01-01T00:00:00.999999999Z")));
  }

  @Test
  void nextIsCheapEnoughToCallPerSlot() {
    // A per-second schedule over a DST day, and rare schedules that must skip years of time:
    // minute-by-minute scanning would take minutes here, the field-skipping search milliseconds.
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          Trigger perSecond =
              Trigger.cron(
                  CronExpression.parse("* * * * * *"), ZoneId.of("America/New_York"), false);
          Instant t = Instant.parse("2026-11-01T00:00:00Z");
          for (int i = 0; i < 200_000; i++) {
            Instant next = perSecond.next(t);
            assertEquals(t.plusSeconds(1), next);
            t = next;
          }
          Trigger never =
              Trigger.cron(CronExpression.parse("0 0 0 30 2 *"), ZoneId.of("Europe/Berlin"), true);
          Trigger leap =
              Trigger.cron(CronExpression.parse("59 23 29 2 1"), ZoneId.of("Europe/Berlin"), true);
          for (int i = 0; i < 2_000; i++) {
            Instant from = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i * 3_600L);
            assertNull(never.next(from));
            assertTrue(leap.next(from) != null);
          }
        });
  }

  // ---------------------------------------------------------------- errors, one test each

  private static String error(String expression) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse(expression));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void emptyExpression() {
    assertEquals(
        "cron '' is empty: use 5 (minute hour day-of-month month day-of-week) or 6 (with seconds"
            + " first), or a macro such as @hourly",
        error("   "));
  }

  @Test
  void wrongFieldCount() {
    assertEquals(
        "cron '* * * *' has 4 fields: use 5 (minute hour day-of-month month day-of-week) or 6"
            + " (with seconds first), or a macro such as @hourly",
        error("* * * *"));
    assertTrue(error("0 0 0 * * * 2026").startsWith("cron '0 0 0 * * * 2026' has 7 fields: "));
  }

  @Test
  void outOfRange() {
    assertEquals(
        "cron '0 25 * * *': hour 25 is out of range (column 3): use 0-23", error("0 25 * * *"));
    assertEquals(
        "cron '0 1,25 * * *': hour 25 is out of range (column 5): use 0-23", error("0 1,25 * * *"));
    assertEquals(
        "cron '60 * * * * *': second 60 is out of range (column 1): use 0-59",
        error("60 * * * * *"));
    assertEquals(
        "cron '0 0 0 * *': day of month 0 is out of range (column 5): use 1-31",
        error("0 0 0 * *"));
    assertEquals(
        "cron '0 0 1 1-13 *': month 13 is out of range (column 9): use 1-12 or JAN-DEC",
        error("0 0 1 1-13 *"));
    assertEquals(
        "cron '0 0 * * 8': day of week 8 is out of range (column 9): use 0-7 (0 and 7 are"
            + " Sunday) or SUN-SAT",
        error("0 0 * * 8"));
    assertEquals(
        "cron '99999999999 * * * *': minute 99999999999 is out of range (column 1): use 0-59",
        error("99999999999 * * * *"));
  }

  @Test
  void stepZero() {
    assertEquals(
        "cron '*/0 * * * *': minute step 0 never advances (column 3): use a step of 1-60, e.g."
            + " */5",
        error("*/0 * * * *"));
  }

  @Test
  void stepNotANumber() {
    assertEquals(
        "cron '0 */x * * *': hour step 'x' is not a number (column 5): write a whole number"
            + " after '/', e.g. */5",
        error("0 */x * * *"));
    assertTrue(error("0 1/ * * *").contains("hour step '' is not a number (column 5)"));
  }

  @Test
  void stepLargerThanTheField() {
    assertEquals(
        "cron '0 */25 * * *': hour step 25 is larger than the field (column 5): use a step of"
            + " 1-24",
        error("0 */25 * * *"));
  }

  @Test
  void reversedRange() {
    assertEquals(
        "cron '0 5-2 * * *': hour range 5-2 is reversed (column 3): write the lower bound first"
            + " (2-5), or wrap around with a list such as 5-23,0-2",
        error("0 5-2 * * *"));
    assertEquals(
        "cron '0 0 * * FRI-MON': day of week range FRI-MON is reversed (column 9): write the"
            + " lower bound first (MON-FRI)",
        error("0 0 * * FRI-MON"));
  }

  @Test
  void incompleteRange() {
    assertEquals(
        "cron '0 1- * * *': hour range '1-' is incomplete (column 3): write it as low-high, e.g."
            + " 0-4",
        error("0 1- * * *"));
  }

  @Test
  void unknownName() {
    assertEquals(
        "cron '0 0 * FOO *': month name 'FOO' is unknown (column 7): use JAN-DEC or 1-12",
        error("0 0 * FOO *"));
    assertEquals(
        "cron '0 0 * * MONDAY': day of week name 'MONDAY' is unknown (column 9): use SUN-SAT or"
            + " 0-7 (0 and 7 are Sunday)",
        error("0 0 * * MONDAY"));
    // names belong to their own field
    assertTrue(error("0 0 * MON *").contains("month name 'MON' is unknown (column 7)"));
  }

  @Test
  void notANumber() {
    assertEquals(
        "cron '0 x * * *': hour 'x' is not a number (column 3): use 0-23, '*', a range a-b or a"
            + " step */n",
        error("0 x * * *"));
  }

  @Test
  void emptyListElement() {
    assertEquals(
        "cron '0 1,,2 * * *': hour has an empty list element (column 5): remove the extra comma",
        error("0 1,,2 * * *"));
  }

  @Test
  void questionMarkOutsideTheDayFields() {
    assertEquals(
        "cron '? * * * *': minute '?' (column 1) is allowed only in day of month and day of"
            + " week: use '*'",
        error("? * * * *"));
  }

  @Test
  void unknownMacro() {
    assertEquals(
        "cron '@reboot': unknown macro '@reboot' (column 1): use @yearly, @annually, @monthly,"
            + " @weekly, @daily, @midnight or @hourly",
        error("@reboot"));
  }
}
