package dev.jobkit.cli;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.JobManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where {@code jobkit bench} measures, so that the user's database is never written: fresh
 * databases on the same disk or server as {@code --db}, all removed by {@link #close()}. On SQLite
 * a directory {@code .jobkit-bench-*} next to the database file holds one file per measurement; on
 * PostgreSQL each measurement gets a schema {@code jobkit_bench_<random>_<n>} in the same database.
 * {@link #close()} is idempotent and may run from a shutdown hook (Ctrl-C) while the benchmark's
 * thread still runs.
 */
abstract sealed class BenchScratch implements AutoCloseable {
  /** The table of the raw insert rates, in each raw scratch database or schema. */
  static final String RAW_TABLE = "jobkit_bench_raw";

  /** jobkit's table of jobs, in each database {@link #jobsTableConnection} opens. */
  static final String JOBS_TABLE = "jobkit_jobs";

  final JobRegistry registry =
      JobRegistry.of(
          List.of(
              new BenchNoopJob_Registration(),
              new BenchOtherJob_Registration(),
              new BenchTickJob_Registration()));
  private int counter;
  private boolean closed;

  /** The scratch area for {@code target}; nothing is created in the user's database itself. */
  static BenchScratch create(Databases.Target target) {
    if (target instanceof Databases.Postgres pg) {
      return new OnPostgres(pg);
    }
    return new OnSqlite(((Databases.SqliteFile) target).file());
  }

  /** {@code sqlite} or {@code postgresql}. */
  abstract String kind();

  /** Where the scratch databases are, for people. */
  abstract String where();

  /**
   * A new, empty database: each call of the supplier is a new builder on it, with the benchmark's
   * jobs as registry; the caller sets the workers.
   */
  abstract Supplier<JobManager.Builder> freshDatabase();

  /**
   * Brings the database to the same state before each timed drain: on PostgreSQL a {@code
   * CHECKPOINT}, so that no drain pays for a checkpoint that earlier ones made due, and each pays
   * the same full-page images after it (best effort: a user without the right to checkpoint
   * measures without); on SQLite nothing, since each drain has a file of its own.
   */
  void settle() throws SQLException {}

  /**
   * A connection to a new, empty database (SQLite: WAL, synchronous=NORMAL, as jobkit's default)
   * holding the empty table {@link #RAW_TABLE}. The caller closes it.
   */
  abstract Connection rawConnection() throws SQLException;

  /**
   * A connection, with no jobkit code in between, to a new jobkit database: its tables, indexes and
   * (SQLite) page size are what a manager creates, and it holds no job. The caller closes it.
   */
  final Connection jobsTableConnection() throws SQLException {
    Supplier<JobManager.Builder> fresh = freshDatabase();
    fresh.get().noWorkers().open().close(); // opening creates the tables
    return connectTo(fresh);
  }

  /** A plain connection to the database of {@code fresh}, a supplier from this scratch area. */
  abstract Connection connectTo(Supplier<JobManager.Builder> fresh) throws SQLException;

  /** Removes what {@link #freshDatabase()} and {@link #rawConnection()} created. */
  abstract void removeAll();

  /** The next number for a scratch database. */
  synchronized int next() {
    if (closed) {
      throw new IllegalStateException("the benchmark's scratch area was removed (interrupted?)");
    }
    return counter++;
  }

  /** Removes every scratch database, once. */
  @Override
  public final void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    removeAll();
  }

  // ---------------------------------------------------------------- SQLite

  /** One file per measurement in a directory next to the user's database file. */
  static final class OnSqlite extends BenchScratch {
    private final Path dir;

    OnSqlite(Path userFile) {
      Path parent = userFile.toAbsolutePath().normalize().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw new CliException(
            ExitCodes.STORAGE,
            "bench: the directory of "
                + userFile
                + " does not exist; the benchmark measures on the disk of --db, in a scratch directory"
                + " next to it");
      }
      try {
        dir = Files.createTempDirectory(parent, ".jobkit-bench-");
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.STORAGE,
            "bench: cannot create a scratch directory in " + parent + ": " + e.getMessage(),
            e);
      }
    }

    @Override
    String kind() {
      return "sqlite";
    }

    @Override
    String where() {
      return dir.toString();
    }

    @Override
    Supplier<JobManager.Builder> freshDatabase() {
      return new Fresh(dir.resolve("jobs-" + next() + ".db"));
    }

    /** A fresh database's builders, which knows the database's file. */
    private final class Fresh implements Supplier<JobManager.Builder> {
      final Path file;

      Fresh(Path file) {
        this.file = file;
      }

      @Override
      public JobManager.Builder get() {
        return JobManager.builder().registry(registry).database(file);
      }
    }

    @Override
    Connection connectTo(Supplier<JobManager.Builder> fresh) throws SQLException {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + ((Fresh) fresh).file);
      try (Statement s = c.createStatement()) {
        // The writer connection's settings (the file is in WAL mode already).
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA wal_autocheckpoint=4000");
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }

    /** A new file name in the scratch directory ({@code --retention}). */
    Path file(String name) {
      return dir.resolve(name + "-" + next() + ".db");
    }

    /** A builder on {@code file}, with the benchmark's jobs as registry. */
    JobManager.Builder builderOn(Path file) {
      return JobManager.builder().registry(registry).database(file);
    }

    @Override
    Connection rawConnection() throws SQLException {
      Connection c =
          DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw-" + next() + ".db"));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        RawInserts.createTable(c, RAW_TABLE, false);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }

    @Override
    void removeAll() {
      deleteTree(dir);
    }
  }

  // ---------------------------------------------------------------- PostgreSQL

  /** One schema per measurement in the user's PostgreSQL database, all dropped at the end. */
  static final class OnPostgres extends BenchScratch {
    private final Databases.Postgres pg;
    private final String prefix;
    private final Path dataDir;
    private final List<String> schemas = new ArrayList<>();

    OnPostgres(Databases.Postgres pg) {
      this.pg = pg;
      byte[] random = new byte[4];
      new SecureRandom().nextBytes(random);
      this.prefix = "jobkit_bench_" + HexFormat.of().formatHex(random);
      try {
        // Jobs' data directories (JobContext.dataDir); the no-op jobs write nothing there.
        this.dataDir = Files.createTempDirectory("jobkit-bench-data");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    String kind() {
      return "postgresql";
    }

    @Override
    String where() {
      return "schemas " + prefix + "_* of " + pg.display();
    }

    private String newSchema() {
      String schema = prefix + "_" + next();
      synchronized (this) {
        schemas.add(schema);
      }
      return schema;
    }

    @Override
    Supplier<JobManager.Builder> freshDatabase() {
      return new Fresh(newSchema());
    }

    /** A fresh database's builders, which knows the database's schema. */
    private final class Fresh implements Supplier<JobManager.Builder> {
      final String schema;

      Fresh(String schema) {
        this.schema = schema;
      }

      @Override
      public JobManager.Builder get() {
        return JobManager.builder()
            .registry(registry)
            .postgres(pg.url, pg.user, pg.password)
            .postgresSchema(schema)
            .dataDirectory(dataDir);
      }
    }

    @Override
    Connection connectTo(Supplier<JobManager.Builder> fresh) throws SQLException {
      Connection c = connect();
      try (Statement s = c.createStatement()) {
        s.execute("SET search_path TO " + ((Fresh) fresh).schema);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }

    @Override
    void settle() throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      } catch (SQLException e) {
        if (!"42501".equals(e.getSQLState())) {
          throw e;
        }
        // Not allowed (neither superuser nor pg_checkpoint): measure without.
      }
    }

    @Override
    Connection rawConnection() throws SQLException {
      String schema = newSchema();
      Connection c = connect();
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
        s.execute("SET search_path TO " + schema);
        RawInserts.createTable(c, RAW_TABLE, true);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }

    private Connection connect() throws SQLException {
      Properties p = new Properties();
      if (pg.user != null) {
        p.setProperty("user", pg.user);
      }
      if (pg.password != null) {
        p.setProperty("password", pg.password);
      }
      return DriverManager.getConnection(pg.url, p);
    }

    @Override
    void removeAll() {
      List<String> left;
      synchronized (this) {
        left = List.copyOf(schemas);
      }
      if (!left.isEmpty()) {
        try (Connection c = connect();
            Statement s = c.createStatement()) {
          // After Ctrl-C a manager may still hold a lock for a moment; do not wait forever.
          s.execute("SET lock_timeout = '30s'");
          for (String schema : left) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          }
        } catch (SQLException e) {
          throw new CliException(
              ExitCodes.STORAGE,
              "bench: could not drop the scratch schemas "
                  + String.join(", ", left)
                  + " of "
                  + pg.display()
                  + " (drop them with DROP SCHEMA"
                  + " ... CASCADE): "
                  + Databases.redactAll(e.getMessage(), pg),
              e);
        } finally {
          deleteTree(dataDir);
        }
      } else {
        deleteTree(dataDir);
      }
    }
  }

  /** Deletes a directory tree; what cannot be deleted is left (it is in a scratch location). */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.STORAGE,
          "bench: could not delete the scratch directory " + root + ": " + e.getMessage(),
          e);
    }
  }
}
