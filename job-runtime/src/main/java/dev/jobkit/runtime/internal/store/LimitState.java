package dev.jobkit.runtime.internal.store;

/**
 * One limit key of a job as it is now (#12 limits): its definition, the RUNNING jobs that hold it,
 * and when its rate allows the next start.
 *
 * @param row the definition, or null when no row defines the key (then the job cannot start)
 * @param running RUNNING jobs with this key, on all nodes
 * @param nextStartAt the earliest time, epoch millis, at which the rate allows a start (0 without a
 *     rate)
 */
public record LimitState(String key, LimitRow row, int running, long nextStartAt) {}
