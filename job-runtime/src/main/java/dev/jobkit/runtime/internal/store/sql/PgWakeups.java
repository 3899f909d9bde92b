package dev.jobkit.runtime.internal.store.sql;

import java.sql.PreparedStatement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other nodes that jobs were dispatched, after the dispatch committed, on a thread of its
 * own: one {@code pg_notify} per queue for everything dispatched since the last one.
 *
 * <p>Why not {@code pg_notify} inside the dispatching transaction: PostgreSQL serializes the
 * commits of all transactions that notified (they take one database-wide lock while queueing the
 * notification), so concurrent dispatches could not share a WAL flush, and a single dispatch paid
 * for the notification in its commit. Sent afterwards, the notification still follows the commit (a
 * woken worker sees the job), costs the dispatcher nothing, and many dispatches share one. Wake-ups
 * are not a delivery guarantee either way: a notification lost with a crash between commit and send
 * is covered by the workers' poll, as a missed one always was.
 *
 * <p>After each send the thread waits {@link #GAP_MILLIS} before the next, gathering the queues
 * that became due meanwhile: a notification is a transaction with a commit record that the server
 * flushes to its WAL, so one per dispatch would double the flushes of a dispatching thread. Other
 * nodes hear of a dispatch at most that much later; this process's own workers are woken at once by
 * the engine, not by this thread.
 */
final class PgWakeups implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgWakeups.class);

  /** The least time between two notifications of this store. */
  static final long GAP_MILLIS = 5;

  private final PostgresDatabase db;
  private final Thread thread;
  private final Set<String> pending = new LinkedHashSet<>(); // guarded by this
  private boolean closed; // guarded by this

  PgWakeups(PostgresDatabase db) {
    this.db = db;
    this.thread = new Thread(this::loop, "jobkit-pg-wakeups");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Jobs became due in {@code queues}, committed: tell the other nodes soon. */
  synchronized void jobsDue(Set<String> queues) {
    if (!closed && pending.addAll(queues)) {
      notifyAll();
    }
  }

  private void loop() {
    while (true) {
      List<String> queues;
      synchronized (this) {
        while (pending.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // Only close() ends this thread; an interrupt from elsewhere is ignored.
          }
        }
        if (pending.isEmpty()) {
          return; // closed, and everything queued before was sent
        }
        queues = List.copyOf(pending);
        pending.clear();
      }
      send(queues);
      pause();
    }
  }

  /** Waits {@link #GAP_MILLIS} after a send, unless the store closes. */
  private synchronized void pause() {
    long until = System.nanoTime() + GAP_MILLIS * 1_000_000;
    long left;
    while (!closed && (left = until - System.nanoTime()) > 0) {
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        // Only close() ends this thread.
      }
    }
  }

  private void send(List<String> queues) {
    try {
      db.autocommit(
          (ctx, c) -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_notify(?, q) FROM unnest(?::text[]) AS q")) {
              ps.setString(1, PgNotifications.JOBS_CHANNEL);
              ps.setArray(2, c.createArrayOf("text", queues.toArray()));
              ps.execute();
            }
            return null;
          });
    } catch (RuntimeException e) {
      // The workers' poll finds the jobs; the storage failure itself surfaces where it matters.
      log.debug("Could not send wake-ups for queues {}", queues, e);
    }
  }

  /** Sends what is pending, then stops the thread. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
