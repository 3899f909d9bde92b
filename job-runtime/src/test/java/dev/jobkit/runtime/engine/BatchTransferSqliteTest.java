package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link BatchTransferTest} on SQLite. */
class BatchTransferSqliteTest extends BatchTransferTest {
  BatchTransferSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
