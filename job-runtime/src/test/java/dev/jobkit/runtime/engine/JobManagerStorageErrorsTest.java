package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobStorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
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

  @Test
  void readOnlyDirectory() throws Exception {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Path existing = ro.resolve("existing.db");
    JobManager.open(existing).close();
    Path missing = ro.resolve("jobs.db");
    makeReadOnly(ro);
    try {
      JobStorageException create =
          assertThrows(JobStorageException.class, () -> JobManager.open(missing));
      assertEquals(JobStorageException.Kind.READ_ONLY, create.kind());
      assertEquals(
          "Cannot create job database "
              + missing
              + ": the directory "
              + ro
              + " is read-only; make it writable or choose another path",
          create.getMessage());
      assertFalse(Files.exists(missing));

      // SQLite creates its -wal and -shm files next to an existing database too.
      JobStorageException open =
          assertThrows(JobStorageException.class, () -> JobManager.open(existing));
      assertEquals(JobStorageException.Kind.READ_ONLY, open.kind());
      assertTrue(
          open.getMessage().startsWith("Cannot open job database " + existing + ": the directory "),
          open.getMessage());
      assertTrue(open.getMessage().contains("is read-only"), open.getMessage());
      assertFalse(open.getMessage().contains("\n"), "one line: " + open.getMessage());
    } finally {
      undoReadOnly(ro);
    }
  }

  /**
   * Makes {@code d} refuse new files: by its permissions, or, for root (whom permissions do not
   * stop), with {@code chattr +i}. Skips the test when neither works here.
   */
  private static void makeReadOnly(Path d) throws Exception {
    d.toFile().setWritable(false, false);
    if (refusesNewFiles(d)) {
      return;
    }
    int chattr;
    try {
      Process p =
          new ProcessBuilder("chattr", "+i", d.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      chattr = p.waitFor();
    } catch (java.io.IOException e) {
      chattr = -1;
    }
    Assumptions.assumeTrue(
        chattr == 0 && refusesNewFiles(d),
        "cannot make a directory read-only here: running as root, and 'chattr +i' is not"
            + " available or not supported by the file system of "
            + d);
  }

  private static boolean refusesNewFiles(Path d) {
    try {
      Files.delete(Files.createFile(d.resolve("probe")));
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private static void undoReadOnly(Path d) throws Exception {
    try {
      new ProcessBuilder("chattr", "-i", d.toString()).redirectErrorStream(true).start().waitFor();
    } catch (java.io.IOException e) {
      // no chattr: only the permissions were changed
    }
    d.toFile().setWritable(true, true);
  }
}
