package dev.jobkit.runtime.internal.store;

/** A stored event with its job's name and tenant (#14), as the change feed reads it. */
public record FeedEvent(JobEvent event, String jobName, String tenant) {}
