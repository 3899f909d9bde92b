package dev.jobkit.runtime.internal.store;

/**
 * A successful finish of a claimed job, for batched completion.
 *
 * @param outputJson the result as JSON, or null
 */
public record Completion(String id, long epoch, String outputJson) {}
