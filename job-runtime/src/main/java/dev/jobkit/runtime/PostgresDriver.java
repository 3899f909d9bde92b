package dev.jobkit.runtime;

/**
 * Checks that the PostgreSQL JDBC driver is on the class path before a PostgreSQL store is opened:
 * the driver is an optional dependency of the runtime (SQLite needs nothing), so an application
 * that asks for PostgreSQL without adding it gets one clear line instead of a {@code
 * NoClassDefFoundError} from deep inside the store.
 */
final class PostgresDriver {
  /** The driver's class, named as a string so that this check does not itself need the driver. */
  static final String DRIVER_CLASS = "org.postgresql.Driver";

  private PostgresDriver() {}

  /**
   * Returns normally if {@code loader} can load the PostgreSQL driver.
   *
   * @throws JobStorageException ({@link JobStorageException.Kind#OTHER}) naming the missing
   *     dependency and how to add it
   */
  static void require(ClassLoader loader) {
    try {
      Class.forName(DRIVER_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new JobStorageException(
          JobStorageException.Kind.OTHER,
          "PostgreSQL was requested (JobManager.Builder.postgres) but its JDBC driver ("
              + DRIVER_CLASS
              + ") is not on the class path: add the dependency "
              + "org.postgresql:postgresql (42.7 or later) to the application",
          e);
    }
  }
}
