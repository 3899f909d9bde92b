package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.StorageInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jooq.DSLContext;

/**
 * The connections of one store: how a unit of work gets a transaction, and how hot-path statements
 * are prepared. {@link SqliteDatabase} runs every write under the file's single write lock (or
 * group commit); {@link PostgresDatabase} takes a pooled connection per call.
 */
interface Database extends AutoCloseable {

  /** A unit of work on one connection, with jOOQ on the same connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(DSLContext ctx, Connection c) throws SQLException;
  }

  /** Work with one prepared statement. */
  @FunctionalInterface
  interface StatementWork<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction and commits it; rolls back and rethrows if it throws. SQL
   * failures become {@link dev.jobkit.runtime.internal.store.StorageException}s.
   */
  <T> T write(Work<T> work);

  /** Runs {@code work} outside a write transaction: for reads. */
  <T> T read(Work<T> work);

  /**
   * Runs {@code work} with {@code sql} prepared on {@code c}. SQLite keeps the statement prepared
   * on its writer connection for the next call (preparing costs more than a small write); pgjdbc
   * caches the server-side plan per connection itself, so PostgreSQL prepares and closes.
   */
  <T> T prepared(Connection c, String sql, StatementWork<T> work) throws SQLException;

  /** Sizes of the storage. */
  StorageInfo storageInfo();

  // ---- #16 compaction (SQLite; PostgreSQL's autovacuum does it on the server) ----

  /** How freed pages go back to the file system. */
  default dev.jobkit.runtime.internal.store.VacuumMode vacuumMode() {
    return dev.jobkit.runtime.internal.store.VacuumMode.SERVER;
  }

  /** Frees up to {@code pages} pages of an incremental-vacuum file; returns how many. */
  default long incrementalVacuum(int pages) {
    return 0;
  }

  /** A passive WAL checkpoint on a side connection (SQLite). */
  default void checkpointLog() {}

  /** Switches a SQLite file to incremental vacuum with one VACUUM. */
  default void enableIncrementalVacuum() {}

  // ---- end #16 compaction ----

  /** Where the data lives, for messages (never with a password). */
  String location();

  @Override
  void close();
}
