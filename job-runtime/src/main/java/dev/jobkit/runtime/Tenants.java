package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.AuditRow;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.TenantCount;
import dev.jobkit.runtime.internal.store.TenantRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants (#14): every job, schedule, template and batch belongs to one. Jobs dispatched without a
 * tenant belong to {@link #DEFAULT}, so an application that never names one is a single tenant.
 *
 * <p>An instance, from {@link JobManager#tenants()}, manages the tenants' settings (weight and
 * quotas, see {@link TenantSpec}), stored in the database and shared by every process on it. A
 * tenant needs no settings to be used: one without them has weight 1 and no quotas. A process reads
 * the settings at most {@link #SETTINGS_CACHE} late, so a change reaches every node within that
 * time (the process that made it sees it at once). See {@code docs/tenancy.md}. Thread-safe.
 */
public final class Tenants {
  private static final Logger log = LoggerFactory.getLogger(Tenants.class);

  /** The tenant of everything dispatched without one, and of everything stored before tenants. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  /** How long a process may use a tenant's settings before reading them again. */
  public static final Duration SETTINGS_CACHE = Duration.ofSeconds(2);

  private final JobStore store;
  private final Clock clock;
  private final AuditLog audit;
  private final Runnable checkOpen;

  Tenants(JobStore store, Clock clock, AuditLog audit, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
    this.checkOpen = checkOpen;
  }

  /**
   * Stores the settings of a tenant: creates them, or replaces those with its name (keeping when
   * they were created and the state of the submission rate). A new max-running quota applies to
   * jobs dispatched from then on; jobs dispatched before it are not counted against it.
   *
   * @param actor who asks (audited as {@value AuditLog#TENANT_PUT} when not null), or null
   * @return the tenant as stored, with its counts
   */
  public TenantInfo put(TenantSpec spec, String actor) {
    checkOpen.run();
    Objects.requireNonNull(spec, "spec");
    long now = clock.millis();
    TenantRow row =
        new TenantRow(
            spec.name(),
            spec.weight(),
            spec.maxQueued(),
            spec.maxRunning(),
            spec.submissions(),
            spec.submissionPeriod().toMillis(),
            spec.burst(),
            0,
            spec.maxStoredBytes(),
            spec.description().orElse(null),
            now,
            now);
    AuditRow entry =
        actor == null
            ? null
            : audit.row(actor, spec.name(), AuditLog.TENANT_PUT, spec.name(), describe(spec));
    TenantRow stored = store.putTenant(row, entry);
    log.info("Tenant {} stored by {}: {}", spec.name(), who(actor), describe(spec));
    return info(stored, counts(spec.name()).get(spec.name()));
  }

  /**
   * The tenant with this name: its settings, or the defaults when it has none but has waiting or
   * running jobs; empty when it has neither.
   *
   * @throws IllegalArgumentException if the name is not a valid tenant name
   */
  public Optional<TenantInfo> get(String name) {
    checkOpen.run();
    checkName(name);
    TenantCount count = counts(name).get(name);
    Optional<TenantRow> row = store.tenantSettings(name, clock.millis(), 0); // fresh
    if (row.isPresent()) {
      return Optional.of(info(row.get(), count));
    }
    return count == null ? Optional.empty() : Optional.of(unconfigured(count));
  }

  /**
   * Every tenant that has settings or waiting or running jobs, by name, with its counts of waiting
   * and running jobs.
   */
  public List<TenantInfo> list() {
    checkOpen.run();
    Map<String, TenantCount> counts = counts(null);
    Map<String, TenantInfo> out = new TreeMap<>();
    for (TenantRow r : store.tenants()) {
      out.put(r.name(), info(r, counts.get(r.name())));
    }
    for (TenantCount c : counts.values()) {
      out.putIfAbsent(c.tenant(), unconfigured(c));
    }
    return List.copyOf(out.values());
  }

  /**
   * Deletes the settings of a tenant: it has weight 1 and no quotas from then on. Its jobs,
   * schedules, templates and keys stay.
   *
   * @param actor who asks (audited as {@value AuditLog#TENANT_DELETE} when not null), or null
   * @return whether the tenant had settings
   * @throws IllegalArgumentException if the name is not a valid tenant name
   */
  public boolean delete(String name, String actor) {
    checkOpen.run();
    checkName(name);
    AuditRow entry =
        actor == null ? null : audit.row(actor, name, AuditLog.TENANT_DELETE, name, null);
    boolean done = store.deleteTenant(name, clock.millis(), entry);
    if (done) {
      log.info("Tenant {} settings deleted by {}", name, who(actor));
    }
    return done;
  }

  private Map<String, TenantCount> counts(String tenant) {
    Map<String, TenantCount> by = new HashMap<>();
    for (TenantCount c : store.tenantCounts(tenant)) {
      by.put(c.tenant(), c);
    }
    return by;
  }

  private static TenantInfo info(TenantRow r, TenantCount c) {
    TenantSpec spec =
        new TenantSpec(
            r.name(),
            Math.max(1, r.weight()),
            r.maxQueued(),
            r.maxRunning(),
            r.submitCount(),
            r.submitCount() > 0 ? Duration.ofMillis(r.submitPeriodMs()) : Duration.ZERO,
            r.submitBurst(),
            r.maxStoredBytes(),
            Optional.ofNullable(r.description()));
    return new TenantInfo(
        spec,
        c == null ? 0 : c.queued(),
        c == null ? 0 : c.running(),
        Optional.of(Instant.ofEpochMilli(r.createdAt())),
        Optional.of(Instant.ofEpochMilli(r.updatedAt())));
  }

  private static TenantInfo unconfigured(TenantCount c) {
    return new TenantInfo(
        TenantSpec.builder(c.tenant()).build(),
        c.queued(),
        c.running(),
        Optional.empty(),
        Optional.empty());
  }

  /** The settings in one line, for the log and the audit trail. */
  static String describe(TenantSpec s) {
    StringBuilder b = new StringBuilder("weight ").append(s.weight());
    if (s.maxQueued() > 0) {
      b.append(", max queued ").append(s.maxQueued());
    }
    if (s.maxRunning() > 0) {
      b.append(", max running ").append(s.maxRunning());
    }
    if (s.submissions() > 0) {
      b.append(", submissions ")
          .append(s.submissions())
          .append('/')
          .append(Limits.formatPeriod(s.submissionPeriod().toMillis()));
      if (s.burst() > 0) {
        b.append(" burst ").append(s.burst());
      }
    }
    if (s.maxStoredBytes() > 0) {
      b.append(", max stored bytes ").append(s.maxStoredBytes());
    }
    return b.toString();
  }

  private static String who(String actor) {
    return actor == null ? "the application" : actor;
  }

  /**
   * Returns {@code name} when it is a valid tenant name: 1 to 63 characters, lower-case letters,
   * digits, '-', '_' or '.', starting with a letter or digit.
   *
   * @throws IllegalArgumentException naming what is wrong, otherwise
   */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "tenant");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tenant '"
              + name
              + "' is not a valid tenant name: use 1 to 63 lower-case letters, digits, '-', '_'"
              + " or '.', starting with a letter or digit");
    }
    return name;
  }
}
