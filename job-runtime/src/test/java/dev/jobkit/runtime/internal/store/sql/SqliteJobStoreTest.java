package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JobStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file. */
class SqliteJobStoreTest extends JobStoreContractTest {
  @TempDir Path dir;

  @Override
  protected JobStore openStore() {
    return Stores.sqlite(dir.resolve("jobs.db"), SqliteOptions.defaults(), clock);
  }
}
