package dev.jobkit.runtime.internal.store;

/** A stored log line with its job's name and tenant (#14), as the change feed reads it. */
public record FeedLog(LogLine line, String jobName, String tenant) {}
