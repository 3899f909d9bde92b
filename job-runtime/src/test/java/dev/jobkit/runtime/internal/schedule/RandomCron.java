package dev.jobkit.runtime.internal.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A random valid cron expression together with the values each of its fields names, worked out here
 * from the pieces it was built from, not by {@link CronExpression}: the oracle tests compare the
 * parser and the trigger with this and with cron-utils.
 */
final class RandomCron {
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  final String text;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek; // 0-6, Sunday 0
  private final boolean domStar;
  private final boolean dowStar;

  private RandomCron(String text, BitSet[] sets, boolean domStar, boolean dowStar) {
    this.text = text;
    this.seconds = sets[0];
    this.minutes = sets[1];
    this.hours = sets[2];
    this.daysOfMonth = sets[3];
    this.months = sets[4];
    this.daysOfWeek = sets[5];
    this.domStar = domStar;
    this.dowStar = dowStar;
  }

  /**
   * A random expression. {@code denseDays}: the day and month fields are mostly '*', so that the
   * expression fires on the few days a DST test looks at.
   */
  static RandomCron generate(Random random, boolean withSeconds, boolean denseDays) {
    BitSet[] sets = new BitSet[6];
    List<String> fields = new ArrayList<>();
    boolean[] star = new boolean[6];
    int[][] ranges = {{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    for (int f = 0; f < 6; f++) {
      sets[f] = new BitSet();
      if (f == 0 && !withSeconds) {
        sets[0].set(0);
        continue;
      }
      double starChance = denseDays && f >= 3 ? 0.75 : 0.25;
      String[] names = f == 4 ? MONTHS : f == 5 ? DAYS : null;
      fields.add(field(random, ranges[f][0], ranges[f][1], names, starChance, sets[f], star, f));
    }
    BitSet dow = new BitSet();
    sets[5].stream().forEach(v -> dow.set(v % 7)); // 7 is Sunday, as 0 is
    sets[5] = dow;
    return new RandomCron(String.join(" ", fields), sets, star[3], star[5]);
  }

  private static String field(
      Random random,
      int min,
      int max,
      String[] names,
      double starChance,
      BitSet set,
      boolean[] star,
      int index) {
    if (random.nextDouble() < starChance) {
      star[index] = true;
      if (random.nextInt(3) > 0) {
        set.set(min, max + 1);
        return "*";
      }
      int step = 1 + random.nextInt(Math.max(1, (max - min + 1) / 2));
      for (int v = min; v <= max; v += step) {
        set.set(v);
      }
      return "*/" + step;
    }
    List<String> elements = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      int a = min + random.nextInt(max - min + 1);
      int b = min + random.nextInt(max - min + 1);
      int low = Math.min(a, b);
      int high = Math.max(a, b);
      int step = 1 + random.nextInt(Math.max(1, (max - min + 1) / 3));
      switch (random.nextInt(4)) {
        case 0:
          set.set(a);
          elements.add(name(random, a, names, min));
          break;
        case 1:
          set.set(low, high + 1);
          elements.add(name(random, low, names, min) + "-" + name(random, high, names, min));
          break;
        case 2:
          for (int v = low; v <= high; v += step) {
            set.set(v);
          }
          elements.add(
              name(random, low, names, min) + "-" + name(random, high, names, min) + "/" + step);
          break;
        default:
          // a/n runs to the field's end, as '*' does (7 in the day of week)
          for (int v = a; v <= max; v += step) {
            set.set(v);
          }
          elements.add(name(random, a, names, min) + "/" + step);
          break;
      }
    }
    return String.join(",", elements);
  }

  private static String name(Random random, int value, String[] names, int min) {
    if (names != null && value - min < names.length && random.nextInt(5) < 2) {
      String name = names[value - min];
      return random.nextBoolean() ? name : name.toLowerCase(Locale.ROOT);
    }
    return Integer.toString(value);
  }

  /** Whether the hour field names all 24 hours. */
  boolean everyHour() {
    return hours.cardinality() == 24;
  }

  /** Whether the local date-time matches, with Vixie's day rule, by the book. */
  boolean matches(LocalDateTime t) {
    return seconds.get(t.getSecond())
        && minutes.get(t.getMinute())
        && hours.get(t.getHour())
        && matchesDay(t.toLocalDate());
  }

  /** Whether the date matches: month, and Vixie's rule for the two day fields. */
  boolean matchesDay(LocalDate date) {
    if (!months.get(date.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(date.getDayOfMonth());
    boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
    return domStar || dowStar ? dom && dow : dom || dow;
  }

  @Override
  public String toString() {
    return text;
  }
}
