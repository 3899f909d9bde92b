package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** {@link HttpSupportTest} on Postgres. */
class HttpSupportPostgresTest extends HttpSupportTest {
  HttpSupportPostgresTest() {
    super(TestDatabase.Backend.POSTGRES);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
