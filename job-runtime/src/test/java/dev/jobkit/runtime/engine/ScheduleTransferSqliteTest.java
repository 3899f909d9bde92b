package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link ScheduleTransferTest} on SQLite. */
class ScheduleTransferSqliteTest extends ScheduleTransferTest {
  ScheduleTransferSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
