package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link BatchesTest} on SQLite. */
class BatchesSqliteTest extends BatchesTest {
  BatchesSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
