package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link JobEventsTest} on a SQLite file. */
class JobEventsSqliteTest extends JobEventsTest {
  JobEventsSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
