package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;

/** {@link FairClaimStoreTest} on PostgreSQL; each {@link #openStore()} is a store of its own. */
class FairClaimPostgresTest extends FairClaimStoreTest {
  private String url;

  @Override
  JobStore openStore() {
    if (url == null) {
      url = EmbeddedPostgresSupport.freshDatabase();
    }
    return Stores.postgres(
        url,
        EmbeddedPostgresSupport.user(),
        EmbeddedPostgresSupport.password(),
        PostgresOptions.defaults(),
        clock);
  }

  @Override
  void execute(String sql) throws Exception {
    Properties p = new Properties();
    if (EmbeddedPostgresSupport.user() != null) {
      p.setProperty("user", EmbeddedPostgresSupport.user());
    }
    if (EmbeddedPostgresSupport.password() != null) {
      p.setProperty("password", EmbeddedPostgresSupport.password());
    }
    try (Connection c = DriverManager.getConnection(url, p);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }
}
