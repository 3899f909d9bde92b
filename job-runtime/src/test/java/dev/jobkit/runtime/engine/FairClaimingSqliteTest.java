package dev.jobkit.runtime.engine;

import dev.jobkit.runtime.testing.TestDatabase;

/** {@link FairClaimingTest} on SQLite. */
class FairClaimingSqliteTest extends FairClaimingTest {
  FairClaimingSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }
}
