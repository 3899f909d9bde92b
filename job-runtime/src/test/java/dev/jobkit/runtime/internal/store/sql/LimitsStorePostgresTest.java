package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import org.junit.jupiter.api.AfterAll;

/** {@link LimitsStoreTest} on PostgreSQL; each {@link #openStore()} is a store of its own. */
class LimitsStorePostgresTest extends LimitsStoreTest {
  private String url;

  @Override
  JobStore openStore() {
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
