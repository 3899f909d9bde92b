package dev.jobkit.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a {@link JobManager} can do its work, from {@link JobManager#health()}.
 *
 * @param databaseReachable whether a read of the database just succeeded
 * @param databaseError why the read failed, when it did
 * @param workersAlive whether every queue's claim loop and worker pool of this manager is running
 * @param runningJobs jobs running in this manager now
 * @param ownerId this manager's lease owner id, as stored on the jobs it runs
 */
public record Health(
    boolean databaseReachable,
    Optional<String> databaseError,
    boolean workersAlive,
    int runningJobs,
    String ownerId) {

  /** Validates. */
  public Health {
    Objects.requireNonNull(databaseError, "databaseError");
    Objects.requireNonNull(ownerId, "ownerId");
  }

  /** Whether the database is reachable and the workers are alive. */
  public boolean isHealthy() {
    return databaseReachable && workersAlive;
  }
}
