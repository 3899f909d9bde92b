package dev.jobkit;

/** How urgently a job runs; higher priorities are claimed first, then first-in, first-out. */
public enum Priority {
  /** Background work that may wait. */
  LOW,
  /** The default. */
  NORMAL,
  /** Ahead of normal work. */
  HIGH,
  /** Ahead of everything else. */
  CRITICAL
}
