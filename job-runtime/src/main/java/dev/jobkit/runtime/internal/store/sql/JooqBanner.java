package dev.jobkit.runtime.internal.store.sql;

/**
 * Turns off jOOQ's start-up banner and tips, which it logs at INFO the first time it runs and which
 * mean nothing to a jobkit user. A value the application set itself is left alone.
 */
final class JooqBanner {
  private JooqBanner() {}

  /** Call before the first use of jOOQ. */
  static void silence() {
    setIfAbsent("org.jooq.no-logo");
    setIfAbsent("org.jooq.no-tips");
  }

  private static void setIfAbsent(String key) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, "true");
    }
  }
}
