package dev.jobkit.runtime.internal.store;

/** Jobs deleted by retention, by the status they ended in. */
public record RetentionDeleted(long completed, long failed, long cancelled, long timedOut) {
  /** Nothing deleted. */
  public static final RetentionDeleted NONE = new RetentionDeleted(0, 0, 0, 0);

  /** All jobs deleted. */
  public long total() {
    return completed + failed + cancelled + timedOut;
  }

  /** The sum of both. */
  public RetentionDeleted plus(RetentionDeleted o) {
    return new RetentionDeleted(
        completed + o.completed, failed + o.failed, cancelled + o.cancelled, timedOut + o.timedOut);
  }
}
