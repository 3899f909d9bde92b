package dev.jobkit.runtime.internal.store.sql;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.jooq.exception.DataAccessException;

/**
 * Strips SQL text and bound values from a failure before it becomes the cause of a {@link
 * dev.jobkit.runtime.internal.store.StorageException}. jOOQ's exceptions start their message with
 * the SQL (with values inlined for batches of queries) and pgjdbc's batch failures quote each
 * statement with its parameters, which come from job parameters and job logs; a cause is printed
 * with every stack trace, so none of it may reach one.
 */
final class SqlCauses {
  private SqlCauses() {}

  /**
   * A stand-in for {@code e}: an {@link SQLException} with {@code message}, the SQLSTATE and vendor
   * code of the first {@link SQLException} in {@code e}'s causes, {@code e}'s stack trace, and as
   * its own cause the first cause beyond that is neither an SQL nor a jOOQ exception (a {@code
   * ConnectException}, say). {@code e} itself when it holds no {@link SQLException} and is not a
   * jOOQ exception.
   */
  static Throwable clean(Throwable e, String message) {
    SQLException sql = find(e);
    if (sql == null && !(e instanceof DataAccessException)) {
      return e;
    }
    SQLException clean =
        sql == null
            ? new SQLException(message)
            : new SQLException(message, sql.getSQLState(), sql.getErrorCode());
    clean.setStackTrace(e.getStackTrace());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (!(t instanceof SQLException) && !(t instanceof DataAccessException)) {
        clean.initCause(t);
        break;
      }
    }
    return clean;
  }

  /**
   * The first {@link SQLException} in {@code e}'s causes; for a batch failure, the statement's own
   * error behind it (pgjdbc's batch message quotes the statement with its values).
   */
  static SQLException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BatchUpdateException b && b.getNextException() != null) {
        return b.getNextException();
      }
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * The first line of the driver's message of the first {@link SQLException} in {@code e}'s causes,
   * or, without one, of {@code e}'s message less a leading {@code SQL [...]; } (jOOQ's), never a
   * batch failure's statement list.
   */
  static String firstLine(Throwable e) {
    SQLException sql = find(e);
    String m;
    if (sql instanceof BatchUpdateException) {
      m = "a batch statement failed (SQLSTATE " + sql.getSQLState() + ")";
    } else if (sql != null) {
      m = String.valueOf(sql.getMessage());
    } else {
      m = String.valueOf(e.getMessage());
      if (m.startsWith("SQL [")) {
        int end = m.indexOf("]; ");
        m = end < 0 ? e.getClass().getSimpleName() : m.substring(end + 3);
      }
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
