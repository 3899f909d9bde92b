package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link TenantMaxRunningTest} on SQLite. */
class TenantMaxRunningSqliteTest extends TenantMaxRunningTest {
  TenantMaxRunningSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
