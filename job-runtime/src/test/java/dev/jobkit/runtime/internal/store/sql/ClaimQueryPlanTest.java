package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.SettableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards claim throughput: SQLite must serve the claim query from the partial index, which it only
 * does when the status predicate matches the index's literally.
 */
class ClaimQueryPlanTest {
  @TempDir Path dir;

  @Test
  void claimQueryUsesThePartialClaimIndex() throws Exception {
    Path file = dir.resolve("jobs.db");
    Stores.sqlite(file, SqliteOptions.defaults(), new SettableClock(0)).close();
    String sql = SqliteDialect.claimSelectSql(1);
    StringBuilder plan = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      ps.setString(1, "default");
      ps.setString(2, "default"); // #14: one tenant's range of the index
      ps.setLong(3, 0);
      ps.setLong(4, 10);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString("detail")).append('\n');
        }
      }
    }
    assertTrue(plan.toString().contains("jobkit_jobs_claim (queue=? AND tenant=?"), plan::toString);
    assertFalse(plan.toString().contains("USE TEMP B-TREE FOR ORDER BY"), plan::toString);
  }

  /**
   * #14 fair claiming: the tenants of a queue are found by seeks in the claim index, one per
   * tenant, never by reading the backlog.
   */
  @Test
  void tenantsOfAQueueAreFoundBySeeksInTheClaimIndex() throws Exception {
    Path file = dir.resolve("tenants.db");
    Stores.sqlite(file, SqliteOptions.defaults(), new SettableClock(0)).close();
    StringBuilder plan = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.PreparedStatement ps =
            c.prepareStatement("EXPLAIN QUERY PLAN " + FairClaim.tenantsSql(Tables.JOBS))) {
      ps.setString(1, "default");
      ps.setString(2, "");
      ps.setString(3, "default");
      ps.setInt(4, 100);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString("detail")).append('\n');
        }
      }
    }
    String p = plan.toString();
    assertTrue(p.contains("jobkit_jobs_claim (queue=? AND tenant>?)"), p);
    assertFalse(p.contains("SCAN j"), p);
    assertFalse(p.contains("USE TEMP B-TREE"), p);
  }

  @Test
  void limitedClaimQueryUsesThePartialLimitedIndex() throws Exception {
    Path file = dir.resolve("limited.db");
    Stores.sqlite(file, SqliteOptions.defaults(), new SettableClock(0)).close();
    String sql = SqlLimits.candidatesSql(Tables.JOBS, 1, 1, 1, "instr", "");
    StringBuilder plan = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      ps.setLong(1, 0);
      ps.setString(2, "default");
      ps.setString(3, ",k,");
      ps.setString(4, "acme"); // a tenant whose max running is reached (#14)
      ps.setInt(5, 10);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString("detail")).append('\n');
        }
      }
    }
    assertTrue(plan.toString().contains("jobkit_jobs_limited"), plan::toString);
    assertFalse(plan.toString().contains("USE TEMP B-TREE FOR ORDER BY"), plan::toString);
  }
}
