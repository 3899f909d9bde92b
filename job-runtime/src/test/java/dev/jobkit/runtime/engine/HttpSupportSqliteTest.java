package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link HttpSupportTest} on Sqlite. */
class HttpSupportSqliteTest extends HttpSupportTest {
  HttpSupportSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
