package dev.jobkit.runtime;

/**
 * A listener registered with {@link JobManager#subscribe}; closing it stops delivery to that
 * listener (an event already being delivered finishes). Closing twice does nothing.
 */
public interface JobSubscription extends AutoCloseable {

  /** Removes the listener. */
  @Override
  void close();
}
