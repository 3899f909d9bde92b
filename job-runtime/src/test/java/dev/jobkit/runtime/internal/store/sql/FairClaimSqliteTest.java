package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** {@link FairClaimStoreTest} on a SQLite file. */
class FairClaimSqliteTest extends FairClaimStoreTest {
  @TempDir Path dir;

  @Override
  JobStore openStore() {
    return Stores.sqlite(dir.resolve("jobs.db"), SqliteOptions.defaults(), clock);
  }

  @Override
  void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
