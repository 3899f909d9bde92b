package dev.jobkit.runtime.internal.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed cron expression. Immutable, thread-safe.
 *
 * <p>It matches local date-times only; {@link Trigger#cron} turns matches into instants in a time
 * zone, with the daylight-saving rules of docs/scheduling.md.
 */
public final class CronExpression {

  /** The fields in the order they appear in a 6-field expression. */
  private enum Field {
    SECOND("second", 0, 59, "0-59"),
    MINUTE("minute", 0, 59, "0-59"),
    HOUR("hour", 0, 23, "0-23"),
    DAY_OF_MONTH("day of month", 1, 31, "1-31"),
    MONTH("month", 1, 12, "1-12 or JAN-DEC"),
    DAY_OF_WEEK("day of week", 0, 7, "0-7 (0 and 7 are Sunday) or SUN-SAT");

    final String label;
    final int min;
    final int max;
    final String use;

    Field(String label, int min, int max, String use) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.use = use;
    }
  }

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final String MACRO_LIST =
      "@yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly";

  private static final String SHAPE =
      "use 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first),"
          + " or a macro such as @hourly";

  private static final String[] MONTH_NAMES = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String expression;
  private final boolean hasSeconds;
  private final long seconds;
  private final long minutes;
  private final int hours;
  private final int daysOfMonth;
  private final int months;
  private final int daysOfWeek;

  /**
   * Vixie cron's DOM_STAR/DOW_STAR flags: a day field counts as unrestricted when its text starts
   * with '*' (or '?'), so {@code *}{@code /2} is "unrestricted" even though it names only some
   * days. Vixie's entry.c sets the flag from the field's first character before parsing it; we do
   * the same so that expressions mean here what they mean in a crontab.
   */
  private final boolean domStar;

  private final boolean dowStar;

  private CronExpression(String expression, String[] fields, int[] columns) {
    this.expression = expression;
    this.hasSeconds = fields.length == 6;
    int first = hasSeconds ? 0 : 1;
    long[] masks = new long[6];
    masks[0] = 1L; // a 5-field expression fires at second 0
    for (int i = 0; i < fields.length; i++) {
      masks[i + first] = parseField(expression, Field.values()[i + first], fields[i], columns[i]);
    }
    this.seconds = masks[0];
    this.minutes = masks[1];
    this.hours = (int) masks[2];
    this.daysOfMonth = (int) masks[3];
    this.months = (int) masks[4];
    long dow = masks[5];
    this.daysOfWeek = (int) ((dow | (dow >>> 7)) & 0x7f); // 7 is Sunday, as 0 is
    String dom = fields[fields.length - 3];
    String dowText = fields[fields.length - 1];
    this.domStar = dom.startsWith("*") || dom.startsWith("?");
    this.dowStar = dowText.startsWith("*") || dowText.startsWith("?");
  }

  /**
   * Parses a cron expression: 5 fields (minute hour day-of-month month day-of-week) or 6 (second
   * minute hour day-of-month month day-of-week), or one of the macros {@code @yearly}, {@code
   * @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code
   * @hourly}. Each field is {@code *}, a number, a name (JAN-DEC in the month, SUN-SAT in the day
   * of week, case-insensitive), a range {@code a-b}, a step ({@code *}{@code /n}, {@code a/n},
   * {@code a-b/n}; {@code a/n} runs to the field's end) or a comma-separated list of those; {@code ?} means {@code *} in the two day
   * fields. Day of week is 0-7, where 0 and 7 are Sunday. When both day fields are restricted
   * (neither starts with {@code *} or {@code ?}), a day matches if either field matches (Vixie
   * cron's rule); otherwise it must match both.
   *
   * @param expression the expression; surrounding whitespace is ignored
   * @return the parsed expression
   * @throws IllegalArgumentException with a one-line message naming the expression, the field, the
   *     1-based column and what to write instead, e.g. {@code cron '0 25 * * *': hour 25 is out of
   *     range (column 3): use 0-23}
   */
  public static CronExpression parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    String text = expression.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("cron '" + text + "' is empty: " + SHAPE);
    }
    String source = text;
    if (text.startsWith("@")) {
      String expansion = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (expansion == null) {
        throw new IllegalArgumentException(
            "cron '" + text + "': unknown macro '" + text + "' (column 1): use " + MACRO_LIST);
      }
      source = expansion;
    }
    String[] fields = source.split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new IllegalArgumentException(
          "cron '" + text + "' has " + fields.length + " fields: " + SHAPE);
    }
    int[] columns = new int[fields.length];
    int at = 0;
    for (int i = 0; i < fields.length; i++) {
      at = source.indexOf(fields[i], at);
      columns[i] = at + 1;
      at += fields[i].length();
    }
    // Errors in a macro's expansion cannot happen; columns refer to the text as written.
    return new CronExpression(text, fields, columns);
  }

  /** The expression as given, without surrounding whitespace. */
  public String expression() {
    return expression;
  }

  /** Whether the expression has a seconds field (6 fields). */
  public boolean hasSeconds() {
    return hasSeconds;
  }

  /**
   * Whether the hour field names every hour ({@code *}, or anything else that covers 0-23): such
   * schedules fire through both passes of a fall-back hour, because they name every hour anyway.
   */
  public boolean everyHour() {
    return hours == (1 << 24) - 1;
  }

  /** The expression as given. */
  @Override
  public String toString() {
    return expression;
  }

  /** Equal when the expressions are the same text. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression && ((CronExpression) o).expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  // ---------------------------------------------------------------- matching

  /**
   * The first local date-time at or after {@code from} (rounded up to a whole second) and before
   * {@code until} that matches, or null. Skips whole months, days, hours and minutes that cannot
   * match, so the cost is a few steps per field, not one per second.
   */
  LocalDateTime nextMatch(LocalDateTime from, LocalDateTime until) {
    if (from.getNano() > 0) {
      from = from.withNano(0).plusSeconds(1);
    }
    if (!from.isBefore(until)) {
      return null;
    }
    int y = from.getYear();
    int mo = from.getMonthValue();
    int d = from.getDayOfMonth();
    int h = from.getHour();
    int mi = from.getMinute();
    int s = from.getSecond();
    LocalDate lastDay = until.toLocalDate();
    while (y <= lastDay.getYear()) {
      int month = nextBit(months, mo, 12);
      if (month < 0) {
        y++;
        mo = 1;
        d = 1;
        h = mi = s = 0;
        continue;
      }
      if (month != mo) {
        mo = month;
        d = 1;
        h = mi = s = 0;
      }
      int day = nextDay(y, mo, d);
      if (day < 0) {
        mo++;
        d = 1;
        h = mi = s = 0;
        continue;
      }
      if (day != d) {
        d = day;
        h = mi = s = 0;
      }
      if (LocalDate.of(y, mo, d).isAfter(lastDay)) {
        return null;
      }
      int hour = nextBit(hours, h, 23);
      if (hour < 0) {
        d++;
        h = mi = s = 0;
        continue;
      }
      if (hour != h) {
        h = hour;
        mi = s = 0;
      }
      int minute = nextBit(minutes, mi, 59);
      if (minute < 0) {
        h++;
        mi = s = 0;
        continue;
      }
      if (minute != mi) {
        mi = minute;
        s = 0;
      }
      int second = nextBit(seconds, s, 59);
      if (second < 0) {
        mi++;
        s = 0;
        continue;
      }
      LocalDateTime match = LocalDateTime.of(y, mo, d, h, mi, second);
      return match.isBefore(until) ? match : null;
    }
    return null;
  }

  /** The first day of the month at or after {@code from} that matches, or -1. */
  private int nextDay(int year, int month, int from) {
    int length = Month.of(month).length(Year.isLeap(year));
    if (from > length) {
      return -1;
    }
    int weekday = LocalDate.of(year, month, from).getDayOfWeek().getValue() % 7;
    for (int day = from; day <= length; day++, weekday = (weekday + 1) % 7) {
      boolean dom = (daysOfMonth & (1 << day)) != 0;
      boolean dow = (daysOfWeek & (1 << weekday)) != 0;
      if (domStar || dowStar ? dom && dow : dom || dow) {
        return day;
      }
    }
    return -1;
  }

  /** The lowest set bit at or above {@code from} and at most {@code max}, or -1. */
  private static int nextBit(long mask, int from, int max) {
    if (from > max) {
      return -1;
    }
    long rest = mask & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  // ---------------------------------------------------------------- parsing

  private static long parseField(String expr, Field field, String text, int column) {
    long mask = 0;
    int at = 0;
    for (String element : text.split(",", -1)) {
      int elementColumn = column + at;
      if (element.isEmpty()) {
        throw error(
            expr,
            field.label + " has an empty list element (column " + elementColumn + ")",
            "remove the extra comma");
      }
      mask |= parseElement(expr, field, element, elementColumn);
      at += element.length() + 1;
    }
    return mask;
  }

  private static long parseElement(String expr, Field field, String element, int column) {
    int slash = element.indexOf('/');
    String range = slash < 0 ? element : element.substring(0, slash);
    int low;
    int high;
    if (range.equals("*") || range.equals("?")) {
      if (range.equals("?") && field != Field.DAY_OF_MONTH && field != Field.DAY_OF_WEEK) {
        throw error(
            expr,
            field.label
                + " '?' (column "
                + column
                + ") is allowed only in day of month and day"
                + " of week",
            "use '*'");
      }
      low = field.min;
      high = field.max;
    } else {
      int dash = range.indexOf('-');
      if (dash >= 0) {
        if (dash == 0 || dash == range.length() - 1) {
          throw error(
              expr,
              field.label + " range '" + range + "' is incomplete (column " + column + ")",
              "write it as low-high, e.g. " + field.min + "-" + Math.min(field.min + 4, field.max));
        }
        low = value(expr, field, range.substring(0, dash), column);
        high = value(expr, field, range.substring(dash + 1), column + dash + 1);
        if (low > high) {
          String lowText = range.substring(0, dash);
          String highText = range.substring(dash + 1);
          boolean numeric =
              Character.isDigit(lowText.charAt(0)) && Character.isDigit(highText.charAt(0));
          int last = field == Field.DAY_OF_WEEK ? 6 : field.max;
          throw error(
              expr,
              field.label + " range " + range + " is reversed (column " + column + ")",
              "write the lower bound first ("
                  + highText
                  + "-"
                  + lowText
                  + ")"
                  + (numeric
                      ? ", or wrap around with a list such as "
                          + lowText
                          + "-"
                          + last
                          + ","
                          + field.min
                          + "-"
                          + highText
                      : ""));
        }
      } else {
        low = value(expr, field, range, column);
        // "a/n" (not Vixie syntax) means "a-max/n", the end '*' runs to: 7 in the day of week,
        // so "1/2" is Monday, Wednesday, Friday and Sunday, as in cron-utils.
        high = slash < 0 ? low : field.max;
      }
    }
    int step = 1;
    if (slash >= 0) {
      step = step(expr, field, element.substring(slash + 1), column + slash + 1);
    }
    long mask = 0;
    for (int v = low; v <= high; v += step) {
      mask |= 1L << v;
    }
    return mask;
  }

  private static int step(String expr, Field field, String text, int column) {
    int span = field.max - field.min + 1;
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw error(
          expr,
          field.label + " step '" + text + "' is not a number (column " + column + ")",
          "write a whole number after '/', e.g. */5");
    }
    int step = text.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(text);
    if (step == 0) {
      throw error(
          expr,
          field.label + " step 0 never advances (column " + column + ")",
          "use a step of 1-" + span + ", e.g. */5");
    }
    if (step > span) {
      throw error(
          expr,
          field.label + " step " + text + " is larger than the field (column " + column + ")",
          "use a step of 1-" + span);
    }
    return step;
  }

  private static int value(String expr, Field field, String text, int column) {
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int v = text.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(text);
      if (v < field.min || v > field.max) {
        throw error(
            expr,
            field.label + " " + text + " is out of range (column " + column + ")",
            "use " + field.use);
      }
      return v;
    }
    String[] names =
        field == Field.MONTH ? MONTH_NAMES : field == Field.DAY_OF_WEEK ? DAY_NAMES : null;
    if (names != null && !text.isEmpty() && text.chars().allMatch(Character::isLetter)) {
      String upper = text.toUpperCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(upper)) {
          return field == Field.MONTH ? i + 1 : i;
        }
      }
      throw error(
          expr,
          field.label + " name '" + text + "' is unknown (column " + column + ")",
          field == Field.MONTH ? "use JAN-DEC or 1-12" : "use SUN-SAT or 0-7 (0 and 7 are Sunday)");
    }
    throw error(
        expr,
        field.label + " '" + text + "' is not a number (column " + column + ")",
        "use " + field.use + ", '*', a range a-b or a step */n");
  }

  private static IllegalArgumentException error(String expr, String what, String fix) {
    return new IllegalArgumentException("cron '" + expr + "': " + what + ": " + fix);
  }
}
