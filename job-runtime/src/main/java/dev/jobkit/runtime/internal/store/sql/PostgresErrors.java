package dev.jobkit.runtime.internal.store.sql;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns PostgreSQL failures into one-line {@link StorageException}s naming the server (its URL
 * without the password) and a fix. Classified by SQLSTATE, which is stable across server versions
 * and locales, unlike message texts.
 */
final class PostgresErrors {
  /** {@code password=...} in a JDBC URL's query, and {@code user:password@} before the host. */
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&]password=)[^&]*");

  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*):[^/@]*@");

  private PostgresErrors() {}

  /** {@code url} with any password replaced by {@code ***}, safe to log and show. */
  static String withoutPassword(String url) {
    String s = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(s).replaceAll("$1:***@");
  }

  /**
   * Translates {@code original}, found anywhere in a cause chain, for the server at {@code
   * location}. Neither the message nor the cause holds SQL or bound values.
   */
  static StorageException translate(String location, Throwable original) {
    String message = messageOf(original);
    Throwable e = SqlCauses.clean(original, message);
    SQLException sql = findSqlException(e);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    // 08: connection exceptions; 57P01-57P03: the server is shutting down, was stopped under a
    // session (pg_terminate_backend, a restart) or is starting up.
    if (state.startsWith("08") || state.startsWith("57P")) {
      return unreachable(location, e, message);
    }
    switch (state) {
      case "28P01": // invalid_password
      case "28000": // invalid_authorization_specification (pg_hba.conf rejects, no such role)
        return new StorageException(
            Reason.UNREACHABLE,
            "PostgreSQL at "
                + location
                + " refused the login: "
                + message
                + "; check the user and password, and pg_hba.conf",
            e);
      case "3D000": // invalid_catalog_name
        return new StorageException(
            Reason.OTHER,
            "PostgreSQL at "
                + location
                + ": "
                + message
                + "; create the database first (CREATE DATABASE) or fix the URL",
            e);
      case "25006": // read_only_sql_transaction
        return new StorageException(
            Reason.READ_ONLY,
            "PostgreSQL at "
                + location
                + " is read-only ("
                + message
                + "); point jobkit at the primary server",
            e);
      case "55P03": // lock_not_available
      case "40P01": // deadlock_detected
        return new StorageException(
            Reason.LOCKED,
            "PostgreSQL at "
                + location
                + " could not lock job rows: "
                + message
                + "; the call may be retried",
            e);
      case "53100": // disk_full
        return new StorageException(
            Reason.DISK_FULL,
            "PostgreSQL at "
                + location
                + " has no disk space left ("
                + message
                + "); free space on the server's data disk",
            e);
      case "53300": // too_many_connections
        return new StorageException(
            Reason.OTHER,
            "PostgreSQL at "
                + location
                + " has no free connection slot ("
                + message
                + "); raise max_connections or use fewer or smaller pools",
            e);
      case "42501": // insufficient_privilege
        return new StorageException(
            Reason.OTHER,
            "PostgreSQL at "
                + location
                + ": "
                + message
                + "; grant the jobkit user rights on its schema, or migrate once as its owner",
            e);
      default:
        return new StorageException(
            Reason.OTHER, "PostgreSQL job store at " + location + " failed: " + message, e);
    }
  }

  private static StorageException unreachable(String location, Throwable e, String message) {
    String why;
    if (hasCause(e, ConnectException.class)) {
      why = "connection refused; check that the server is running and that host and port are right";
    } else if (hasCause(e, UnknownHostException.class)) {
      why = "unknown host; check the host name";
    } else if (hasCause(e, NoRouteToHostException.class)) {
      why = "no route to host; check the host and the network";
    } else if (hasCause(e, SocketTimeoutException.class)) {
      why = "timed out; check the host, port and firewall, or raise the connect timeout";
    } else {
      why = message;
    }
    return new StorageException(
        Reason.UNREACHABLE, "Cannot reach PostgreSQL at " + location + ": " + why, e);
  }

  static StorageException closed(String location) {
    return new StorageException(Reason.OTHER, "Job store on " + location + " is closed", null);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static SQLException findSqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }

  /**
   * The server's primary message without severity, detail (which quotes key values) or hint; else
   * the first line of the driver's message, never SQL or a batch's statements.
   */
  private static String messageOf(Throwable e) {
    SQLException sql = SqlCauses.find(e);
    if (sql instanceof PSQLException) {
      ServerErrorMessage server = ((PSQLException) sql).getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        return server.getMessage();
      }
    }
    return SqlCauses.firstLine(e);
  }
}
