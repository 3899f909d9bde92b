package dev.jobkit.runtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Counts and timings of the jobs in the database, from {@link JobManager#stats()}.
 *
 * @param byState how many jobs are in each state; states with no jobs are absent
 * @param byNameAndState per job name, how many jobs are in each state
 * @param durationSample how many completed jobs the durations were computed from: the most recently
 *     dispatched completed jobs, at most {@link #DURATION_SAMPLE_LIMIT}
 * @param meanDuration mean run time (start of the last attempt to completion) of the sample
 * @param p95Duration 95th percentile (nearest rank) run time of the sample
 * @param successRate completed / (completed + failed + timed out) over all stored jobs; empty when
 *     none of them has ended that way
 */
public record JobStats(
    Map<JobState, Long> byState,
    Map<String, Map<JobState, Long>> byNameAndState,
    int durationSample,
    Optional<Duration> meanDuration,
    Optional<Duration> p95Duration,
    OptionalDouble successRate) {

  /** The most completed jobs the durations are computed from. */
  public static final int DURATION_SAMPLE_LIMIT = 1000;

  /** Copies. */
  public JobStats {
    byState = Map.copyOf(byState);
    Map<String, Map<JobState, Long>> copy = new LinkedHashMap<>();
    byNameAndState.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
    byNameAndState = Map.copyOf(copy);
    Objects.requireNonNull(meanDuration, "meanDuration");
    Objects.requireNonNull(p95Duration, "p95Duration");
    Objects.requireNonNull(successRate, "successRate");
  }

  /** How many jobs are in {@code state}, 0 if none. */
  public long count(JobState state) {
    return byState.getOrDefault(state, 0L);
  }
}
