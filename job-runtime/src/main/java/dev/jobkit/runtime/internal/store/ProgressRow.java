package dev.jobkit.runtime.internal.store;

/**
 * The stored progress of a running job.
 *
 * @param updatedAt the row's last update, epoch millis (a progress write sets it)
 * @param tenant the job's tenant (#14 tenants)
 */
public record ProgressRow(
    String jobId, String jobName, String progress, long updatedAt, String tenant) {}
