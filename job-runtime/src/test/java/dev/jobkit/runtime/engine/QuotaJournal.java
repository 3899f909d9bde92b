package dev.jobkit.runtime.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the running jobs of each tenant (and of each host of limited jobs) of one test run, and
 * the most that ran at once: a job counts from the start of its {@code run} to its end, which lies
 * inside the time its row is RUNNING, so the most at once here never exceeds the most RUNNING in
 * the database. Jobs are decoded from bytes: they reach the journal through static state.
 */
final class QuotaJournal {
  private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> DONE = new ConcurrentHashMap<>();

  private QuotaJournal() {}

  private static AtomicInteger get(Map<String, AtomicInteger> map, String run, String what) {
    return map.computeIfAbsent(run + "/" + what, k -> new AtomicInteger());
  }

  /** A job of {@code what} (a tenant, or a host) of run {@code run} starts. */
  static void start(String run, String what) {
    int now = get(RUNNING, run, what).incrementAndGet();
    get(MOST, run, what).accumulateAndGet(now, Math::max);
  }

  /** A job of {@code what} of run {@code run} ends. */
  static void end(String run, String what) {
    get(RUNNING, run, what).decrementAndGet();
    get(DONE, run, what).incrementAndGet();
  }

  static int running(String run, String what) {
    return get(RUNNING, run, what).get();
  }

  static int most(String run, String what) {
    return get(MOST, run, what).get();
  }

  static int done(String run, String what) {
    return get(DONE, run, what).get();
  }
}
