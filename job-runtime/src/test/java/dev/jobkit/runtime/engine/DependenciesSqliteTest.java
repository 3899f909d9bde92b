package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link DependenciesTest} on SQLite. */
class DependenciesSqliteTest extends DependenciesTest {
  DependenciesSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
