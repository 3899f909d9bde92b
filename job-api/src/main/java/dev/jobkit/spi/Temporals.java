package dev.jobkit.spi;

import java.time.Instant;

/**
 * Reasons given when a date, time or duration string does not parse, and a fast path for the one
 * temporal form that is common in job parameters: an instant as {@link Instant#toString()} writes
 * it. {@code Instant.parse} goes through {@code DateTimeFormatter} and took a quarter of the time
 * of reading a typical job's JSON parameters (see docs/performance.md).
 */
final class Temporals {
  static final String DURATION = "expected an ISO-8601 duration such as PT30M but found '";
  static final String INSTANT =
      "expected an ISO-8601 instant such as 2024-01-31T10:15:30Z but found '";
  static final String LOCAL_DATE = "expected an ISO-8601 date such as 2024-01-31 but found '";
  static final String LOCAL_DATE_TIME =
      "expected an ISO-8601 local date-time such as 2024-01-31T10:15:30 but found '";
  static final String OFFSET_DATE_TIME =
      "expected an ISO-8601 date-time with offset such as 2024-01-31T10:15:30+01:00 but found '";

  /** The longest form {@link #formatInstant} writes: {@code 9999-12-31T23:59:59.999999999Z}. */
  static final int MAX_INSTANT_CHARS = 30;

  private static final long SECONDS_PER_DAY = 86_400;

  /** Epoch seconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z. */
  private static final long MIN_FAST_SECOND = -62_167_219_200L;

  private static final long MAX_FAST_SECOND = 253_402_300_800L;

  private Temporals() {}

  /**
   * The instant in {@code c[off, off + len)} if it has the form {@code yyyy-MM-ddTHH:mm:ss}, an
   * optional fraction of 1 to 9 digits, and {@code Z}, and is a valid date and time; otherwise
   * {@code null}, and the caller asks {@code Instant.parse}, which accepts more forms (offsets,
   * leap seconds, other years) and words the error. Where both accept a string they give the same
   * instant.
   */
  static Instant parseInstant(char[] c, int off, int len) {
    if (len < 20 || len > MAX_INSTANT_CHARS || len == 21) {
      return null;
    }
    int end = off + len;
    if (c[off + 4] != '-'
        || c[off + 7] != '-'
        || c[off + 10] != 'T'
        || c[off + 13] != ':'
        || c[off + 16] != ':'
        || c[end - 1] != 'Z') {
      return null;
    }
    int year = digits(c, off, 4);
    int month = digits(c, off + 5, 2);
    int day = digits(c, off + 8, 2);
    int hour = digits(c, off + 11, 2);
    int minute = digits(c, off + 14, 2);
    int second = digits(c, off + 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || month < 1
        || month > 12
        || day < 1
        || day > lengthOfMonth(year, month)
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    int nano = 0;
    if (len > 20) {
      if (c[off + 19] != '.') {
        return null;
      }
      int n = len - 21;
      nano = digits(c, off + 20, n);
      if (nano < 0) {
        return null;
      }
      for (; n < 9; n++) {
        nano *= 10;
      }
    }
    long seconds =
        epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    return Instant.ofEpochSecond(seconds, nano);
  }

  /**
   * Writes {@code t} into {@code out} (at least {@link #MAX_INSTANT_CHARS} long) exactly as {@link
   * Instant#toString()} would, and returns the length; or returns -1, writing nothing, for a year
   * outside 0000 to 9999, which {@code toString} writes with a sign.
   */
  static int formatInstant(Instant t, char[] out) {
    long seconds = t.getEpochSecond();
    if (seconds < MIN_FAST_SECOND || seconds >= MAX_FAST_SECOND) {
      return -1;
    }
    long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms"), in 400-year eras starting on March 1st.
    long z = day + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int dayOfMonth = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
    put(out, 0, year, 4);
    out[4] = '-';
    put(out, 5, month, 2);
    out[7] = '-';
    put(out, 8, dayOfMonth, 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    int n = 19;
    int nano = t.getNano();
    if (nano != 0) {
      // As DateTimeFormatter.ISO_INSTANT: as many digits as needed, in groups of three.
      out[n++] = '.';
      if (nano % 1_000_000 == 0) {
        put(out, n, nano / 1_000_000, 3);
        n += 3;
      } else if (nano % 1000 == 0) {
        put(out, n, nano / 1000, 6);
        n += 6;
      } else {
        put(out, n, nano, 9);
        n += 9;
      }
    }
    out[n++] = 'Z';
    return n;
  }

  /** The value of {@code count} decimal digits at {@code c[off]}, or -1 if one is not a digit. */
  private static int digits(char[] c, int off, int count) {
    int v = 0;
    for (int i = off; i < off + count; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Writes {@code value} as exactly {@code count} decimal digits, with leading zeros. */
  private static void put(char[] out, int off, int value, int count) {
    for (int i = off + count - 1; i >= off; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static int lengthOfMonth(int year, int month) {
    switch (month) {
      case 2:
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days from 1970-01-01 to the given valid date (proleptic Gregorian). */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    int yearOfEra = (int) (y - era * 400);
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }
}
