package dev.jobkit.runtime.internal.store;

import dev.jobkit.LogLevel;

/**
 * One line of a job's log.
 *
 * @param id increasing id, 0 for a line not yet stored
 * @param attempt the attempt that wrote it
 */
public record LogLine(
    long id, String jobId, long at, LogLevel level, String message, int attempt) {}
