package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link LimitsTest} on SQLite. */
class LimitsSqliteTest extends LimitsTest {
  LimitsSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
