package dev.jobkit.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The raw database baselines {@code jobkit bench} sets jobkit's rates against: rows of about a
 * job's size ({@code name, queue, params, created}) inserted into a table with no secondary index
 * (see {@link #createTable}), with no jobkit code in between. Also the rate of the database for
 * jobkit's own table ({@link #jobsTable}): the same rows inserted into it by plain SQL, so that
 * what the table's indexes cost can be told from what jobkit's code costs.
 */
final class RawInserts {
  private static final int BATCH = 1_000;

  private RawInserts() {}

  /**
   * Creates {@code table}, the scratch table the rates are measured on: an auto-generated key and
   * the four columns of {@link #insert}.
   */
  static void createTable(Connection c, String table, boolean postgres) throws SQLException {
    String id = postgres ? "id bigserial PRIMARY KEY" : "id INTEGER PRIMARY KEY";
    String bytes = postgres ? "bytea" : "BLOB";
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + table
              + " ("
              + id
              + ", name text NOT NULL, queue text NOT NULL,"
              + " params "
              + bytes
              + ", created bigint NOT NULL)");
    }
  }

  /** Inserts {@code n} rows into {@code table} one per commit; returns rows per second. */
  static double singleRowCommits(Connection c, String table, int n) throws SQLException {
    return insert(c, table, n, false);
  }

  /**
   * Inserts {@code n} rows into {@code table}, 1,000 per JDBC batch and commit; rows per second.
   */
  static double batchedCommits(Connection c, String table, int n) throws SQLException {
    return insert(c, table, n, true);
  }

  private static double insert(Connection c, String table, int n, boolean batched)
      throws SQLException {
    byte[] params = new byte[16];
    return timed(
        c,
        "INSERT INTO " + table + " (name, queue, params, created) VALUES (?, ?, ?, ?)",
        n,
        batched,
        (ps, i) -> {
          ps.setString(1, "bench.noop");
          ps.setString(2, "bench");
          ps.setBytes(3, params);
          ps.setLong(4, i);
        });
  }

  /**
   * Inserts {@code n} queued jobs into jobkit's table {@code table} (opened by {@link
   * BenchScratch#jobsTableConnection}), one per commit or 1,000 per JDBC batch and commit, setting
   * the columns a dispatch sets that have no default; rows per second.
   */
  static double jobsTable(Connection c, String table, int n, boolean batched) throws SQLException {
    byte[] params = new byte[16];
    long now = System.currentTimeMillis();
    return timed(
        c,
        "INSERT INTO "
            + table
            + " (id, name, params, status, priority, queue, max_attempts, run_at, created_at,"
            + " updated_at) VALUES (?, ?, ?, 'QUEUED', 10, ?, 3, ?, ?, ?)",
        n,
        batched,
        (ps, i) -> {
          ps.setString(1, "bench" + (1_000_000_000L + i)); // sort in insertion order, as jobkit's
          ps.setString(2, "bench.noop");
          ps.setBytes(3, params);
          ps.setString(4, "bench");
          ps.setLong(5, now);
          ps.setLong(6, now);
          ps.setLong(7, now);
        });
  }

  /** Sets the parameters of row {@code i}. */
  private interface Row {
    void bind(PreparedStatement ps, int i) throws SQLException;
  }

  /**
   * Runs {@code sql} for {@code n} rows, one per commit (autocommit) or 1,000 per JDBC batch and
   * commit; rows per second.
   */
  private static double timed(Connection c, String sql, int n, boolean batched, Row row)
      throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(!batched);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        row.bind(ps, i);
        if (!batched) {
          ps.executeUpdate();
        } else {
          ps.addBatch();
          if ((i + 1) % BATCH == 0 || i == n - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
