package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Turns SQLite failures into one-line {@link StorageException}s naming the file and a fix. */
final class SqliteErrors {
  // Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low
  // byte.
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  private SqliteErrors() {}

  /** Translates {@code original}, found anywhere in a cause chain, for database {@code file}. */
  static StorageException translate(Path file, Throwable original) {
    Throwable e = SqlCauses.clean(original, SqlCauses.firstLine(original)); // no SQL in causes
    SQLException sql = findSqlException(e);
    int code = primaryCode(sql);
    switch (code) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return locked(file, e);
      case SQLITE_READONLY:
        return readOnly(file, e);
      case SQLITE_NOTADB:
        return notADatabase(file, e);
      case SQLITE_FULL:
        return diskFull(file, e);
      case SQLITE_IOERR:
        return new StorageException(
            Reason.OTHER,
            "Job database "
                + file
                + ": the disk holding "
                + dirOf(file)
                + " reported an I/O error ("
                + messageOf(e)
                + "); check the disk and its file system",
            e);
      case SQLITE_CANTOPEN:
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
          return directoryMissing(file, e);
        }
        if (dir != null && !Files.isWritable(dir)) {
          return directoryReadOnly(file, dir, e);
        }
        return new StorageException(
            Reason.OTHER,
            "Cannot open job database "
                + file
                + ": "
                + messageOf(e)
                + "; check that the path is a file you may read and write",
            e);
      default:
        return new StorageException(
            Reason.OTHER, "Job database " + file + " failed: " + messageOf(e), e);
    }
  }

  static StorageException locked(Path file, Throwable cause) {
    return new StorageException(
        Reason.LOCKED,
        "Job database "
            + file
            + " is locked by another program past the busy timeout;"
            + " close the other program or raise the busy timeout",
        cause);
  }

  static StorageException diskFull(Path file, Throwable cause) {
    return new StorageException(
        Reason.DISK_FULL,
        "Job database "
            + file
            + " cannot grow: the disk holding "
            + dirOf(file)
            + " is full; free space there (jobs wait and run once there is room)",
        cause);
  }

  private static Path dirOf(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? file.toAbsolutePath() : dir;
  }

  static StorageException readOnly(Path file, Throwable cause) {
    return new StorageException(
        Reason.READ_ONLY,
        "Job database "
            + file
            + " is read-only; make the file and its directory writable"
            + " or choose another path",
        cause);
  }

  /**
   * SQLite cannot create {@code file}, or the {@code -wal} and {@code -shm} files it keeps next to
   * an existing one, in {@code dir}: a read-only mount, or a directory without write permission.
   */
  static StorageException directoryReadOnly(Path file, Path dir, Throwable cause) {
    return new StorageException(
        Reason.READ_ONLY,
        (Files.exists(file) ? "Cannot open job database " : "Cannot create job database ")
            + file
            + ": the directory "
            + dir
            + " is read-only; make it writable or choose another path",
        cause);
  }

  static StorageException notADatabase(Path file, Throwable cause) {
    return new StorageException(
        Reason.NOT_A_DATABASE,
        "File "
            + file
            + " is not a SQLite database; point jobkit at a new or existing"
            + " jobkit database file",
        cause);
  }

  static StorageException directoryMissing(Path file, Throwable cause) {
    return new StorageException(
        Reason.DIRECTORY_MISSING,
        "Directory of job database "
            + file
            + " does not exist; create "
            + file.toAbsolutePath().getParent()
            + " first",
        cause);
  }

  private static SQLException findSqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }

  private static int primaryCode(SQLException e) {
    if (e == null) {
      return -1;
    }
    if (e instanceof SQLiteException) {
      return ((SQLiteException) e).getResultCode().code & 0xff;
    }
    return e.getErrorCode() & 0xff;
  }

  private static String messageOf(Throwable e) {
    SQLException sql = findSqlException(e);
    return String.valueOf(sql != null ? sql.getMessage() : e.getMessage());
  }
}
