package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.JobStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
  /** The tenant of everything dispatched without one, and of everything stored before tenants. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  /** How long a process may use a tenant's settings before reading them again. */
  public static final java.time.Duration SETTINGS_CACHE = java.time.Duration.ofSeconds(2);

  private final JobStore store;
  private final Clock clock;
  private final Runnable checkOpen;

  Tenants(JobStore store, Clock clock, Runnable checkOpen) {
    this.store = store;
    this.clock = clock;
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
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * The tenant with this name: its settings, or the defaults when it has none but has waiting or
   * running jobs; empty when it has neither.
   */
  public Optional<TenantInfo> get(String name) {
    checkOpen.run();
    checkName(name);
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Every tenant that has settings or waiting or running jobs, by name, with its counts of waiting
   * and running jobs.
   */
  public List<TenantInfo> list() {
    checkOpen.run();
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Deletes the settings of a tenant: it has weight 1 and no quotas from then on. Its jobs,
   * schedules, templates and keys stay.
   *
   * @param actor who asks (audited as {@value AuditLog#TENANT_DELETE} when not null), or null
   * @return whether the tenant had settings
   */
  public boolean delete(String name, String actor) {
    checkOpen.run();
    checkName(name);
    throw new UnsupportedOperationException("not yet");
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
