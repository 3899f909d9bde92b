package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link LimitsStoreTest} on a SQLite file. */
class LimitsStoreSqliteTest extends LimitsStoreTest {
  @TempDir Path dir;

  @Override
  JobStore openStore() {
    return Stores.sqlite(dir.resolve("jobs.db"), SqliteOptions.defaults(), clock);
  }
}
