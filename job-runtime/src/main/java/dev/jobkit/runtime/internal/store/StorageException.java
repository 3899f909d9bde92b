package dev.jobkit.runtime.internal.store;

import dev.jobkit.JobException;

/** A storage failure translated into what happened and what to do. */
public final class StorageException extends JobException {
  private static final long serialVersionUID = 1L;

  /** Why storage failed; lets callers and tests react without parsing messages. */
  public enum Reason {
    /** The file or its directory is read-only. */
    READ_ONLY,
    /** The directory of the database file does not exist. */
    DIRECTORY_MISSING,
    /** The file exists but is not a database of this dialect. */
    NOT_A_DATABASE,
    /** Another program holds the lock past the busy timeout. */
    LOCKED,
    /** The schema was written by a newer jobkit. */
    NEWER_SCHEMA,
    /** Anything else; the cause says more. */
    OTHER
  }

  private final Reason reason;

  /** A failure with a reason, a one-line message and an optional cause. */
  public StorageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
