package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link RetentionTest} on a SQLite file. */
class RetentionSqliteTest extends RetentionTest {
  RetentionSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
