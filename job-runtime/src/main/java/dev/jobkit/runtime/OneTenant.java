package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.NewJob;
import java.util.Optional;

/**
 * The one tenant of a batch or graph (#14 tenants): the first tenant its jobs' options (or {@link
 * JobBatch#tenant}) name; jobs whose options name none join it, and a job naming another is
 * refused, so that no edge or callback crosses tenants.
 */
final class OneTenant {
  private final String what;
  private String tenant;

  /** For {@code what}, such as {@code "batch 01H..."}, in messages. */
  OneTenant(String what) {
    this.what = what;
  }

  /**
   * Takes the tenant that {@code job}'s options name, if any.
   *
   * @throws IllegalArgumentException if it differs from the one taken before
   */
  void take(Optional<String> named, String job) {
    if (named.isEmpty()) {
      return;
    }
    String t = named.get();
    if (tenant == null) {
      tenant = t;
    } else if (!tenant.equals(t)) {
      throw new IllegalArgumentException(
          job
              + " of "
              + what
              + " names tenant '"
              + t
              + "', but the "
              + what.split(" ")[0]
              + " is in tenant '"
              + tenant
              + "'; all its jobs must be in one tenant: name the same one, or none");
    }
  }

  /** {@code job} in the tenant taken, or as it is when none was named. */
  NewJob apply(NewJob job) {
    return job == null || tenant == null || job.tenant().equals(tenant)
        ? job
        : job.withTenant(tenant);
  }
}
