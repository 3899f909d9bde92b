package dev.jobkit;

/** The level of a line in a job's log. */
public enum LogLevel {
  /** Detail for troubleshooting. */
  DEBUG,
  /** Normal progress. */
  INFO,
  /** Something unexpected that the job handled. */
  WARN,
  /** A failure. */
  ERROR
}
