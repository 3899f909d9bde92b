package dev.jobkit.runtime;

import dev.jobkit.JobException;
import java.util.Objects;

/**
 * The database behind a {@link JobManager} failed: it could not be opened (read-only, missing
 * directory, not a database, locked, written by a newer jobkit, unreachable) or a statement failed.
 * The message is one line that says what happened and what to do; {@link #kind()} lets programs
 * react without parsing it. Nothing already committed is lost when this is thrown: the operation
 * that failed had no effect.
 */
public class JobStorageException extends JobException {
  private static final long serialVersionUID = 1L;

  /** What kind of storage failure this is. */
  public enum Kind {
    /** The database file or its directory is read-only. */
    READ_ONLY,
    /** The directory of the database file does not exist. */
    DIRECTORY_MISSING,
    /** The file exists but is not a database of this dialect. */
    NOT_A_DATABASE,
    /** Another program holds the database's lock past the busy timeout. */
    LOCKED,
    /** The schema was written by a newer jobkit; upgrade jobkit to open it. */
    NEWER_SCHEMA,
    /**
     * There is no job database (no SQLite file, or no jobkit tables in the PostgreSQL schema) and
     * the manager was told not to create one ({@code createIfMissing(false)}).
     */
    MISSING,
    /** The database server cannot be reached or refused the login. */
    UNREACHABLE,
    /**
     * The disk holding the database is full (or the server has no space left): writes fail until
     * space is freed; reads still work.
     */
    DISK_FULL,
    /** Anything else; the cause says more. */
    OTHER
  }

  private final Kind kind;

  /** A failure of the given kind with a one-line message and an optional cause. */
  public JobStorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** What kind of failure this is. */
  public Kind kind() {
    return kind;
  }
}
