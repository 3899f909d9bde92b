package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link TenantsTest} on SQLite. */
class TenantsSqliteTest extends TenantsTest {
  TenantsSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
