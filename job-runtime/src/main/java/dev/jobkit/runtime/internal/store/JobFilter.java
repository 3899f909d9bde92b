package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.state.JobStatus;
import java.util.Set;

/**
 * Criteria for listing jobs; empty sets and nulls match everything.
 *
 * @param tag a single tag the job must carry, or null
 * @param queue the queue, or null
 * @param createdFrom inclusive lower bound on creation time, or null
 * @param createdTo exclusive upper bound on creation time, or null
 * @param text a search (id prefix, name or tag equal, error containing it), or null
 * @param tenant only jobs of this tenant (#14 tenants), or null for every tenant
 */
public record JobFilter(
    Set<JobStatus> statuses,
    Set<String> names,
    String tag,
    String queue,
    Long createdFrom,
    Long createdTo,
    String text,
    String tenant) {

  /** Copies. */
  public JobFilter {
    statuses = Set.copyOf(statuses);
    names = Set.copyOf(names);
  }

  /** Matches every job. */
  public static JobFilter all() {
    return new JobFilter(Set.of(), Set.of(), null, null, null, null, null, null);
  }

  /** This filter restricted to some statuses. */
  public JobFilter withStatuses(Set<JobStatus> s) {
    return new JobFilter(s, names, tag, queue, createdFrom, createdTo, text, tenant);
  }

  /** This filter restricted to some names. */
  public JobFilter withNames(Set<String> n) {
    return new JobFilter(statuses, n, tag, queue, createdFrom, createdTo, text, tenant);
  }

  /** This filter restricted to a tag. */
  public JobFilter withTag(String t) {
    return new JobFilter(statuses, names, t, queue, createdFrom, createdTo, text, tenant);
  }

  /** This filter restricted to a queue. */
  public JobFilter withQueue(String q) {
    return new JobFilter(statuses, names, tag, q, createdFrom, createdTo, text, tenant);
  }

  /** This filter restricted to jobs created in {@code [from, to)}. */
  public JobFilter createdBetween(Long from, Long to) {
    return new JobFilter(statuses, names, tag, queue, from, to, text, tenant);
  }

  /** This filter restricted to one tenant's jobs (#14 tenants). */
  public JobFilter withTenant(String t) {
    return new JobFilter(statuses, names, tag, queue, createdFrom, createdTo, text, t);
  }

  /** This filter restricted to a search for {@code q}. */
  public JobFilter withText(String q) {
    return new JobFilter(statuses, names, tag, queue, createdFrom, createdTo, q, tenant);
  }
}
