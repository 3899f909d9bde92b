package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** {@link AutoCheckpointTest} on PostgreSQL: a fresh database per test on the test server. */
class AutoCheckpointPostgresTest extends AutoCheckpointTest {
  AutoCheckpointPostgresTest() {
    super(TestDatabase.Backend.POSTGRES);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
