package dev.jobkit.runtime.internal.store;

/** A stored event with its job's name, as the change feed reads it. */
public record FeedEvent(JobEvent event, String jobName) {}
