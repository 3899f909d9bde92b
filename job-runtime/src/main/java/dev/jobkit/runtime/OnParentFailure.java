package dev.jobkit.runtime;

/**
 * What happens to a job waiting for a parent ({@link DispatchOptions.Builder#dependsOn}) when that
 * parent ends FAILED, CANCELLED or TIMED_OUT. Each edge between a child and a parent has its own.
 * Retrying the parent ({@link JobManager#retry}) makes the children its failure ended wait for it
 * again.
 */
public enum OnParentFailure {
  /**
   * The default: the child is cancelled without running, and its own children then get their edges'
   * policies in turn (by default, the whole subtree is cancelled).
   */
  CANCEL,
  /** The child fails without running, with an error that names the parent. */
  FAIL,
  /**
   * The edge counts as satisfied: the child runs once its other parents are done; the failed
   * parent's output reads as null.
   */
  RUN_ANYWAY
}
