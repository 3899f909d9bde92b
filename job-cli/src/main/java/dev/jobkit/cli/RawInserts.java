package dev.jobkit.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The raw database baselines {@code jobkit bench} sets jobkit's rates against: rows of about a
 * job's size ({@code name, queue, params, created}) inserted into a table with no secondary index
 * (see {@link #createTable}), with no jobkit code in between.
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
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(!batched);
    try {
      return timedInsert(c, table, n, batched);
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static double timedInsert(Connection c, String table, int n, boolean batched)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO " + table + " (name, queue, params, created) VALUES (?, ?, ?, ?)")) {
      byte[] params = new byte[16];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ps.setString(1, "bench.noop");
        ps.setString(2, "bench");
        ps.setBytes(3, params);
        ps.setLong(4, i);
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
    }
  }
}
