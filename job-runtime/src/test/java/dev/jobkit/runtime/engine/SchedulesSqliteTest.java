package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link SchedulesTest} on SQLite. */
class SchedulesSqliteTest extends SchedulesTest {
  SchedulesSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
