package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link TemplatesTest} on SQLite. */
class TemplatesSqliteTest extends TemplatesTest {
  TemplatesSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
