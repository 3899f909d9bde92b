package dev.jobkit.spring;

import dev.jobkit.runtime.JobManager;

/**
 * Changes the starter's {@link JobManager.Builder} before it opens the manager, for settings that
 * have no property: declared schedules, event listeners, a registry, retention per queue. Declare
 * one or more as beans; they run in their {@code @Order}.
 */
@FunctionalInterface
public interface JobManagerCustomizer {

  /** Adjusts {@code builder}, which the starter has filled from the {@code jobkit.*} properties. */
  void customize(JobManager.Builder builder);
}
