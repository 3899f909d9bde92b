package dev.jobkit.runtime.internal.store;

/**
 * A row of {@code jobkit_maintenance}: who holds a maintenance task's lease, and what its last run
 * did.
 *
 * @param task the task, {@code retention}
 * @param leaseOwner the process running the task now, or null
 * @param leaseExpiresAt when that lease lapses, epoch millis (0 when none)
 * @param settings the settings of the last run as text (the retention policy), or null
 * @param runBy the process that did the last run, or null when it never ran
 * @param startedAt when the last run started, epoch millis, 0 when it never ran
 * @param finishedAt when the last run ended, epoch millis
 * @param deleted the jobs the last run deleted
 * @param freedBytes the bytes the last run gave back to the file system (SQLite)
 * @param totalDeleted jobs deleted by every run since the table was created
 * @param error why the last run stopped early, or null
 */
public record MaintenanceRow(
    String task,
    String leaseOwner,
    long leaseExpiresAt,
    String settings,
    String runBy,
    long startedAt,
    long finishedAt,
    RetentionDeleted deleted,
    long freedBytes,
    long totalDeleted,
    String error) {}
