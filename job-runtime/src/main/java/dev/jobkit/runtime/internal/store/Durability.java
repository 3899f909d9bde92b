package dev.jobkit.runtime.internal.store;

/** How hard a commit is pushed to disk. */
public enum Durability {
  /**
   * A committed write survives a crash or kill of the process; the last commits may be lost on
   * power loss or an OS crash (SQLite: WAL with synchronous=NORMAL). The default.
   */
  NORMAL,
  /** Every commit is fsynced before it returns (SQLite: synchronous=FULL). */
  FULL
}
