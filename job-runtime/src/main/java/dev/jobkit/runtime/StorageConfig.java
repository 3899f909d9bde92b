package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JoinedTransactions;
import dev.jobkit.runtime.internal.store.sql.PostgresOptions;
import dev.jobkit.runtime.internal.store.sql.SqliteOptions;
import dev.jobkit.runtime.internal.store.sql.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Where a {@link JobManager} keeps its jobs, as configured on its {@link JobManager.Builder}: a
 * SQLite file or a PostgreSQL database, and how to open it. The builder's storage setters (and
 * their Javadoc) delegate here. Not thread-safe, like the builder.
 */
final class StorageConfig {
  static final Duration SQLITE_LEASE = Duration.ofSeconds(30);
  static final Duration POSTGRES_LEASE = Duration.ofSeconds(10);

  private Path database = Path.of("jobs.db");
  private String pgUrl;
  private String pgUser;
  private String pgPassword;
  private DataSource pgDataSource;
  private ApplicationTransactions pgTransactions; // #13: null, or joined by dispatches
  private String pgSchema = "public";
  private int pgPoolSize = 8;
  private Path dataDirectory;
  private boolean createIfMissing = true;
  private Durability durability = Durability.NORMAL;

  void durability(Durability d) {
    this.durability = Objects.requireNonNull(d, "durability");
  }

  void database(Path database) {
    this.database = Objects.requireNonNull(database, "database");
    clearPostgres();
  }

  void postgres(String jdbcUrl, String user, String password) {
    clearPostgres();
    this.pgUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.pgUser = user;
    this.pgPassword = password;
  }

  void postgres(DataSource dataSource) {
    clearPostgres();
    this.pgDataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  void postgres(DataSource dataSource, ApplicationTransactions transactions) {
    postgres(dataSource);
    this.pgTransactions = Objects.requireNonNull(transactions, "transactions");
  }

  void postgresSchema(String schema) {
    this.pgSchema = Objects.requireNonNull(schema, "schema");
  }

  void postgresPoolSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("postgresPoolSize must be at least 1, got " + n);
    }
    this.pgPoolSize = n;
  }

  void dataDirectory(Path dir) {
    this.dataDirectory = Objects.requireNonNull(dir, "dataDirectory");
  }

  void createIfMissing(boolean create) {
    this.createIfMissing = create;
  }

  private void clearPostgres() {
    pgUrl = null;
    pgUser = null;
    pgPassword = null;
    pgDataSource = null;
    pgTransactions = null;
  }

  /** The application's transactions as the store sees them, or null (#13). */
  private JoinedTransactions joined() {
    return pgTransactions == null ? null : new TransactionBridge(pgDataSource, pgTransactions);
  }

  boolean isPostgres() {
    return pgUrl != null || pgDataSource != null;
  }

  /** The lease when none is configured: shorter on PostgreSQL, where nodes watch each other. */
  Duration defaultLease() {
    return isPostgres() ? POSTGRES_LEASE : SQLITE_LEASE;
  }

  /**
   * The parent of the jobs' data directories: as configured, else {@code jobkit-data} next to the
   * SQLite file or in the working directory on PostgreSQL.
   */
  Path dataRoot() {
    return dataDirectory != null
        ? dataDirectory.toAbsolutePath()
        : isPostgres()
            ? Path.of("jobkit-data").toAbsolutePath()
            : database.toAbsolutePath().getParent().resolve("jobkit-data");
  }

  /**
   * Opens the configured store, creating or migrating its schema.
   *
   * @param clock the manager's configured clock, or null for the default
   * @param leaseDuration the manager's configured lease, or null for the database's default
   */
  JobStore openStore(Clock clock, Duration leaseDuration) {
    // Migrations are stamped with the system clock: the store is not open yet to ask its own.
    Clock stamp = clock != null ? clock : Clock.systemUTC();
    if (isPostgres()) {
      PostgresDriver.require(JobManager.class.getClassLoader());
      // A frozen node must not hold row locks (and so its jobs) much past its lease: a third of
      // the lease leaves the others' heartbeats, which may wait on such a lock, well in time.
      Duration lease = leaseDuration != null ? leaseDuration : POSTGRES_LEASE;
      PostgresOptions options =
          PostgresOptions.defaults()
              .withSchema(pgSchema)
              .withPoolSize(pgPoolSize)
              .withCreateIfMissing(createIfMissing)
              .withIdleInTransactionTimeout(Duration.ofMillis(Math.max(lease.toMillis() / 3, 500)));
      return pgDataSource != null
          ? Stores.postgres(pgDataSource, options, stamp, joined())
          : Stores.postgres(pgUrl, pgUser, pgPassword, options, stamp);
    }
    // Under FULL every commit waits for an fsync, so concurrent writers share one transaction
    // (and one fsync) through the group-commit writer; under NORMAL a commit is cheap already.
    SqliteOptions options =
        SqliteOptions.defaults()
            .withDurability(dev.jobkit.runtime.internal.store.Durability.valueOf(durability.name()))
            .withGroupCommit(durability == Durability.FULL)
            .withCreateIfMissing(createIfMissing);
    return Stores.sqlite(database, options, stamp);
  }
}
