package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.internal.state.JobStatus;

/** How many jobs of one name are in one status. */
public record StatusCount(String name, JobStatus status, long count) {}
