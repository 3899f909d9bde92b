package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link JobManagerTest} on a SQLite file. */
class JobManagerSqliteTest extends JobManagerTest {
  JobManagerSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
