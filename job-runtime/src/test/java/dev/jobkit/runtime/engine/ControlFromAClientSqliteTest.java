package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link ControlFromAClientTest} on a SQLite file. */
class ControlFromAClientSqliteTest extends ControlFromAClientTest {
  ControlFromAClientSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
