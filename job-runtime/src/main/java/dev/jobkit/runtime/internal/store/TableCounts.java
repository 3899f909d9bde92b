package dev.jobkit.runtime.internal.store;

/** Rows in each of jobkit's tables that a migration copies. */
public record TableCounts(long jobs, long events, long logs, long tags, long apiKeys) {}
