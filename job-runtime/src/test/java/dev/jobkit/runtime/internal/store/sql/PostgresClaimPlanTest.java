package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.JobIds;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guards claim throughput on PostgreSQL (#14 fair claiming): a claim of one tenant, and each
 * tenant's subquery of a claim of several, read {@code jobkit_jobs_claim} in claim order (no sort
 * of due jobs), and the scan for a queue's tenants seeks in it.
 */
class PostgresClaimPlanTest {
  private static final long T0 = 1_700_000_000_000L;
  private final SettableClock clock = new SettableClock(T0);
  private String url;

  @BeforeEach
  void fill() throws Exception {
    url = EmbeddedPostgresSupport.freshDatabase();
    JobIds ids = new JobIds(clock);
    try (JobStore store =
        Stores.postgres(
            url,
            EmbeddedPostgresSupport.user(),
            EmbeddedPostgresSupport.password(),
            PostgresOptions.defaults(),
            clock)) {
      List<NewJob> jobs = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        jobs.add(
            NewJob.of(ids.next(), "j", "{}".getBytes(StandardCharsets.UTF_8), T0)
                .withTenant(i % 100 == 0 ? "b" : "a"));
      }
      store.insertAll(jobs, T0);
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE jobkit_jobs");
    }
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private Connection connect() throws Exception {
    Properties p = new Properties();
    if (EmbeddedPostgresSupport.user() != null) {
      p.setProperty("user", EmbeddedPostgresSupport.user());
    }
    if (EmbeddedPostgresSupport.password() != null) {
      p.setProperty("password", EmbeddedPostgresSupport.password());
    }
    return DriverManager.getConnection(url, p);
  }

  private String plan(String sql, Object... params) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof Object[] array) {
          ps.setArray(i + 1, c.createArrayOf(array[0] instanceof String ? "text" : "int4", array));
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.append(r.getString(1)).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** Sorts other than the final one of the claimed rows (which are few). */
  private static boolean sortsDueJobs(String plan) {
    return plan.lines().anyMatch(l -> l.contains("Sort Key") && !l.contains("claimed."));
  }

  @Test
  void oneTenantsClaimReadsTheClaimIndexInOrder() throws Exception {
    Tables t = new Tables("public");
    String p =
        plan(
            PostgresDialect.claimSql(t, true),
            "default",
            "a",
            T0,
            64,
            "node",
            T0 + 30_000,
            T0,
            T0,
            T0,
            "node");
    assertTrue(p.contains("jobkit_jobs_claim"), p);
    assertFalse(sortsDueJobs(p), p);
  }

  @Test
  void aClaimOfSeveralTenantsReadsEachOnesRangeInOrder() throws Exception {
    Tables t = new Tables("public");
    String p =
        plan(
            PostgresDialect.claimSharesSql(t, true, 2),
            "default",
            "a",
            T0,
            32,
            "default",
            "b",
            T0,
            32,
            "node",
            T0 + 30_000,
            T0,
            T0,
            T0,
            "node");
    assertTrue(p.contains("jobkit_jobs_claim"), p);
    assertFalse(sortsDueJobs(p), p);
    // The update finds the few claimed rows by key, never by reading the table.
    assertFalse(p.contains("Seq Scan on jobkit_jobs"), p);
  }

  @Test
  void aTenantsRunningJobsAreCountedThroughAnIndex() throws Exception {
    // #14 max running: counted on every claim that serves a tenant with the quota.
    for (int tenants : new int[] {1, 2}) {
      Object[] names = tenants == 1 ? new Object[] {"a"} : new Object[] {"a", "b"};
      String p = plan(SqlLimits.runningOfTenantsSql("public.jobkit_jobs", tenants), names);
      assertFalse(p.contains("Seq Scan on jobkit_jobs"), p);
    }
  }

  @Test
  void theTenantsOfAQueueAreFoundBySeeks() throws Exception {
    String p = plan(FairClaim.tenantsSql("public.jobkit_jobs"), "default", "", "default", 1000);
    assertTrue(p.contains("jobkit_jobs_claim"), p);
    assertFalse(p.contains("Seq Scan on jobkit_jobs"), p);
  }
}
