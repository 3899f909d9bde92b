package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobStorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage failures reach users of the public API as {@link JobStorageException} with a kind. SQLite
 * only: these are failures of a database file (its directory missing, not a database); PostgreSQL's
 * own (connection refused, authentication, missing database) are in {@code PostgresOpenTest}.
 */
class JobManagerStorageErrorsTest {
  @TempDir Path dir;

  @Test
  void missingDirectory() {
    Path db = dir.resolve("nope").resolve("jobs.db");
    JobStorageException e = assertThrows(JobStorageException.class, () -> JobManager.open(db));
    assertEquals(JobStorageException.Kind.DIRECTORY_MISSING, e.kind());
    assertTrue(e.getMessage().contains(db.getParent().toString()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void notADatabase() throws Exception {
    Path db = dir.resolve("notes.txt");
    Files.writeString(db, "these are my notes, not a database\n".repeat(200));
    JobStorageException e = assertThrows(JobStorageException.class, () -> JobManager.open(db));
    assertEquals(JobStorageException.Kind.NOT_A_DATABASE, e.kind());
    assertEquals(
        "these are my notes, not a database\n".repeat(200),
        Files.readString(db),
        "the file is left as it was");
  }
}
