package dev.jobkit.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * How many jobs finished in one time bucket, from {@link JobManager#throughput}.
 *
 * @param start the bucket's start (inclusive); it ends where the next one starts
 * @param completed jobs that completed in it
 * @param failed jobs that ended FAILED, TIMED_OUT or QUARANTINED in it
 */
public record ThroughputBucket(Instant start, long completed, long failed) {

  /** Validates. */
  public ThroughputBucket {
    Objects.requireNonNull(start, "start");
  }
}
