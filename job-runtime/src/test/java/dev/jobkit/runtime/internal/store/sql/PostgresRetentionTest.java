package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.RetentionContractTest;
import dev.jobkit.runtime.internal.store.VacuumMode;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RetentionContractTest} on PostgreSQL: every {@link #openStore()} is a store with its own
 * pool, like another node.
 */
class PostgresRetentionTest extends RetentionContractTest {
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

  @Test
  void theServerReclaimsSpace() {
    assertEquals(VacuumMode.SERVER, store.vacuumMode());
    assertEquals(0, store.incrementalVacuum(100));
    store.enableIncrementalVacuum(); // nothing to do
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
