package dev.jobkit.runtime.internal.store;

import dev.jobkit.runtime.JobStorageException;

/**
 * A storage failure as the stores raise it: the public {@link JobStorageException} with the
 * store-level {@link Reason}, so callers of the public API catch one public type.
 */
public final class StorageException extends JobStorageException {
  private static final long serialVersionUID = 1L;

  /** Why storage failed; lets callers and tests react without parsing messages. */
  public enum Reason {
    /** The file or its directory is read-only. */
    READ_ONLY(Kind.READ_ONLY),
    /** The directory of the database file does not exist. */
    DIRECTORY_MISSING(Kind.DIRECTORY_MISSING),
    /** The file exists but is not a database of this dialect. */
    NOT_A_DATABASE(Kind.NOT_A_DATABASE),
    /** Another program holds the lock past the busy timeout. */
    LOCKED(Kind.LOCKED),
    /** The schema was written by a newer jobkit. */
    NEWER_SCHEMA(Kind.NEWER_SCHEMA),
    /** No job database exists and the caller asked not to create one. */
    MISSING(Kind.MISSING),
    /** The server cannot be reached, or refused the login. */
    UNREACHABLE(Kind.UNREACHABLE),
    /** The disk holding the database is full. */
    DISK_FULL(Kind.DISK_FULL),
    /** Anything else; the cause says more. */
    OTHER(Kind.OTHER);

    private final Kind kind;

    Reason(Kind kind) {
      this.kind = kind;
    }
  }

  private final Reason reason;

  /** A failure with a reason, a one-line message and an optional cause. */
  public StorageException(Reason reason, String message, Throwable cause) {
    super(reason.kind, message, cause);
    this.reason = reason;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
