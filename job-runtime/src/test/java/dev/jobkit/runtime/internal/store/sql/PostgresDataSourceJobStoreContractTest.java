package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JobStoreContractTest;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import org.junit.jupiter.api.AfterAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store contract again through {@link SharedJobStore#open(javax.sql.DataSource,
 * PostgresOptions, java.time.Clock)}: one new connection per call, as with a caller's pool.
 */
class PostgresDataSourceJobStoreContractTest extends JobStoreContractTest {
  private PGSimpleDataSource dataSource;

  @Override
  protected JobStore openStore() {
    if (dataSource == null) {
      dataSource = new PGSimpleDataSource();
      dataSource.setUrl(EmbeddedPostgresSupport.freshDatabase());
      dataSource.setUser(EmbeddedPostgresSupport.user());
      dataSource.setPassword(EmbeddedPostgresSupport.password());
    }
    return Stores.postgres(dataSource, PostgresOptions.defaults(), clock);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
