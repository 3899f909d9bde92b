package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;

/** {@link TemplatesTest} on PostgreSQL. */
class TemplatesPostgresTest extends TemplatesTest {
  TemplatesPostgresTest() {
    super(TestDatabase.Backend.POSTGRES);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
