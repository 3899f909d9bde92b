package dev.jobkit.runtime.internal.store;

/**
 * How long finished jobs of one scope are kept before retention deletes them: the jobs of one job
 * name, of one queue, or (both null) all others. A job name's rule wins over its queue's, which
 * wins over the default rule. A negative time keeps those jobs forever.
 *
 * @param queue the queue this rule is for, or null
 * @param name the job name this rule is for, or null
 * @param keepCompletedMs how long COMPLETED jobs are kept after they finished, or negative
 * @param keepFailedMs how long FAILED, CANCELLED and TIMED_OUT jobs are kept, or negative
 */
public record RetentionRule(String queue, String name, long keepCompletedMs, long keepFailedMs) {

  /** Validates: a rule is for a queue, a job name, or neither, never both. */
  public RetentionRule {
    if (queue != null && name != null) {
      throw new IllegalArgumentException(
          "a retention rule is for a queue or a job name, not both: " + queue + ", " + name);
    }
  }

  /** The default rule, for jobs that no other rule names. */
  public static RetentionRule defaults(long keepCompletedMs, long keepFailedMs) {
    return new RetentionRule(null, null, keepCompletedMs, keepFailedMs);
  }

  /** Whether this rule ever deletes a job. */
  public boolean deletes() {
    return keepCompletedMs >= 0 || keepFailedMs >= 0;
  }
}
