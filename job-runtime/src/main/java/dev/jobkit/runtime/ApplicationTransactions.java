package dev.jobkit.runtime;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The application's own transactions on the {@code DataSource} a PostgreSQL manager uses, so that a
 * dispatch made inside one commits or rolls back with it ({@link
 * JobManager.Builder#postgres(DataSource, ApplicationTransactions)}). The Spring Boot starter
 * implements it over Spring's transaction synchronization; another container can implement it over
 * its own.
 *
 * <p>A dispatch on a thread with an open transaction writes the job with that transaction's
 * connection and returns before it is committed: the job exists for others once the transaction
 * commits, and never if it rolls back. The wake-up of workers (in this process and, through {@code
 * pg_notify}, on other nodes) and the {@link JobEventType#DISPATCHED} event wait for the commit.
 * Only dispatches join: queries and control calls use the manager's own connections.
 */
public interface ApplicationTransactions {

  /**
   * The connection of the transaction that the calling thread has open on {@code dataSource}, or
   * null when it has none. The manager uses it for the dispatch only and never commits, rolls back
   * or closes it.
   */
  Connection current(DataSource dataSource);

  /**
   * Runs {@code action} once the calling thread's transaction has committed, and never if it rolls
   * back; called only while {@link #current} gives a connection.
   */
  void afterCommit(Runnable action);
}
