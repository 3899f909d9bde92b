package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.JoinedTransactions;
import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import dev.jobkit.runtime.internal.store.StorageInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.conf.StatementType;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The connections to one PostgreSQL schema: either the store's own {@link ConnectionPool} (opened
 * from a JDBC URL) or one connection per call from the caller's {@link DataSource}, which is then
 * expected to pool.
 *
 * <p>{@link #write} runs each call as its own transaction (READ COMMITTED; the store's statements
 * take the row locks they need), {@link #read} in autocommit. pgjdbc caches prepared statements per
 * connection, so the same SQL text is parsed by the server once per connection.
 */
final class PostgresDatabase implements Database {
  private static final Settings SETTINGS =
      new Settings().withStatementType(StatementType.PREPARED_STATEMENT).withExecuteLogging(false);

  private final DataSource dataSource;
  private final ConnectionPool pool; // null: one connection per call from dataSource
  private final String location;
  private final String schema;
  private volatile boolean closed;

  /** The application's transactions that dispatches join (#13), or null. */
  private final JoinedTransactions joinable;

  /** The application's connection while this thread runs a dispatch that joined it (#13). */
  private final ThreadLocal<Connection> joined = new ThreadLocal<>();

  private PostgresDatabase(
      DataSource dataSource,
      ConnectionPool pool,
      String location,
      String schema,
      JoinedTransactions joinable) {
    this.dataSource = dataSource;
    this.pool = pool;
    this.location = location;
    this.schema = schema;
    this.joinable = joinable;
  }

  /** Opens a pool of {@code options.poolSize()} connections to {@code url}, and migrates. */
  static PostgresDatabase open(
      String url, String user, String password, PostgresOptions options, Clock clock) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    String location = PostgresErrors.withoutPassword(url);
    try {
      ds.setUrl(url);
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          Reason.OTHER,
          "Not a PostgreSQL JDBC URL: " + location + "; expected jdbc:postgresql://host:port/db",
          e);
    }
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    int seconds = (int) options.connectTimeout().toSeconds();
    ds.setConnectTimeout(seconds);
    ds.setLoginTimeout(seconds);
    ds.setApplicationName("jobkit");
    long idleMs = options.idleInTransactionTimeout().toMillis();
    if (idleMs > 0) {
      // A startup parameter: every session of the pool has it, with no extra round trip.
      ds.setOptions("-c idle_in_transaction_session_timeout=" + idleMs);
    }
    ConnectionPool pool = new ConnectionPool(ds, options.poolSize(), options.connectTimeout());
    return migrated(
        new PostgresDatabase(ds, pool, location, options.schema(), null), options, clock);
  }

  /**
   * Uses one connection per call from {@code dataSource}, and migrates; dispatches join the
   * application's transactions on it through {@code joinable} (null: never).
   */
  static PostgresDatabase open(
      DataSource dataSource, PostgresOptions options, Clock clock, JoinedTransactions joinable) {
    String location = describe(dataSource);
    try (Connection c = dataSource.getConnection()) {
      location = PostgresErrors.withoutPassword(c.getMetaData().getURL());
    } catch (SQLException e) {
      throw PostgresErrors.translate(location, e);
    }
    return migrated(
        new PostgresDatabase(dataSource, null, location, options.schema(), joinable),
        options,
        clock);
  }

  private static PostgresDatabase migrated(
      PostgresDatabase db, PostgresOptions options, Clock clock) {
    try {
      db.write(
          (ctx, c) -> {
            Migrations.migrate(
                Dialect.POSTGRES,
                c,
                db.schema,
                db.location,
                clock.millis(),
                options.createIfMissing());
            return null;
          });
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static String describe(DataSource ds) {
    if (ds instanceof PGSimpleDataSource) {
      return PostgresErrors.withoutPassword(((PGSimpleDataSource) ds).getUrl());
    }
    return "DataSource " + ds.getClass().getName();
  }

  /** The server's URL without password, for messages and {@code storageInfo}. */
  @Override
  public String location() {
    return location;
  }

  /**
   * Sizes of jobkit's tables with their indexes and TOAST: {@code sizeBytes} their total, {@code
   * pageSize} the server's block size, {@code pageCount} the blocks they take. Free space inside
   * them and the WAL are the server's business (the WAL is shared by all databases), so {@code
   * freePages} and {@code walBytes} are 0.
   */
  @Override
  public StorageInfo storageInfo() {
    long[] sizes =
        read(
            (ctx, c) -> {
              Record r =
                  ctx.fetchOne(
                      "SELECT current_setting('block_size')::bigint, sum(pg_total_relation_size("
                          + "format('%I.%I', schemaname, tablename)::regclass))::bigint"
                          + " FROM pg_tables WHERE schemaname = {0} AND tablename LIKE 'jobkit\\_%'",
                      DSL.val(schema));
              return new long[] {r.get(0, Long.class), r.get(1, Long.class)};
            });
    return new StorageInfo(location, sizes[1], sizes[0], sizes[1] / sizes[0], 0, 0);
  }

  /** The schema holding the tables. */
  String schema() {
    return schema;
  }

  /**
   * A new connection outside the pool, for a caller that holds it for long (a listener); the caller
   * closes it.
   */
  Connection dedicatedConnection() {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw PostgresErrors.translate(location, e);
    }
  }

  /**
   * Runs {@code work} in one transaction and commits it; rolls back and rethrows if it throws. SQL
   * failures become {@link StorageException}s.
   */
  @Override
  public <T> T write(Work<T> work) {
    return run(work, true);
  }

  /** Runs {@code work} in autocommit: for reads of one statement. */
  @Override
  public <T> T read(Work<T> work) {
    return run(work, false);
  }

  @Override
  public <T> T prepared(Connection c, String sql, StatementWork<T> work) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return work.run(ps);
    }
  }

  /**
   * Runs {@code work} in autocommit: each statement is its own transaction. One statement that
   * writes commits in one round trip, without BEGIN and COMMIT.
   */
  <T> T autocommit(Work<T> work) {
    return run(work, false);
  }

  // #13 transactional dispatch

  /**
   * Runs a dispatch: every call it makes on this thread uses the connection of the transaction the
   * application has open, when it has one, without committing, rolling back or closing it.
   */
  <T> T dispatch(Supplier<T> insert) {
    Connection c = joinable == null ? null : joinable.current();
    if (c == null) {
      return insert.get();
    }
    Connection outer = joined.get();
    joined.set(c);
    try {
      return insert.get();
    } finally {
      if (outer == null) {
        joined.remove();
      } else {
        joined.set(outer);
      }
    }
  }

  /**
   * Runs {@code action} after the application's transaction on this thread commits, or at once when
   * there is none (and so a dispatch made just before was committed by the store itself).
   */
  void afterCommit(Runnable action) {
    if (joinable != null && joinable.current() != null) {
      joinable.afterCommit(action);
    } else {
      action.run();
    }
  }

  private <T> T runJoined(Connection c, Work<T> work) {
    try {
      return work.run(DSL.using(c, SQLDialect.POSTGRES, SETTINGS), c);
    } catch (SQLException | DataAccessException e) {
      throw PostgresErrors.translate(location, e);
    }
  }

  // end #13 transactional dispatch

  private <T> T run(Work<T> work, boolean transaction) {
    if (closed) {
      throw PostgresErrors.closed(location);
    }
    Connection applications = joined.get();
    if (applications != null) {
      return runJoined(applications, work);
    }
    Connection c = null;
    try {
      c = pool != null ? pool.acquire(location) : dataSource.getConnection();
      if (!transaction) {
        return work.run(DSL.using(c, SQLDialect.POSTGRES, SETTINGS), c);
      }
      c.setAutoCommit(false); // pgjdbc sends BEGIN with the first statement: no extra round trip
      try {
        T result = work.run(DSL.using(c, SQLDialect.POSTGRES, SETTINGS), c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException | DataAccessException e) {
      throw PostgresErrors.translate(location, e);
    } finally {
      if (c != null) {
        release(c, transaction);
      }
    }
  }

  private void release(Connection c, boolean wasTransaction) {
    if (wasTransaction) {
      try {
        if (!c.isClosed()) {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        closeQuietly(c); // unusable; the pool drops a closed connection
      }
    }
    if (pool != null) {
      pool.release(c);
    } else {
      closeQuietly(c);
    }
  }

  private static void rollbackQuietly(Connection c, Throwable original) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // Keep the original failure; a broken connection cannot roll back, and the server does.
      original.addSuppressed(e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // A connection that fails to close is gone anyway.
    }
  }

  @Override
  public void close() {
    closed = true;
    if (pool != null) {
      pool.close();
    }
  }
}
