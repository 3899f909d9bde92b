package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * At most {@code size} connections from a {@link DataSource}, opened on demand and kept for reuse;
 * for stores opened from a JDBC URL, where no pool of the caller's is in front of the driver. A
 * connection that broke (the driver closed it) is dropped on release and replaced on demand.
 */
final class ConnectionPool implements AutoCloseable {
  private final DataSource dataSource;
  private final int size;
  private final Duration waitTimeout;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ConnectionPool(DataSource dataSource, int size, Duration waitTimeout) {
    this.dataSource = dataSource;
    this.size = size;
    this.waitTimeout = waitTimeout;
    this.permits = new Semaphore(size, true);
  }

  /**
   * A connection for the caller alone until {@link #release}: an idle one, or a new one while fewer
   * than {@code size} are open.
   *
   * @throws StorageException if none is free within the wait timeout
   */
  Connection acquire(String location) throws SQLException {
    try {
      if (!permits.tryAcquire(waitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StorageException(
            Reason.OTHER,
            "All "
                + size
                + " connections to PostgreSQL at "
                + location
                + " stayed busy for "
                + waitTimeout.toMillis()
                + " ms; raise poolSize",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(
          Reason.OTHER, "Interrupted waiting for a connection to PostgreSQL at " + location, e);
    }
    try {
      Connection c = idle.pollFirst();
      return c != null ? c : dataSource.getConnection();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** Gives back a connection from {@link #acquire}; closes it if it broke or the pool closed. */
  void release(Connection c) {
    try {
      if (closed || c.isClosed()) {
        c.close();
      } else {
        idle.addFirst(c);
        if (closed && idle.remove(c)) { // close() ran meanwhile and may have missed it
          c.close();
        }
      }
    } catch (SQLException e) {
      // Closing a broken connection can fail; it is gone either way.
    } finally {
      permits.release();
    }
  }

  /** Closes idle connections now and busy ones when released. */
  @Override
  public void close() {
    closed = true;
    for (Connection c; (c = idle.pollFirst()) != null; ) {
      try {
        c.close();
      } catch (SQLException e) {
        // Nothing to do: the server drops the session with the socket.
      }
    }
  }
}
