package dev.jobkit.examples;

import java.time.Duration;
import java.util.Locale;

/** Formatting of counts, byte counts and durations for log lines and summaries. */
public final class Sizes {
  private Sizes() {}

  /** {@code 532 B}, {@code 12.4 KB}, {@code 3.0 MB}, {@code 1.2 GB} (powers of 1024). */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** {@code "1 file"}, {@code "3 files"}: {@code n} and the noun, plural with an "s" unless 1. */
  public static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** {@code 850 ms}, {@code 4.2 s}, {@code 3 min 5 s}, {@code 1 min}. */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return d.toMinutes() + " min" + (d.toSecondsPart() == 0 ? "" : " " + d.toSecondsPart() + " s");
  }
}
