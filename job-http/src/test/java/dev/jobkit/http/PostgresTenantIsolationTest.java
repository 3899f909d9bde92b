package dev.jobkit.http;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** {@link TenantIsolationTest} on PostgreSQL (the embedded test server). */
class PostgresTenantIsolationTest extends TenantIsolationTest {
  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.postgres();
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
