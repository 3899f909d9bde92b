package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobStorageException;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code createIfMissing(false)} refuses a missing database on both backends and creates nothing.
 */
class CreateIfMissingTest {
  @TempDir Path dir;

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void aMissingSqliteFileIsRefusedAndNotCreated() {
    Path file = dir.resolve("absent.db");
    JobStorageException e =
        assertThrows(
            JobStorageException.class,
            () -> JobManager.builder().database(file).noWorkers().createIfMissing(false).open());
    assertEquals(JobStorageException.Kind.MISSING, e.kind());
    assertTrue(
        e.getMessage().startsWith("No job database at " + file.toAbsolutePath()), e.getMessage());
    assertFalse(Files.exists(file));
  }

  @Test
  void aPostgresSchemaWithoutTablesIsRefusedAndLeftEmpty() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    JobStorageException e =
        assertThrows(
            JobStorageException.class,
            () -> db.builder().noWorkers().createIfMissing(false).open());
    assertEquals(JobStorageException.Kind.MISSING, e.kind());
    assertTrue(e.getMessage().contains("has no jobkit tables"), e.getMessage());
    assertEquals(0, jobkitTables(db));
  }

  @Test
  void anExistingDatabaseOpensWithoutCreating() throws Exception {
    for (TestDatabase db :
        new TestDatabase[] {TestDatabase.sqlite(dir.resolve("jobs.db")), TestDatabase.postgres()}) {
      try (JobManager m = db.builder().noWorkers().open()) {
        m.dispatch(new GreetJob("x"));
      }
      try (JobManager m = db.builder().noWorkers().createIfMissing(false).open()) {
        assertEquals(1, m.stats().count(dev.jobkit.runtime.JobState.QUEUED), db.toString());
      }
    }
  }

  private static int jobkitTables(TestDatabase db) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                db.location(), EmbeddedPostgresSupport.user(), EmbeddedPostgresSupport.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'jobkit%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
