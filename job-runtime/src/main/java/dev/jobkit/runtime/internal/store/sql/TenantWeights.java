package dev.jobkit.runtime.internal.store.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The weights of tenants in fair claiming (#14), read from {@code jobkit_tenants.weight} and kept
 * for at most {@link #MAX_AGE_MS}: a tenant without a row has weight 1, and so has one whose weight
 * is below 1. Only rows with another weight are read, so a table of tenants that keep the default
 * costs nothing. Read directly from the table, so that a weight changed by any process (the Tenants
 * API, the CLI, SQL) counts within that time.
 */
final class TenantWeights {
  /** How long weights read are used before they are read again. */
  static final long MAX_AGE_MS = 2_000;

  private final SqlJobStore store;
  private Map<String, Integer> weights = Map.of();
  private long readAt = Long.MIN_VALUE;
  private String sql;

  TenantWeights(SqlJobStore store) {
    this.store = store;
  }

  /** The weight of {@code tenant}, read again through {@code c} when older than the maximum age. */
  synchronized int weight(Connection c, String tenant, long now) throws SQLException {
    if (readAt == Long.MIN_VALUE || now - readAt >= MAX_AGE_MS || now < readAt) {
      weights = read(c);
      readAt = now;
    }
    return weights.getOrDefault(tenant, 1);
  }

  private Map<String, Integer> read(Connection c) throws SQLException {
    if (sql == null) {
      String jobs = store.t.jobsSql;
      String tenants = jobs.substring(0, jobs.length() - Tables.JOBS.length()) + "jobkit_tenants";
      sql = "SELECT name, weight FROM " + tenants + " WHERE weight > 1";
    }
    return store.db.prepared(
        c,
        sql,
        ps -> {
          Map<String, Integer> out = new HashMap<>();
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              out.put(r.getString(1), r.getInt(2));
            }
          }
          return out;
        });
  }
}
