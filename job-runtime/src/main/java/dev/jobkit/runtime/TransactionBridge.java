package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.JoinedTransactions;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The application's transactions on the manager's {@code DataSource}, as the store joins them
 * (#13): the one place outside the store that passes a JDBC connection (see ArchitectureTest).
 */
final class TransactionBridge implements JoinedTransactions {
  private final DataSource dataSource;
  private final ApplicationTransactions transactions;

  TransactionBridge(DataSource dataSource, ApplicationTransactions transactions) {
    this.dataSource = dataSource;
    this.transactions = transactions;
  }

  @Override
  public Connection current() {
    return transactions.current(dataSource);
  }

  @Override
  public void afterCommit(Runnable action) {
    transactions.afterCommit(action);
  }
}
