package dev.jobkit.runtime;

/**
 * Receives lifecycle events registered with {@link JobManager#subscribe}. Called on the manager's
 * single event thread, one event at a time, so a slow listener delays other listeners but never a
 * worker. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface JobEventListener {

  /** Called once for each event of a subscribed type. */
  void onEvent(JobLifecycleEvent event);
}
