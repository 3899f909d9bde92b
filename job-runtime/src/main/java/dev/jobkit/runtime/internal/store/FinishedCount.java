package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.state.JobStatus;

/**
 * How many jobs finished into {@code status} in one time bucket.
 *
 * @param bucket the bucket's index from the start of the window, from 0
 */
public record FinishedCount(long bucket, JobStatus status, long count) {}
