package dev.jobkit.runtime.internal.store.sqlite;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned scripts under {@code dev/jobkit/runtime/migrations/sqlite/} in order, each
 * recorded in {@code schema_version}, and refuses a database written by a newer jobkit.
 */
final class SqliteMigrations {
  private static final Logger log = LoggerFactory.getLogger(SqliteMigrations.class);
  private static final String ROOT = "/dev/jobkit/runtime/migrations/sqlite/";

  /**
   * Every script, in order; the index is the version minus one. Listed here rather than scanned
   * because a classpath directory cannot be listed reliably inside a jar.
   */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__dispatch_backoff.sql", "V3__fewer_running_indexes.sql");

  private SqliteMigrations() {}

  /** The schema version this jobkit writes. */
  static int latestVersion() {
    return SCRIPTS.size();
  }

  /**
   * Brings the database on {@code c} (autocommit, exclusive writer) up to date.
   *
   * @throws StorageException NEWER_SCHEMA if it was written by a newer jobkit
   */
  static void migrate(Connection c, Path file, long now) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        s.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                + " description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        int current = 0;
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
          if (rs.next()) {
            current = rs.getInt(1);
          }
        }
        if (current > latestVersion()) {
          throw new StorageException(
              Reason.NEWER_SCHEMA,
              "Job database " + file + " has schema version " + current
                  + ", written by a newer jobkit; this jobkit supports up to version "
                  + latestVersion() + ". Upgrade jobkit or use another database file",
              null);
        }
        for (int v = current + 1; v <= latestVersion(); v++) {
          String script = SCRIPTS.get(v - 1);
          for (String stmt : statements(read(script))) {
            s.execute(stmt);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, v);
            ps.setString(2, script);
            ps.setLong(3, now);
            ps.executeUpdate();
          }
          log.info("Applied schema migration {} to {}", script, file);
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(s, e);
        throw e;
      }
    }
  }

  private static void rollbackQuietly(Statement s, Exception original) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // The original failure matters more; SQLite may already have rolled back on its own.
      original.addSuppressed(e);
    }
  }

  private static String read(String script) {
    try (InputStream in = SqliteMigrations.class.getResourceAsStream(ROOT + script)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration resource " + ROOT + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a script into statements: drops {@code --} comment lines, splits on {@code ;}. */
  static List<String> statements(String script) {
    StringBuilder sb = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        sb.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String part : sb.toString().split(";")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }
}
