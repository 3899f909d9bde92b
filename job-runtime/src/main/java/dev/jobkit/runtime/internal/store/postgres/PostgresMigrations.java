package dev.jobkit.runtime.internal.store.postgres;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned scripts under {@code dev/jobkit/runtime/migrations/postgres/} in order, each
 * recorded in {@code jobkit_schema_version}, and refuses a schema written by a newer jobkit.
 *
 * <p>Everything happens in the caller's transaction under a transaction-scoped advisory lock on the
 * schema name, so nodes starting at once migrate one after the other: the first applies the
 * scripts, the others wait, then find the schema current. PostgreSQL's DDL is transactional, so a
 * failed script leaves nothing behind.
 */
final class PostgresMigrations {
  private static final Logger log = LoggerFactory.getLogger(PostgresMigrations.class);
  private static final String ROOT = "/dev/jobkit/runtime/migrations/postgres/";

  /**
   * The first key of the two-key advisory lock ("jk" in ASCII); the second is the hash of the
   * schema name, so schemas migrate independently.
   */
  static final int LOCK_CLASS = 0x6a6b;

  /**
   * Every script, in order; the index is the version minus one. Listed here rather than scanned
   * because a classpath directory cannot be listed reliably inside a jar.
   */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__nodes.sql");

  private PostgresMigrations() {}

  /** The schema version this jobkit writes. */
  static int latestVersion() {
    return SCRIPTS.size();
  }

  /**
   * Brings {@code schema} on {@code c} (inside a transaction the caller commits) up to date. Needs
   * no DDL rights when it is current already.
   *
   * @param create whether a schema without jobkit's tables gets them
   * @throws StorageException NEWER_SCHEMA if it was written by a newer jobkit, MISSING if it has no
   *     jobkit tables and {@code create} is false
   */
  static void migrate(Connection c, String schema, String location, long now, boolean create)
      throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_CLASS);
      lock.setString(2, schema);
      lock.execute();
    }
    int current = currentVersion(c, schema);
    if (current > latestVersion()) {
      throw new StorageException(
          Reason.NEWER_SCHEMA,
          "PostgreSQL schema " + schema + " at " + location + " has jobkit schema version "
              + current + ", written by a newer jobkit; this jobkit supports up to version "
              + latestVersion() + ". Upgrade jobkit or use another schema",
          null);
    }
    if (current == latestVersion()) {
      return;
    }
    if (current == 0 && !create) {
      throw new StorageException(Reason.MISSING, "PostgreSQL schema " + schema + " at " + location
          + " has no jobkit tables; open it once with a manager that may create them", null);
    }
    try (Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
        s.execute("CREATE SCHEMA " + schema);
      }
      // Unqualified names in the scripts land in the schema; SET LOCAL ends with the transaction.
      s.execute("SET LOCAL search_path TO " + schema);
      s.execute("CREATE TABLE IF NOT EXISTS " + Tables.SCHEMA_VERSION + " (version integer PRIMARY"
          + " KEY, description text NOT NULL, applied_at bigint NOT NULL)");
      for (int v = current + 1; v <= latestVersion(); v++) {
        String script = SCRIPTS.get(v - 1);
        s.execute(read(script)); // pgjdbc runs a multi-statement script in one simple query
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Tables.SCHEMA_VERSION
            + " (version, description, applied_at) VALUES (?, ?, ?)")) {
          ps.setInt(1, v);
          ps.setString(2, script);
          ps.setLong(3, now);
          ps.executeUpdate();
        }
        log.info("Applied schema migration {} to schema {} at {}", script, schema, location);
      }
    }
  }

  /** The highest applied version, 0 for a schema without jobkit's tables. */
  private static int currentVersion(Connection c, String schema) throws SQLException {
    if (!exists(c, "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = '"
        + Tables.SCHEMA_VERSION + "'", schema)) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + schema + "."
            + Tables.SCHEMA_VERSION)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean exists(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String read(String script) {
    try (InputStream in = PostgresMigrations.class.getResourceAsStream(ROOT + script)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration resource " + ROOT + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
