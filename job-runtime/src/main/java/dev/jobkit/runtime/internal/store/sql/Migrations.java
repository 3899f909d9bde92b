package dev.jobkit.runtime.internal.store.sql;

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
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one migration runner: applies the versioned scripts of a dialect ({@code
 * dev/jobkit/runtime/migrations/<dialect>/V<n>__<what>.sql}) in order, each recorded in {@code
 * jobkit_schema_version}, and refuses a database written by a newer jobkit. Both dialects have the
 * same versions, so a later migration has one number on both.
 *
 * <p>A database that is current already is only read (its version), without any lock, so that
 * opening it never waits for a writer. Otherwise the scripts run in one transaction that the
 * dialect opens and serializes ({@link Dialect#beginMigration}): SQLite's write lock, or
 * PostgreSQL's advisory lock on the schema name, so nodes starting at once migrate one after the
 * other; the version is read again under the lock. Both databases have transactional DDL, so a
 * failed script leaves nothing behind.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /**
   * Every script, in order; the index is the version minus one. Listed rather than scanned because
   * a classpath directory cannot be listed reliably inside a jar. Versions 1 to 3 built the
   * release-0.1 shapes, which differed between the dialects; version 4 made them one; version 5
   * added actors and API keys; version 6 the maintenance table (retention); version 7 schedules and
   * templates; version 8 dependencies between jobs; version 9 concurrency and rate limits; version
   * 10 batches; version 11 the trace context of a job and the trace id of a log line; version 12
   * tenants, their settings and the audit trail; version 13 the tenant in the claim index (fair
   * claiming).
   */
  static final List<String> SQLITE =
      List.of(
          "V1__init.sql",
          "V2__dispatch_backoff.sql",
          "V3__fewer_running_indexes.sql",
          "V4__one_shape.sql",
          "V5__http.sql",
          "V6__maintenance.sql",
          "V7__schedules_templates.sql",
          "V8__dependencies.sql", // #12 dependencies
          "V9__limits.sql", // #12 limits
          "V10__batches.sql", // #12 batches
          "V11__trace_context.sql", // #13 tracing
          "V12__tenants.sql", // #14 tenants
          "V13__fair_claim.sql"); // #14 fair claiming

  static final List<String> POSTGRES =
      List.of(
          "V1__init.sql",
          "V2__nodes.sql",
          "V3__align_with_sqlite.sql",
          "V4__one_shape.sql",
          "V5__http.sql",
          "V6__maintenance.sql",
          "V7__schedules_templates.sql",
          "V8__dependencies.sql", // #12 dependencies
          "V9__limits.sql", // #12 limits
          "V10__batches.sql", // #12 batches
          "V11__trace_context.sql", // #13 tracing
          "V12__tenants.sql", // #14 tenants
          "V13__fair_claim.sql"); // #14 fair claiming

  static final String VERSION_TABLE = "jobkit_schema_version";

  private Migrations() {}

  /** The schema version this jobkit writes: the number of its last script. */
  static int latestVersion() {
    return versionOf(SQLITE.get(SQLITE.size() - 1));
  }

  /**
   * A script's version, the number in its name ({@code V10__batches.sql} is 10). Versions are read
   * from the names, not from the places in the list, so that a branch may add a later number while
   * another branch adds the one before it.
   */
  static int versionOf(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  /**
   * Brings the database on {@code c} up to date. A current database is only read: no lock, no DDL
   * rights needed.
   *
   * @param schema the PostgreSQL schema, or null on SQLite
   * @param location where the database is, for messages
   * @param create whether a database without jobkit's tables gets them
   * @throws StorageException NEWER_SCHEMA if it was written by a newer jobkit, MISSING if it has no
   *     jobkit tables and {@code create} is false
   */
  static void migrate(
      Dialect dialect, Connection c, String schema, String location, long now, boolean create)
      throws SQLException {
    // A current database is only read: taking the lock (SQLite's write lock) on every open would
    // make opening, and with it every `jobkit status` or `list`, wait for any writer in another
    // process. The version is read again under the lock before anything is applied.
    int seen = dialect.schemaVersion(c, schema);
    if (seen == latestVersion()) {
      return;
    }
    if (seen > latestVersion()) {
      throw newer(dialect.describe(schema, location), seen, schema);
    }
    dialect.beginMigration(c, schema);
    boolean done = false;
    try {
      int current = dialect.schemaVersion(c, schema);
      String where = dialect.describe(schema, location);
      if (current > latestVersion()) {
        throw newer(where, current, schema);
      }
      if (current == 0 && !create) {
        throw new StorageException(
            Reason.MISSING,
            where + " has no jobkit tables; open it once with a manager that may create them",
            null);
      }
      List<String> scripts = dialect.scripts();
      if (current < latestVersion()) {
        dialect.beforeScripts(c, schema);
      }
      for (String script : scripts) {
        int v = versionOf(script);
        if (v <= current) {
          continue;
        }
        try (Statement s = c.createStatement()) {
          for (String stmt : statements(read(dialect.migrationsRoot() + script))) {
            s.execute(stmt);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + VERSION_TABLE
                    + " (version, description, applied_at) VALUES (?, ?, ?)")) {
          ps.setInt(1, v);
          ps.setString(2, script);
          ps.setLong(3, now);
          ps.executeUpdate();
        }
        log.info("Applied schema migration {} to {}", script, where);
      }
      done = true;
    } finally {
      dialect.endMigration(c, done);
    }
  }

  private static StorageException newer(String where, int version, String schema) {
    return new StorageException(
        Reason.NEWER_SCHEMA,
        where
            + " has jobkit schema version "
            + version
            + ", written by a newer jobkit; this jobkit supports up to version "
            + latestVersion()
            + ". Upgrade jobkit or use another "
            + (schema == null ? "database file" : "schema"),
        null);
  }

  /** The highest version recorded in {@code jobkit_schema_version}; the table must exist. */
  static int recordedVersion(Connection c, String qualifiedTable) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + qualifiedTable)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration resource " + resource);
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
