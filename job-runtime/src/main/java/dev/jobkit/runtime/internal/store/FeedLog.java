package dev.jobkit.runtime.internal.store;

/** A stored log line with its job's name, as the change feed reads it. */
public record FeedLog(LogLine line, String jobName) {}
