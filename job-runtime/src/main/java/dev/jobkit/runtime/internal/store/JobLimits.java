package dev.jobkit.runtime.internal.store;

import java.util.List;

/**
 * A job's limit keys with their states (#12 limits), for saying why a due job does not start.
 *
 * @param status the job's status name
 * @param runAt the job's earliest start, epoch millis
 * @param keys each of its limit keys, in the order stored
 */
public record JobLimits(String status, long runAt, List<LimitState> keys) {

  /** Copies. */
  public JobLimits {
    keys = List.copyOf(keys);
  }
}
