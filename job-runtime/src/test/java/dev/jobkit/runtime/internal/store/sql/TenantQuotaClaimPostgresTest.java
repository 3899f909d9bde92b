package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import org.junit.jupiter.api.AfterAll;

/** {@link TenantQuotaClaimStoreTest} on PostgreSQL. */
class TenantQuotaClaimPostgresTest extends TenantQuotaClaimStoreTest {
  @Override
  JobStore openStore() {
    return Stores.postgres(
        EmbeddedPostgresSupport.freshDatabase(),
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
