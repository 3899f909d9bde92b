package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** {@link BatchTransferTest} on PostgreSQL. */
class BatchTransferPostgresTest extends BatchTransferTest {
  BatchTransferPostgresTest() {
    super(TestDatabase.Backend.POSTGRES);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
