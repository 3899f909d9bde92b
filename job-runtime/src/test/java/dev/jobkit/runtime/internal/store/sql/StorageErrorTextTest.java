package dev.jobkit.runtime.internal.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.internal.store.StorageException;
import dev.jobkit.runtime.internal.store.StorageException.Reason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Storage errors never carry SQL or bound values: not in their message, and not anywhere in the
 * stack trace that a log at DEBUG prints (jOOQ's messages start with the SQL, pgjdbc's batch
 * failures quote every statement with its values).
 */
class StorageErrorTextTest {
  private static final String SQL =
      "insert into jobkit_job_logs (job_id, message) values ('01J', 'password=hunter2')";

  private static String everything(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static void assertNoSql(StorageException e) {
    String all = everything(e);
    assertFalse(all.contains("hunter2") || all.contains("insert into"), all);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void postgresBatchFailureIsToldByTheServersPrimaryMessageOnly() {
    PSQLException server =
        new PSQLException(
            new ServerErrorMessage(
                "SERROR\0C23505\0Mduplicate key value violates unique constraint \"k\"\0"
                    + "DKey (message)=(password=hunter2) already exists.\0"));
    BatchUpdateException batch =
        new BatchUpdateException(
            "Batch entry 0 " + SQL + " was aborted: ERROR: duplicate key", "23505", 0, null);
    batch.setNextException(server);
    StorageException e =
        PostgresErrors.translate(
            "jdbc:postgresql://db/jobs", new DataAccessException("SQL [" + SQL + "]; x", batch));
    assertNoSql(e);
    assertTrue(
        e.getMessage().contains("duplicate key value violates unique constraint"), e.getMessage());
  }

  @Test
  void postgresTerminatedSessionIsUnreachable() {
    PSQLException terminated =
        new PSQLException(
            new ServerErrorMessage(
                "SFATAL\0C57P01\0Mterminating connection due to administrator command\0"));
    StorageException e =
        PostgresErrors.translate(
            "jdbc:postgresql://db/jobs",
            new DataAccessException("SQL [" + SQL + "]; x", terminated));
    assertEquals(Reason.UNREACHABLE, e.reason());
    assertNoSql(e);
  }

  @Test
  void sqliteFailureKeepsItsCodeAndLosesTheSql() {
    SQLiteException full =
        new SQLiteException(
            "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)",
            SQLiteErrorCode.SQLITE_FULL);
    StorageException e =
        SqliteErrors.translate(
            Path.of("/data/jobs.db"), new DataAccessException("SQL [" + SQL + "]; x", full));
    assertEquals(Reason.DISK_FULL, e.reason());
    assertTrue(e.getMessage().contains("the disk holding /data is full"), e.getMessage());
    assertNoSql(e);
  }
}
