package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JoinedTransactions;
import dev.jobkit.runtime.internal.store.SharedJobStore;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The one entry point to the store implementation: opens (creating and migrating as needed) a store
 * on SQLite or PostgreSQL. Everything else in this package is package-private.
 */
public final class Stores {
  private Stores() {}

  /**
   * Opens (creating if allowed) and migrates the SQLite database at {@code file}.
   *
   * @param clock only used to stamp applied migrations
   * @throws dev.jobkit.runtime.internal.store.StorageException if the file cannot be used
   */
  public static JobStore sqlite(Path file, SqliteOptions options, Clock clock) {
    JooqBanner.silence();
    return new SqlJobStore(
        SqliteDatabase.open(file, options, clock), Dialect.SQLITE, new Tables(null));
  }

  /**
   * Opens a store on {@code jdbcUrl} with its own pool of {@link PostgresOptions#poolSize()}
   * connections, and migrates the schema.
   *
   * @param user the login, or null to take it from the URL
   * @param password the password, or null to take it from the URL (or for none)
   * @param clock only used to stamp applied migrations
   * @throws dev.jobkit.runtime.internal.store.StorageException if the database cannot be used
   */
  public static SharedJobStore postgres(
      String jdbcUrl, String user, String password, PostgresOptions options, Clock clock) {
    JooqBanner.silence();
    return new SharedSqlJobStore(PostgresDatabase.open(jdbcUrl, user, password, options, clock));
  }

  /**
   * Opens a store on {@code dataSource}, taking one connection per call (so it should pool), and
   * migrates the schema.
   *
   * @param clock only used to stamp applied migrations
   * @throws dev.jobkit.runtime.internal.store.StorageException if the database cannot be used
   */
  public static SharedJobStore postgres(
      DataSource dataSource, PostgresOptions options, Clock clock) {
    return postgres(dataSource, options, clock, null);
  }

  /**
   * {@link #postgres(DataSource, PostgresOptions, Clock)} whose dispatches join the transaction the
   * calling thread has open on {@code dataSource} ({@code joined}; null: never).
   */
  public static SharedJobStore postgres(
      DataSource dataSource, PostgresOptions options, Clock clock, JoinedTransactions joined) {
    JooqBanner.silence();
    return new SharedSqlJobStore(PostgresDatabase.open(dataSource, options, clock, joined));
  }
}
