package dev.jobkit.runtime.internal.store;

/**
 * The outcome of inserting one job.
 *
 * @param id the id of the stored job: the new one, or the existing one with the same idempotency
 *     key
 * @param created false when an existing job with the same idempotency key was returned instead
 */
public record InsertResult(String id, boolean created) {}
