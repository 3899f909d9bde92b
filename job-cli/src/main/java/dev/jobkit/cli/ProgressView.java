package dev.jobkit.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * A job's stored progress (the JSON object the runtime writes: {@code kind}, {@code percent},
 * {@code done}/{@code total}/{@code unit} for counts, {@code message}) rendered for people.
 *
 * @param kind PERCENT, COUNT, INDETERMINATE or STRUCTURED
 * @param percent 0 to 100, or NaN when unknown
 * @param done items done (COUNT), or -1
 * @param total items in all (COUNT), or -1
 * @param unit what is counted, or empty
 * @param message a status message, or empty
 */
record ProgressView(
    String kind, double percent, long done, long total, String unit, String message) {

  /**
   * The progress in {@code json}; empty when absent or unreadable (progress never fails a command).
   */
  static Optional<ProgressView> parse(Optional<String> json) {
    if (json.isEmpty() || json.get().isBlank()) {
      return Optional.empty();
    }
    String kind = "";
    double percent = Double.NaN;
    long done = -1;
    long total = -1;
    String unit = "";
    String message = "";
    try (JsonParser p = Json.FACTORY.createParser(json.get())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "kind" -> kind = p.getValueAsString("");
          case "percent" -> percent = t.isNumeric() ? p.getDoubleValue() : Double.NaN;
          case "done" -> done = t.isNumeric() ? p.getLongValue() : -1;
          case "total" -> total = t.isNumeric() ? p.getLongValue() : -1;
          case "unit" -> unit = p.getValueAsString("");
          case "message" -> message = p.getValueAsString("");
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (Double.isNaN(percent) && done >= 0 && total > 0) {
      percent = 100.0 * done / total;
    }
    return Optional.of(new ProgressView(kind, percent, done, total, unit, message));
  }

  boolean isCount() {
    return done >= 0 && total >= 0;
  }

  /** Short form for tables: {@code 42%}, {@code 3/7 files}, or the message. */
  String brief() {
    if (isCount()) {
      return pct() + " " + done + "/" + total + (unit.isEmpty() ? "" : " " + unit);
    }
    if (!Double.isNaN(percent)) {
      return pct();
    }
    return message.isEmpty() ? "…" : message;
  }

  private String pct() {
    return Double.isNaN(percent) ? "?%" : String.format(Locale.ROOT, "%.0f%%", percent);
  }

  /** A bar of {@code width} cells between brackets, such as {@code [#####.....]}. */
  String bar(int width) {
    double f = Double.isNaN(percent) ? 0 : Math.max(0, Math.min(100, percent)) / 100;
    int full = (int) Math.round(f * width);
    return "[" + "#".repeat(full) + ".".repeat(width - full) + "]";
  }

  /** The full line: bar, percent, count, rate and ETA (when {@code rate} knows them), message. */
  String line(int barWidth, Rate rate) {
    StringBuilder b = new StringBuilder();
    if (!Double.isNaN(percent)) {
      b.append(bar(barWidth)).append(' ').append(String.format(Locale.ROOT, "%5.1f%%", percent));
    }
    if (isCount()) {
      b.append("  ").append(done).append('/').append(total);
      if (!unit.isEmpty()) {
        b.append(' ').append(unit);
      }
    }
    rate.perSecond()
        .ifPresent(
            r ->
                b.append("  ")
                    .append(
                        String.format(
                            Locale.ROOT,
                            "%.1f %s/s",
                            r,
                            isCount() ? (unit.isEmpty() ? "items" : unit) : "%")));
    rate.eta(this).ifPresent(eta -> b.append("  ETA ").append(Durations.format(eta)));
    if (!message.isEmpty()) {
      b.append(b.length() == 0 ? "" : "  ").append(message);
    }
    return b.toString();
  }

  /** The amount done in the unit the rate is measured in: items for counts, else percent. */
  double amount() {
    return isCount() ? done : percent;
  }

  /** What is left in the same unit, or NaN. */
  double remaining() {
    return isCount() ? total - done : Double.isNaN(percent) ? Double.NaN : 100 - percent;
  }

  /** The recent rate of progress, from samples taken while watching a job (a sliding window). */
  static final class Rate {
    private static final long WINDOW_NANOS = Duration.ofSeconds(15).toNanos();
    private final Deque<double[]> samples = new ArrayDeque<>(); // {nanos, amount}

    /** Records the progress seen at {@code nanos} ({@link System#nanoTime()}). */
    void sample(long nanos, ProgressView p) {
      double amount = p.amount();
      if (Double.isNaN(amount)) {
        return;
      }
      if (!samples.isEmpty() && amount < samples.peekLast()[1]) {
        samples.clear(); // started over (retried): the old samples say nothing
      }
      samples.addLast(new double[] {nanos, amount});
      while (samples.size() > 2 && nanos - samples.peekFirst()[0] > WINDOW_NANOS) {
        samples.removeFirst();
      }
    }

    /** Units per second over the window, once two samples differ. */
    Optional<Double> perSecond() {
      if (samples.size() < 2) {
        return Optional.empty();
      }
      double[] first = samples.peekFirst();
      double[] last = samples.peekLast();
      double seconds = (last[0] - first[0]) / 1e9;
      if (seconds <= 0 || last[1] <= first[1]) {
        return Optional.empty();
      }
      return Optional.of((last[1] - first[1]) / seconds);
    }

    /** The time left at the current rate. */
    Optional<Duration> eta(ProgressView p) {
      double left = p.remaining();
      return perSecond()
          .filter(r -> !Double.isNaN(left))
          .map(r -> Duration.ofMillis(Math.round(1000 * left / r)));
    }
  }
}
