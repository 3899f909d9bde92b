package dev.jobkit.runtime.internal.store;

import java.sql.Connection;

/**
 * The application's own transactions on the store's {@code DataSource}, which a dispatch joins
 * (#13, transactional dispatch): the store writes a dispatch with the connection of the transaction
 * the calling thread has open, so that the job commits or rolls back with the application's work.
 */
public interface JoinedTransactions {

  /**
   * The connection of the transaction the calling thread has open on the store's {@code
   * DataSource}, or null when it has none. The store never commits, rolls back or closes it.
   */
  Connection current();

  /**
   * Runs {@code action} once the calling thread's transaction (the one {@link #current()} gave) has
   * committed, and never if it rolls back.
   */
  void afterCommit(Runnable action);
}
