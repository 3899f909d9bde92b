package dev.jobkit.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads and writes durations as people type them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code
 * 2h}, {@code 7d}, {@code 1w}, combinations such as {@code 1h30m}, and ISO-8601 ({@code PT10S}).
 */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * The longest duration accepted: 100 years (36500 days). Anything longer overflows the
   * millisecond times jobkit stores, and means "never" anyway.
   */
  static final Duration MAX = Duration.ofDays(36_500);

  /**
   * Parses a duration of at most {@link #MAX}.
   *
   * @throws TypeConversionException naming the value and the accepted forms or the maximum
   */
  static Duration parse(String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      d = parseUnchecked(value, s);
    } catch (NumberFormatException | ArithmeticException e) {
      throw tooLong(value); // a number or a sum beyond the range of Duration
    }
    if (d.compareTo(MAX) > 0) {
      throw tooLong(value);
    }
    return d;
  }

  private static Duration parseUnchecked(String value, String s) {
    if (s.startsWith("p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        if (e.getCause() instanceof ArithmeticException a) {
          throw a;
        }
        throw invalid(value);
      }
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(value);
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(Math.multiplyExact(7, n));
              });
      at = m.end();
    }
    if (at == 0) {
      throw invalid(value);
    }
    return total;
  }

  private static TypeConversionException tooLong(String value) {
    return new TypeConversionException(
        "duration '" + value + "' is too long: it may be at most 36500d (100 years)");
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException(
        "invalid duration '"
            + value
            + "': use a number with a unit, such as 500ms, 10s, 5m, 2h, 7d or 1h30m");
  }

  /**
   * A short human form: {@code 450ms}, {@code 1.2s}, {@code 3m05s}, {@code 2h10m}, {@code 3d4h}.
   */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 0) {
      return "-" + format(d.negated());
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 10_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s % 60 == 0 ? s / 60 + "m" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      long m = (s % 3600) / 60;
      return m == 0 ? s / 3600 + "h" : String.format(Locale.ROOT, "%dh%02dm", s / 3600, m);
    }
    long h = (s % 86_400) / 3600;
    return s / 86_400 + "d" + (h == 0 ? "" : h + "h");
  }

  /** A coarse age for tables: {@code 12s}, {@code 5m}, {@code 3h}, {@code 2d}. */
  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3600 + "h";
    }
    return s / 86_400 + "d";
  }
}
