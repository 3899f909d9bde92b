package dev.jobkit.runtime.internal.store.sql;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a PostgreSQL store.
 *
 * @param schema the schema holding jobkit's tables, created if missing; a plain lower-case
 *     identifier
 * @param poolSize connections the store keeps when it opens them itself from a JDBC URL; ignored
 *     with a caller's {@code DataSource}, which then decides
 * @param connectTimeout how long to wait for a connection, new or pooled, before failing; with a
 *     caller's {@code DataSource} only its own timeouts apply
 * @param createIfMissing whether a schema without jobkit's tables gets them; if false, opening it
 *     fails with reason {@code MISSING}
 * @param idleInTransactionTimeout how long the server lets one of the store's own sessions sit idle
 *     inside a transaction before it ends the session, rolling back and releasing its row locks;
 *     zero for the server's setting. The store never waits between the statements of a transaction,
 *     so only a frozen or cut-off process (a long GC or VM pause, SIGSTOP, a network partition that
 *     leaves the TCP connection open) idles there, and its locks would otherwise keep the other
 *     nodes from recovering its jobs (recovery skips locked rows) until it thaws. Not applied to a
 *     caller's {@code DataSource}, whose sessions should set it themselves.
 */
public record PostgresOptions(
    String schema,
    int poolSize,
    Duration connectTimeout,
    boolean createIfMissing,
    Duration idleInTransactionTimeout) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Validates. */
  public PostgresOptions {
    Objects.requireNonNull(schema, "schema");
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema must be a lower-case identifier"
              + " ([a-z_][a-z0-9_]*, at most 63 characters), got '"
              + schema
              + "'");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
    }
    if (connectTimeout.toSeconds() < 1 || connectTimeout.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "connectTimeout must be at least 1 s, got " + connectTimeout);
    }
    Objects.requireNonNull(idleInTransactionTimeout, "idleInTransactionTimeout");
    if (idleInTransactionTimeout.isNegative()
        || idleInTransactionTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "idleInTransactionTimeout must be 0 or positive and fit"
              + " an int of milliseconds, got "
              + idleInTransactionTimeout);
    }
  }

  /**
   * Schema {@code public}, 4 connections, 10 s connect timeout, tables created if missing, the
   * server's idle-in-transaction timeout.
   */
  public static PostgresOptions defaults() {
    return new PostgresOptions("public", 4, Duration.ofSeconds(10), true, Duration.ZERO);
  }

  /** These options with another schema. */
  public PostgresOptions withSchema(String s) {
    return new PostgresOptions(
        s, poolSize, connectTimeout, createIfMissing, idleInTransactionTimeout);
  }

  /** These options with another pool size. */
  public PostgresOptions withPoolSize(int n) {
    return new PostgresOptions(
        schema, n, connectTimeout, createIfMissing, idleInTransactionTimeout);
  }

  /** These options with another connect timeout. */
  public PostgresOptions withConnectTimeout(Duration t) {
    return new PostgresOptions(schema, poolSize, t, createIfMissing, idleInTransactionTimeout);
  }

  /** These options with {@code createIfMissing} set. */
  public PostgresOptions withCreateIfMissing(boolean create) {
    return new PostgresOptions(schema, poolSize, connectTimeout, create, idleInTransactionTimeout);
  }

  /** These options with another idle-in-transaction timeout. */
  public PostgresOptions withIdleInTransactionTimeout(Duration t) {
    return new PostgresOptions(schema, poolSize, connectTimeout, createIfMissing, t);
  }
}
