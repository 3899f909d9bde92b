package dev.jobkit.http;

import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;

/** {@link TenantIsolationTest} on a SQLite file. */
class SqliteTenantIsolationTest extends TenantIsolationTest {
  @Override
  TestDatabase database(Path dir) {
    return TestDatabase.sqlite(dir.resolve("tenants.db"));
  }
}
