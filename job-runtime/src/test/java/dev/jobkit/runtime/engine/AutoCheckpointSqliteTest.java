package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link AutoCheckpointTest} on a SQLite file. */
class AutoCheckpointSqliteTest extends AutoCheckpointTest {
  AutoCheckpointSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
