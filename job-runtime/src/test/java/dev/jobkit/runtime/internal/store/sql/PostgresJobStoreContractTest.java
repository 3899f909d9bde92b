package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JobStoreContractTest;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import org.junit.jupiter.api.AfterAll;

/**
 * The store contract on a real PostgreSQL server, a fresh database per test; every {@link
 * #openStore()} is a separate store with its own connection pool, like another node.
 */
class PostgresJobStoreContractTest extends JobStoreContractTest {
  private String url;

  @Override
  protected JobStore openStore() {
    if (url == null) {
      url = EmbeddedPostgresSupport.freshDatabase();
    }
    return Stores.postgres(
        url,
        EmbeddedPostgresSupport.user(),
        EmbeddedPostgresSupport.password(),
        PostgresOptions.defaults(),
        clock);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
