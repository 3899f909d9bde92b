package dev.jobkit.spring;

import dev.jobkit.runtime.JobManager;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The manager's {@link JobManager#health()} as Actuator's {@code jobkit} component: UP when the
 * database answers and every worker pool runs, with the details.
 */
final class JobkitHealthIndicator extends AbstractHealthIndicator {
  private final JobManager jobs;

  JobkitHealthIndicator(JobManager jobs) {
    super("jobkit health check failed");
    this.jobs = jobs;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    dev.jobkit.runtime.Health h = jobs.health();
    (h.isHealthy() ? builder.up() : builder.down())
        .withDetail("databaseReachable", h.databaseReachable())
        .withDetail("workersAlive", h.workersAlive())
        .withDetail("runningJobs", h.runningJobs())
        .withDetail("owner", h.ownerId());
    h.databaseError().ifPresent(e -> builder.withDetail("databaseError", e));
  }
}
