package dev.jobkit.runtime.internal.store;

/**
 * Rows in each of jobkit's tables that a migration copies; {@code deps} counts the dependency edges
 * (#12), {@code batches} the rows of {@code jobkit_batches} (#12 batches).
 */
public record TableCounts(
    long jobs, long events, long logs, long tags, long apiKeys, long deps, long batches) {}
