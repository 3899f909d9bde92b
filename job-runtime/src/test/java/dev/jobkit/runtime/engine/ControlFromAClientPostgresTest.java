package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** {@link ControlFromAClientTest} on PostgreSQL: a fresh database per test on the test server. */
class ControlFromAClientPostgresTest extends ControlFromAClientTest {
  ControlFromAClientPostgresTest() {
    super(TestDatabase.Backend.POSTGRES);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
