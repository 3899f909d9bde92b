package dev.jobkit.runtime.engine;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A minimal stand-in for Awaitility (not on the class path): polls a condition until a deadline.
 */
final class Await {
  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  static <T> T value(String what, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
    Object[] box = new Object[1];
    until(
        what,
        () -> {
          T v = supplier.get();
          box[0] = v;
          return ok.test(v);
        });
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
