package dev.jobkit.runtime.testing;

import dev.jobkit.runtime.JobManager;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One database that a test opens managers on: a SQLite file in the test's directory, or a fresh
 * database on the test PostgreSQL server ({@link EmbeddedPostgresSupport}). Every {@link
 * #builder()} points at the same database, so several managers of one test share their jobs.
 */
public final class TestDatabase {
  /** The two storage backends the runtime's behaviour tests run on. */
  public enum Backend {
    SQLITE,
    POSTGRES;

    /** A new, empty database of this backend; SQLite files go in {@code dir}. */
    public TestDatabase create(Path dir) {
      return this == SQLITE ? sqlite(dir.resolve("jobs.db")) : postgres();
    }
  }

  private final Backend backend;
  private final String location;
  private final Supplier<JobManager.Builder> builders;

  private TestDatabase(Backend backend, String location, Supplier<JobManager.Builder> builders) {
    this.backend = backend;
    this.location = location;
    this.builders = builders;
  }

  /** The SQLite file {@code file}. */
  public static TestDatabase sqlite(Path file) {
    return new TestDatabase(
        Backend.SQLITE, file.toString(), () -> JobManager.builder().database(file));
  }

  /**
   * A fresh database on the test PostgreSQL server, dropped by {@link
   * EmbeddedPostgresSupport#dropDatabases()}.
   */
  public static TestDatabase postgres() {
    String url = EmbeddedPostgresSupport.freshDatabase();
    String user = EmbeddedPostgresSupport.user();
    String password = EmbeddedPostgresSupport.password();
    return new TestDatabase(
        Backend.POSTGRES,
        url,
        () -> JobManager.builder().postgres(url, user, password).postgresPoolSize(4));
  }

  /** A builder on this database, with every other setting at its default. */
  public JobManager.Builder builder() {
    return builders.get();
  }

  /** Which backend this is. */
  public Backend backend() {
    return backend;
  }

  /** The SQLite file or the JDBC URL, for the CLI's {@code --db} and for messages. */
  public String location() {
    return location;
  }

  @Override
  public String toString() {
    return backend + " " + location;
  }
}
