package dev.jobkit.runtime;

/**
 * How hard each commit is pushed to disk before a call such as {@code dispatch} returns.
 *
 * <p>Set with {@link JobManager.Builder#durability(Durability)}; the default is {@link #NORMAL}.
 */
public enum Durability {
  /**
   * A commit that returned survives a crash or kill of the process, but the last moments of commits
   * may be lost on power loss or an operating-system crash (SQLite: WAL with synchronous=NORMAL).
   * The default.
   */
  NORMAL,
  /**
   * Every commit is fsynced before it returns, so it also survives power loss (synchronous=FULL).
   */
  FULL
}
