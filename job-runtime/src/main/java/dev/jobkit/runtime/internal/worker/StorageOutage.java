package dev.jobkit.runtime.internal.worker;

import dev.jobkit.runtime.JobStorageException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the storage failures of an engine's background work (claim loops, heartbeat, completer,
 * outcome writes) without flooding the log. When storage starts failing: one WARN with the one-line
 * message (no stack trace; the trace goes to DEBUG). While it keeps failing: at most one WARN per
 * {@link #REPEAT_MS} with a count ("still failing: N failures in the last M s"), or at once when a
 * failure of a new kind turns up (an unreachable server that comes back with a full disk), each
 * kind once per outage. When every source that failed (a claim loop, the heartbeat, the completer)
 * has succeeded again: one INFO. A source succeeding alone does not end the outage: on a full disk
 * the heartbeat's reads still work while the claims fail. Callers back off with {@link
 * #retryDelayMs}.
 *
 * <p>Messages are those of {@link JobStorageException}, which never carry SQL or bound values; any
 * other exception is reported by its type and the first line of its message only.
 */
final class StorageOutage {
  private static final Logger log = LoggerFactory.getLogger(StorageOutage.class);

  /** How often a failure that lasts is reported again. */
  static final long REPEAT_MS = 30_000;

  /** The longest a retry waits after consecutive failures. */
  static final long MAX_RETRY_DELAY_MS = 5_000;

  private final LongSupplier nanoTime;

  /** Read without the lock on every success, so that the healthy path costs one volatile read. */
  private volatile boolean failing;

  // Guarded by this.
  private long failingSince;
  private long lastReport;
  private int failures;
  private int failuresSinceReport;
  private final Set<String> reportedKinds = new HashSet<>();
  private final Set<String> failingSources = new HashSet<>();

  /** A reporter on the system's monotonic clock. */
  StorageOutage() {
    this(System::nanoTime);
  }

  /** A reporter on {@code nanoTime} (tests). */
  StorageOutage(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Reports that a storage call of {@code source} (e.g. "claim default"), made while {@code doing}
   * (e.g. "claiming from queue 'default'"), failed. A null source is a one-off call that will not
   * be retried: it is counted and reported but does not hold the outage open.
   */
  void failed(String source, String doing, RuntimeException e) {
    String message = oneLine(e);
    String k = kindOf(e);
    long now = nanoTime.getAsLong();
    synchronized (this) {
      if (!failing) {
        failing = true;
        failingSince = now;
        failures = 0;
        reportedKinds.clear();
      }
      if (source != null) {
        failingSources.add(source);
      }
      failures++;
      failuresSinceReport++;
      if (reportedKinds.add(k)) {
        lastReport = now;
        failuresSinceReport = 0;
        log.warn(
            "Storage failed while {}: {}; retrying, and reporting again every {} s while it lasts",
            doing,
            message,
            REPEAT_MS / 1000);
      } else if (now - lastReport >= REPEAT_MS * 1_000_000) {
        log.warn(
            "Storage still failing: {} failure(s) in the last {} s (latest while {}: {})",
            failuresSinceReport,
            (now - lastReport) / 1_000_000_000,
            doing,
            message);
        lastReport = now;
        failuresSinceReport = 0;
      }
    }
    log.debug("Storage failed while {}", doing, e);
  }

  /**
   * Reports that a storage call of {@code source} succeeded; logs once that storage works again
   * when no source is failing any longer.
   */
  void succeeded(String source) {
    if (!failing) {
      return;
    }
    long now = nanoTime.getAsLong();
    synchronized (this) {
      if (!failing || !failingSources.remove(source) || !failingSources.isEmpty()) {
        return;
      }
      failing = false;
      log.info(
          "Storage works again after {} failure(s) in {} ms",
          failures,
          (now - failingSince) / 1_000_000);
    }
  }

  /** Whether the last storage call failed. */
  boolean isFailing() {
    return failing;
  }

  /**
   * How long to wait before retrying after {@code consecutive} failures in a row: {@code baseMs},
   * doubled with each further failure, at most {@link #MAX_RETRY_DELAY_MS} (never below {@code
   * baseMs}).
   */
  static long retryDelayMs(long baseMs, int consecutive) {
    int shift = Math.min(Math.max(consecutive - 1, 0), 20);
    return Math.max(baseMs, Math.min(baseMs << shift, MAX_RETRY_DELAY_MS));
  }

  private static String kindOf(RuntimeException e) {
    return e instanceof JobStorageException s ? s.kind().name() : e.getClass().getName();
  }

  /** The message of a storage exception; else the type and the first line of the message. */
  private static String oneLine(RuntimeException e) {
    if (e instanceof JobStorageException) {
      return String.valueOf(e.getMessage());
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    m = m.length() > 300 ? m.substring(0, 300) + "..." : m;
    return e.getClass().getName() + (m.isEmpty() ? "" : ": " + m);
  }
}
