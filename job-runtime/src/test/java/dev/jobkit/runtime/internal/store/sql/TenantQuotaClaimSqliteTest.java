package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link TenantQuotaClaimStoreTest} on a SQLite file. */
class TenantQuotaClaimSqliteTest extends TenantQuotaClaimStoreTest {
  @TempDir Path dir;

  @Override
  JobStore openStore() {
    return Stores.sqlite(dir.resolve("jobs.db"), SqliteOptions.defaults(), clock);
  }
}
