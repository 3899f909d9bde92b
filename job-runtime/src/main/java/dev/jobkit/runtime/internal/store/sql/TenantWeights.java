package dev.jobkit.runtime.internal.store.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of tenants that the claim uses (#14): the weights in fair claiming and the
 * max-running quotas, read from {@code jobkit_tenants} together and kept for at most {@link
 * #MAX_AGE_MS}. A tenant without a row has weight 1 and no max running, and so has one whose weight
 * is below 1 (weight) or whose max running is 0 (quota). Only rows with another weight or with a
 * max running are read, so a table of tenants that keep the defaults costs nothing. Read directly
 * from the table, so that a setting changed by any process (the Tenants API, the CLI, SQL) counts
 * within that time. The quota read here only decides whether a claim checks a tenant; the check
 * itself reads the tenant's {@code jobkit_limits} row under its lock.
 */
final class TenantWeights {
  /** How long settings read are used before they are read again. */
  static final long MAX_AGE_MS = 2_000;

  /** A tenant's weight and max running, as read. */
  private record Settings(int weight, int maxRunning) {}

  private static final Settings DEFAULTS = new Settings(1, 0);

  private final SqlJobStore store;
  private Map<String, Settings> settings = Map.of();
  private long readAt = Long.MIN_VALUE;
  private String sql;

  TenantWeights(SqlJobStore store) {
    this.store = store;
  }

  /** The weight of {@code tenant}, read again through {@code c} when older than the maximum age. */
  synchronized int weight(Connection c, String tenant, long now) throws SQLException {
    return of(c, tenant, now).weight();
  }

  /**
   * The max-running quota of {@code tenant} (0: none), read again through {@code c} when older than
   * the maximum age.
   */
  synchronized int maxRunning(Connection c, String tenant, long now) throws SQLException {
    return of(c, tenant, now).maxRunning();
  }

  /** Whether some tenant had a max-running quota when the settings were last read. */
  synchronized boolean anyMaxRunning(Connection c, long now) throws SQLException {
    refresh(c, now);
    for (Settings s : settings.values()) {
      if (s.maxRunning() > 0) {
        return true;
      }
    }
    return false;
  }

  private Settings of(Connection c, String tenant, long now) throws SQLException {
    refresh(c, now);
    return settings.getOrDefault(tenant, DEFAULTS);
  }

  private void refresh(Connection c, long now) throws SQLException {
    if (readAt == Long.MIN_VALUE || now - readAt >= MAX_AGE_MS || now < readAt) {
      settings = read(c);
      readAt = now;
    }
  }

  /** Settings were changed by this process: the next use reads them again. */
  synchronized void invalidate() {
    readAt = Long.MIN_VALUE;
  }

  private Map<String, Settings> read(Connection c) throws SQLException {
    if (sql == null) {
      String jobs = store.t.jobsSql;
      String tenants = jobs.substring(0, jobs.length() - Tables.JOBS.length()) + "jobkit_tenants";
      sql =
          "SELECT name, weight, max_running FROM "
              + tenants
              + " WHERE weight > 1 OR max_running > 0";
    }
    return store.db.prepared(
        c,
        sql,
        ps -> {
          Map<String, Settings> out = new HashMap<>();
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              out.put(
                  r.getString(1), new Settings(Math.max(1, r.getInt(2)), Math.max(0, r.getInt(3))));
            }
          }
          return out;
        });
  }
}
