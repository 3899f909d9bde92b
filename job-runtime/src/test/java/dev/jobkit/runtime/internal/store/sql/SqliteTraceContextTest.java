package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.TraceContextContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link TraceContextContractTest} on a SQLite file. */
class SqliteTraceContextTest extends TraceContextContractTest {
  @TempDir Path dir;

  @Override
  protected JobStore openStore() {
    return Stores.sqlite(dir.resolve("jobs.db"), SqliteOptions.defaults(), clock);
  }
}
