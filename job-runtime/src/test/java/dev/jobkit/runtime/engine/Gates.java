package dev.jobkit.runtime.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Static meeting points between test jobs (decoded from bytes, so they cannot hold references) and
 * tests.
 */
final class Gates {
  private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> LISTS = new ConcurrentHashMap<>();

  private Gates() {}

  static CountDownLatch latch(String name) {
    return LATCHES.computeIfAbsent(name, k -> new CountDownLatch(1));
  }

  static void open(String name) {
    latch(name).countDown();
  }

  static boolean isOpen(String name) {
    return latch(name).getCount() == 0;
  }

  /** Waits briefly for a gate; the caller loops around {@code checkInterrupt()}. */
  static boolean awaitBriefly(String name) throws InterruptedException {
    return latch(name).await(5, TimeUnit.MILLISECONDS);
  }

  static List<String> list(String name) {
    return LISTS.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
  }

  static void await(String name) throws InterruptedException {
    if (!latch(name).await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("gate " + name + " not opened within 10 s");
    }
  }
}
