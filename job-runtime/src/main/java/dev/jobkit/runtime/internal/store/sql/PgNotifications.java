package dev.jobkit.runtime.internal.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN}s on channels with a dedicated connection and hands each notification to a callback
 * on one daemon thread. Notifications are wake-ups, not a delivery guarantee: they are only sent on
 * commit, are lost while the connection is down, and the listener is told when it reconnects so
 * that it can poll once for what it missed.
 *
 * <p>Channels the store notifies on: {@link #JOBS_CHANNEL} with the queue name after jobs were
 * dispatched (by {@link PgWakeups}, after the commit, coalesced) or queued again (resumed, retried,
 * recovered: in that transaction), and {@link #CONTROL_CHANNEL} with the job id after a cancel or
 * pause was requested for a running job.
 */
final class PgNotifications implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);

  /** Payload: the queue that has new jobs. */
  public static final String JOBS_CHANNEL = "jobkit_jobs";

  /** Payload: the id of a running job with a new cancel or pause request. */
  public static final String CONTROL_CHANNEL = "jobkit_control";

  /** How long one wait for notifications blocks; bounds how late {@link #close} is noticed. */
  private static final int POLL_MILLIS = 100;

  private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

  /** Receives notifications on the listener thread; must not block for long. */
  public interface Listener {
    /** A notification on {@code channel} with its payload. */
    void onNotification(String channel, String payload);

    /** The connection was lost and is back: notifications sent meanwhile were missed. */
    default void onReconnect() {}
  }

  private final Supplier<Connection> connections;
  private final String location;
  private final List<String> channels;
  private final Listener listener;
  private final Thread thread;
  private volatile Connection connection;
  private volatile boolean closed;

  private PgNotifications(
      Supplier<Connection> connections, String location, List<String> channels, Listener listener) {
    this.connections = connections;
    this.location = location;
    this.channels = List.copyOf(channels);
    this.listener = listener;
    this.thread = new Thread(this::loop, "jobkit-pg-listen " + String.join(",", channels));
    this.thread.setDaemon(true);
  }

  /**
   * Connects, listens on {@code channels} and starts the listener thread. Fails at once if the
   * first connection cannot be made; later losses are retried every second.
   *
   * @param connections opens a new connection each call; translates failures to {@link
   *     dev.jobkit.runtime.internal.store.StorageException}
   * @param location the server's URL without password, for messages
   * @throws dev.jobkit.runtime.internal.store.StorageException if it cannot connect or listen
   */
  static PgNotifications start(
      Supplier<Connection> connections, String location, List<String> channels, Listener listener) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels must not be empty");
    }
    PgNotifications n = new PgNotifications(connections, location, channels, listener);
    n.connection = n.connectAndListen();
    n.thread.start();
    return n;
  }

  private Connection connectAndListen() {
    Connection c = connections.get();
    try (Statement s = c.createStatement()) {
      for (String channel : channels) {
        s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw PostgresErrors.translate(location, e);
    }
  }

  private void loop() {
    while (!closed) {
      try {
        PGNotification[] batch =
            connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        if (batch != null) {
          for (PGNotification n : batch) {
            deliver(n);
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("Lost the PostgreSQL notification connection ({}); reconnecting", e.getMessage());
        closeQuietly(connection);
        reconnect();
      }
    }
  }

  private void deliver(PGNotification n) {
    try {
      listener.onNotification(n.getName(), n.getParameter());
    } catch (RuntimeException e) {
      log.warn("Notification listener failed on {} {}", n.getName(), n.getParameter(), e);
    }
  }

  private void reconnect() {
    while (!closed) {
      try {
        Thread.sleep(RECONNECT_DELAY.toMillis());
        connection = connectAndListen();
        listener.onReconnect();
        return;
      } catch (InterruptedException e) {
        return; // close() interrupts a sleeping listener thread
      } catch (RuntimeException e) {
        log.debug("Reconnecting the notification connection failed: {}", e.getMessage());
      }
    }
  }

  /** Stops listening and closes the connection; waits for the listener thread to end. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2L * POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // The session ends with the socket either way.
    }
  }
}
