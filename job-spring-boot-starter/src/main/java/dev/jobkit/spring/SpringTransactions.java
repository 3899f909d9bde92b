package dev.jobkit.spring;

import dev.jobkit.runtime.ApplicationTransactions;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's transactions as jobkit joins them: the connection a {@code DataSourceTransactionManager}
 * or {@code JpaTransactionManager} has bound to the thread for the manager's {@code DataSource},
 * and an after-commit synchronization for the wake-ups.
 */
final class SpringTransactions implements ApplicationTransactions {

  @Override
  public Connection current(DataSource dataSource) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      return null;
    }
    Object resource = TransactionSynchronizationManager.getResource(dataSource);
    // The transaction manager bound it; getConnection() also opens a lazy one (JPA's).
    return resource instanceof ConnectionHolder holder ? holder.getConnection() : null;
  }

  @Override
  public void afterCommit(Runnable action) {
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            action.run();
          }
        });
  }
}
