package dev.jobkit.runtime;

/** The state of a batch of jobs (#12 batches); see {@link JobBatch}. */
public enum BatchState {
  /** Some member is not final yet. */
  RUNNING,
  /** Every member completed; the success and completion callbacks were queued. */
  SUCCEEDED,
  /**
   * Every member is final and at least one did not complete (failed, timed out or was cancelled);
   * the failure and completion callbacks were queued.
   */
  FAILED;

  /** Whether the batch is final: its callbacks fired, and it does not change state again. */
  public boolean isFinal() {
    return this != RUNNING;
  }
}
