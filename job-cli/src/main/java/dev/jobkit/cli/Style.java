package dev.jobkit.cli;

import dev.jobkit.LogLevel;
import dev.jobkit.runtime.JobState;

/**
 * ANSI colours, on only when writing to a terminal without {@code NO_COLOR} or {@code --no-color};
 * otherwise every method returns its text unchanged.
 */
final class Style {
  private final boolean color;

  Style(boolean color) {
    this.color = color;
  }

  boolean enabled() {
    return color;
  }

  String bold(String s) {
    return wrap("1", s);
  }

  String dim(String s) {
    return wrap("2", s);
  }

  String red(String s) {
    return wrap("31", s);
  }

  String green(String s) {
    return wrap("32", s);
  }

  String yellow(String s) {
    return wrap("33", s);
  }

  String cyan(String s) {
    return wrap("36", s);
  }

  /** A state's name (or any text standing for it) in the state's colour. */
  String state(JobState state, String text) {
    return switch (state) {
      case COMPLETED -> green(text);
      case FAILED, TIMED_OUT, QUARANTINED -> red(text);
      case RUNNING -> cyan(text);
      case PAUSED, CANCELLED, WAITING_RETRY -> yellow(text);
      case QUEUED, SCHEDULED, WAITING -> text; // #12 dependencies: WAITING
    };
  }

  /** A log level's name (or any text standing for it) in the level's colour. */
  String level(LogLevel level, String text) {
    return switch (level) {
      case DEBUG -> dim(text);
      case INFO -> text;
      case WARN -> yellow(text);
      case ERROR -> red(text);
    };
  }

  private String wrap(String code, String s) {
    return color && !s.isEmpty() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
