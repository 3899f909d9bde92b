package dev.jobkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable report of how far a job has got.
 *
 * <p>Four kinds exist: a {@linkplain #percent(double) percentage}, a {@linkplain #count(long, long)
 * count} of items done out of a total (the runtime derives rate and ETA from successive counts), an
 * {@linkplain #indeterminate(String) indeterminate} message, and {@linkplain #structured(Map)
 * structured} key-values. Any kind may carry a message and details.
 */
public final class Progress {

  /** The kind of a progress report. */
  public enum Kind {
    /** {@link #percent()} is meaningful. */
    PERCENT,
    /** {@link #done()} and {@link #total()} are meaningful. */
    COUNT,
    /** Only the message is meaningful. */
    INDETERMINATE,
    /** Only {@link #details()} (and the message) are meaningful. */
    STRUCTURED
  }

  private final Kind kind;
  private final double percent;
  private final long done;
  private final long total;
  private final String unit;
  private final String message;
  private final Map<String, Object> details;

  private Progress(
      Kind kind,
      double percent,
      long done,
      long total,
      String unit,
      String message,
      Map<String, Object> details) {
    this.kind = kind;
    this.percent = percent;
    this.done = done;
    this.total = total;
    this.unit = unit;
    this.message = message;
    this.details = details;
  }

  /**
   * A percentage between 0 and 100.
   *
   * @throws IllegalArgumentException if {@code percent} is outside 0..100 or not a number
   */
  public static Progress percent(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be between 0 and 100, got " + percent);
    }
    return new Progress(Kind.PERCENT, percent, 0, -1, "", "", Map.of());
  }

  /**
   * {@code done} items out of {@code total}; a negative {@code total} means the total is unknown.
   *
   * @throws IllegalArgumentException if {@code done} is negative
   */
  public static Progress count(long done, long total) {
    return count(done, total, "");
  }

  /**
   * {@code done} units out of {@code total}, where {@code unit} names them (for example {@code
   * "bytes"} or {@code "files"}); a negative {@code total} means unknown.
   */
  public static Progress count(long done, long total, String unit) {
    if (done < 0) {
      throw new IllegalArgumentException("done must not be negative, got " + done);
    }
    return new Progress(
        Kind.COUNT,
        Double.NaN,
        done,
        total < 0 ? -1 : total,
        Objects.requireNonNull(unit, "unit"),
        "",
        Map.of());
  }

  /** Work whose extent is unknown, described by a message. */
  public static Progress indeterminate(String message) {
    return new Progress(
        Kind.INDETERMINATE,
        Double.NaN,
        0,
        -1,
        "",
        Objects.requireNonNull(message, "message"),
        Map.of());
  }

  /**
   * Structured key-values, for example a crawler's pages, bytes and queue length. Values should be
   * strings, numbers or booleans so that they render as JSON.
   */
  public static Progress structured(Map<String, ?> details) {
    return new Progress(Kind.STRUCTURED, Double.NaN, 0, -1, "", "", copy(details));
  }

  /** This report with a human-readable message. */
  public Progress withMessage(String message) {
    return new Progress(
        kind, percent, done, total, unit, Objects.requireNonNull(message, "message"), details);
  }

  /** This report with one more detail. */
  public Progress with(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(details);
    more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new Progress(
        kind, percent, done, total, unit, message, Collections.unmodifiableMap(more));
  }

  private static Map<String, Object> copy(Map<String, ?> details) {
    Map<String, Object> map = new LinkedHashMap<>();
    details.forEach(
        (k, v) -> map.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableMap(map);
  }

  /** The kind of this report. */
  public Kind kind() {
    return kind;
  }

  /**
   * The completed percentage, 0 to 100: given for {@link Kind#PERCENT}, computed for a {@link
   * Kind#COUNT} with a known total, otherwise {@code NaN}.
   */
  public double percent() {
    if (kind == Kind.COUNT && total > 0) {
      return Math.min(100.0, 100.0 * done / total);
    }
    return percent;
  }

  /** Items done, for {@link Kind#COUNT}. */
  public long done() {
    return done;
  }

  /** Total items for {@link Kind#COUNT}, or -1 when unknown. */
  public long total() {
    return total;
  }

  /** The unit counted, or empty. */
  public String unit() {
    return unit;
  }

  /** The message, or empty. */
  public String message() {
    return message;
  }

  /** Structured details, in insertion order; never null. */
  public Map<String, Object> details() {
    return details;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Progress)) {
      return false;
    }
    Progress p = (Progress) o;
    return kind == p.kind
        && Double.compare(percent, p.percent) == 0
        && done == p.done
        && total == p.total
        && unit.equals(p.unit)
        && message.equals(p.message)
        && details.equals(p.details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, percent, done, total, unit, message, details);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    switch (kind) {
      case PERCENT:
        s.append(String.format(java.util.Locale.ROOT, "%.1f%%", percent));
        break;
      case COUNT:
        s.append(done);
        if (total >= 0) {
          s.append('/').append(total);
        }
        if (!unit.isEmpty()) {
          s.append(' ').append(unit);
        }
        break;
      case STRUCTURED:
        s.append(details);
        break;
      default:
        break;
    }
    if (!message.isEmpty()) {
      s.append(s.length() == 0 ? "" : " ").append(message);
    }
    return s.toString();
  }
}
