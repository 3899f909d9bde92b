package dev.jobkit.runtime.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our cron against two oracles: cron-utils 9.2.1 (Unix definition) for thousands of random 5-field
 * expressions in zones without DST, and a brute-force reference written here (every local second or
 * minute, turned into instants exactly as the DST rules say) for 5- and 6-field expressions around
 * the 2026 transitions of New York, Berlin and Lord Howe (which shifts by half an hour).
 */
class CronOracleTest {
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final int CHAIN = 20;

  // ---------------------------------------------------------------- cron-utils

  /**
   * Where cron-utils 9.2.1 (Unix) and Vixie cron disagree, we follow Vixie (cronie's entry.c and
   * cron.c, read for this), and compare those expressions with the brute-force reference instead.
   * Each corner was found by this test; the reason names what cron-utils does.
   */
  enum CronUtilsCorner {
    /**
     * A day field written {@code *}{@code /n} (or any text starting with '*' other than '*' itself)
     * next to a restricted other day field. Vixie sets DOM_STAR/DOW_STAR from the field's first
     * character, so such a field counts as unrestricted and a day must match both fields;
     * cron-utils treats it as restricted and matches either (e.g. {@code 0 0 *}{@code /10 * 1-2}:
     * Vixie fires on the 1st, 11th, 21st, 31st when they are Mondays or Tuesdays, cron-utils on
     * those days and on every Monday and Tuesday).
     */
    VIXIE_STAR_DAY_FIELD,
    /**
     * A day-of-week range with Sunday as an end, written 7 or SUN ({@code 4-7}, {@code SUN-FRI}).
     * Vixie expands the range over 0-7 and folds 7 to Sunday ({@code 4-7} is Thursday to Sunday,
     * {@code SUN-FRI} is 0-5); cron-utils maps 7 and SUN to 0 or 7 before expanding, so it rejects
     * {@code 4-7} and {@code SUN-FRI} ("Invalid range! [7,5]") and reads {@code sun-7/2} as Sunday
     * only.
     */
    SUNDAY_RANGE_END,
    /**
     * A day-of-week step from 7 ({@code 7/2}). Not Vixie syntax; {@code a/n} means {@code a-max/n}
     * here, so {@code 7/2} is Sunday only, while cron-utils folds 7 to 0 first and reads Sunday,
     * Tuesday, Thursday, Saturday. Ours is consistent with {@code 0-7}'s end; both are defensible,
     * and the docs say which we do.
     */
    STEP_FROM_SEVEN;

    static CronUtilsCorner of(String expression) {
      String[] fields = expression.split(" ");
      String dom = fields[fields.length - 3];
      String dow = fields[fields.length - 1];
      if ((dom.startsWith("*") && !dom.equals("*") && !dow.equals("*"))
          || (dow.startsWith("*") && !dow.equals("*") && !dom.equals("*"))) {
        return VIXIE_STAR_DAY_FIELD;
      }
      for (String element : dow.split(",")) {
        String range = element.split("/")[0];
        if (range.contains("-")) {
          for (String end : range.split("-")) {
            if (end.equals("7") || end.equalsIgnoreCase("SUN")) {
              return SUNDAY_RANGE_END;
            }
          }
        } else if (element.startsWith("7/")) {
          return STEP_FROM_SEVEN;
        }
      }
      return null;
    }
  }

  @Test
  void cronUtilsAgreesOnRandomFiveFieldExpressions() {
    CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    Random random = new Random(20260308);
    List<Instant> starts =
        List.of(
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-02-28T23:59:30Z"),
            Instant.parse("2027-12-31T22:10:00Z"),
            Instant.parse("2028-02-28T12:00:00Z"));
    List<String> disagreements = new ArrayList<>();
    Map<CronUtilsCorner, Integer> corners = new EnumMap<>(CronUtilsCorner.class);
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
      RandomCron cron = RandomCron.generate(random, false, false);
      Instant start = starts.get(i % starts.size());
      CronUtilsCorner corner = CronUtilsCorner.of(cron.text);
      if (corner != null) {
        corners.merge(corner, 1, Integer::sum);
        Trigger ours = Trigger.cron(CronExpression.parse(cron.text), ZoneOffset.UTC, false);
        assertEquals(bruteChain(cron, start, 5), chain(ours, start).subList(0, 5), cron.text);
        continue;
      }
      ExecutionTime theirs = ExecutionTime.forCron(parser.parse(cron.text));
      // cron-utils takes most of this test's time (about 0.4 ms a call, ours about 2 us), so a
      // fixed-offset zone other than UTC is checked for every third expression only
      List<ZoneId> zones = i % 3 == 0 ? List.of(ZoneOffset.UTC, TOKYO) : List.of(ZoneOffset.UTC);
      for (ZoneId zone : zones) {
        Trigger ours = Trigger.cron(CronExpression.parse(cron.text), zone, false);
        List<Instant> a = chain(ours, start);
        List<Instant> b = chain(theirs, zone, start);
        compared++;
        if (!a.equals(b)) {
          disagreements.add(
              cron.text
                  + " in "
                  + zone
                  + " from "
                  + start
                  + ":\n  ours   "
                  + a
                  + "\n  theirs "
                  + b);
        }
      }
    }
    int total = compared;
    assertTrue(
        disagreements.isEmpty(),
        () ->
            disagreements.size()
                + " of "
                + total
                + " disagree, e.g.\n"
                + String.join("\n", disagreements.subList(0, Math.min(20, disagreements.size()))));
    // the corners stay corners: most expressions are compared with cron-utils, and each corner
    // really occurs (so the brute-force comparison above covered it)
    assertTrue(compared >= 2000, () -> total + " compared; corners: " + corners);
    assertEquals(Set.of(CronUtilsCorner.values()), corners.keySet(), corners::toString);
  }

  /**
   * The first {@code n} fires after {@code start} in UTC, minute by minute (a whole day at a time
   * when the date does not match), straight from the generator's sets.
   */
  private static List<Instant> bruteChain(RandomCron cron, Instant start, int n) {
    List<Instant> out = new ArrayList<>();
    LocalDateTime t = LocalDateTime.ofInstant(start, ZoneOffset.UTC).withSecond(0).withNano(0);
    LocalDateTime end = t.plusYears(5);
    while (out.size() < n && t.isBefore(end)) {
      t = t.plusMinutes(1);
      if (!cron.matchesDay(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay().minusMinutes(1);
        continue;
      }
      if (cron.matches(t)) {
        out.add(t.toInstant(ZoneOffset.UTC));
      }
    }
    return out;
  }

  private static List<Instant> chain(Trigger trigger, Instant start) {
    List<Instant> out = new ArrayList<>();
    Instant t = start;
    for (int i = 0; i < CHAIN; i++) {
      Instant next = trigger.next(t);
      if (next == null) {
        break;
      }
      out.add(next);
      t = next;
    }
    return out;
  }

  private static List<Instant> chain(ExecutionTime trigger, ZoneId zone, Instant start) {
    List<Instant> out = new ArrayList<>();
    ZonedDateTime t = start.atZone(zone);
    for (int i = 0; i < CHAIN; i++) {
      Optional<ZonedDateTime> next = trigger.nextExecution(t);
      // our horizon: nothing more than 5 years after the call
      if (next.isEmpty() || next.get().isAfter(t.plusYears(5))) {
        break;
      }
      out.add(next.get().toInstant());
      t = next.get();
    }
    return out;
  }

  // ---------------------------------------------------------------- brute force around DST

  @Test
  void bruteForceAgreesAroundTransitionsForFiveFields() {
    Random random = new Random(20261101);
    int[] seen = new int[2];
    for (int i = 0; i < 300; i++) {
      RandomCron cron = RandomCron.generate(random, false, true);
      for (String[] window : windows(1)) {
        checkAgainstBruteForce(cron, window, 60, seen);
      }
    }
    assertExercised(seen);
  }

  /** The comparisons met both DST cases many times, so they did test the rules. */
  private static void assertExercised(int[] seen) {
    assertTrue(
        seen[0] > 100 && seen[1] > 100,
        () -> "gap fires " + seen[0] + ", second-pass fires " + seen[1]);
  }

  @Test
  void bruteForceAgreesAroundTransitionsForSixFields() {
    Random random = new Random(20261025);
    int[] seen = new int[2];
    for (int i = 0; i < 40; i++) {
      RandomCron cron = RandomCron.generate(random, true, true);
      for (String[] window : windows(0)) {
        checkAgainstBruteForce(cron, window, 1, seen);
      }
    }
    assertExercised(seen);
  }

  /** Zone, and local start and end, around each 2026 transition, widened by {@code days}. */
  private static List<String[]> windows(int days) {
    List<String[]> out = new ArrayList<>();
    String[][] transitions = {
      {"America/New_York", "2026-03-08T02:00"},
      {"America/New_York", "2026-11-01T01:30"},
      {"Europe/Berlin", "2026-03-29T02:00"},
      {"Europe/Berlin", "2026-10-25T02:30"},
      // half-hour shifts: 02:00 back to 01:30, and 02:00 forward to 02:30
      {"Australia/Lord_Howe", "2026-04-05T01:45"},
      {"Australia/Lord_Howe", "2026-10-04T02:15"},
      {"UTC", "2026-06-15T12:00"},
    };
    for (String[] t : transitions) {
      LocalDateTime at = LocalDateTime.parse(t[1]);
      out.add(
          new String[] {
            t[0],
            at.minusDays(days).minusHours(4).toString(),
            at.plusDays(days).plusHours(4).toString()
          });
    }
    return out;
  }

  private static void checkAgainstBruteForce(
      RandomCron cron, String[] window, int stepSeconds, int[] seen) {
    ZoneId zone = ZoneId.of(window[0]);
    LocalDateTime from = LocalDateTime.parse(window[1]);
    LocalDateTime to = LocalDateTime.parse(window[2]);
    for (boolean both : new boolean[] {false, true}) {
      NavigableSet<Instant> expected =
          bruteForce(cron, zone, both, from.minusDays(1), to.plusDays(1), stepSeconds, seen);
      Instant start = from.atZone(zone).toInstant();
      Instant end = to.atZone(zone).toInstant();
      List<Instant> want = new ArrayList<>(expected.subSet(start, false, end, false));
      Trigger trigger = Trigger.cron(CronExpression.parse(cron.text), zone, both);
      List<Instant> got = new ArrayList<>();
      for (Instant t = trigger.next(start); t != null && t.isBefore(end); t = trigger.next(t)) {
        got.add(t);
      }
      assertEquals(want, got, () -> cron.text + " in " + zone + (both ? " (BOTH)" : ""));
    }
  }

  /**
   * Every local time in the range (step {@code stepSeconds}) that matches, turned into instants by
   * the rules, read literally: a local time with no offset (a spring-forward gap) fires at {@link
   * ZonedDateTime#ofLocal}; with one offset, there; with two (a fall-back), at the first, and at
   * the second too when BOTH or every hour. A set: instants that coincide fire once.
   */
  static NavigableSet<Instant> bruteForce(
      RandomCron cron,
      ZoneId zone,
      boolean both,
      LocalDateTime from,
      LocalDateTime to,
      int stepSeconds,
      int[] seen) {
    ZoneRules rules = zone.getRules();
    NavigableSet<Instant> fires = new TreeSet<>();
    for (LocalDateTime t = from; t.isBefore(to); t = t.plusSeconds(stepSeconds)) {
      if (!cron.matches(t)) {
        continue;
      }
      List<ZoneOffset> offsets = rules.getValidOffsets(t);
      if (offsets.isEmpty()) {
        fires.add(ZonedDateTime.ofLocal(t, zone, null).toInstant());
        seen[0]++;
        continue;
      }
      fires.add(t.toInstant(offsets.get(0)));
      if (offsets.size() == 2 && (both || cron.everyHour())) {
        fires.add(t.toInstant(offsets.get(1)));
        seen[1]++;
      }
    }
    return fires;
  }
}
