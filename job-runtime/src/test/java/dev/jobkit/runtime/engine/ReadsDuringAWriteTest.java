package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under WAL, readers never wait for a writer: while another program holds the SQLite file's write
 * lock (a transaction of a busy worker, say), a manager without workers, as {@code jobkit status}
 * and {@code jobkit list} open one, opens and answers at once, well within the busy timeout (5 s).
 */
class ReadsDuringAWriteTest {
  @TempDir Path dir;

  @Test
  void aManagerWithoutWorkersOpensAndReadsWhileAnotherProgramHoldsTheWriteLock() throws Exception {
    Path file = dir.resolve("jobs.db");
    String id;
    try (JobManager m = JobManager.builder().database(file).noWorkers().open()) {
      id = m.dispatch(new GreetJob("ann")).id();
    }
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      s.execute("UPDATE jobkit_jobs SET priority = priority"); // a write in flight
      assertTimeoutPreemptively(
          Duration.ofSeconds(2),
          () -> {
            try (JobManager m = JobManager.builder().database(file).noWorkers().open()) {
              assertEquals(JobState.QUEUED, m.job(id).orElseThrow().state());
              assertEquals(1, m.list(JobQuery.all()).jobs().size());
              assertEquals(1L, m.stats().count(JobState.QUEUED));
              assertTrue(m.health() != null);
            }
          },
          "reads waited for the other program's write transaction");
      s.execute("ROLLBACK");
    }
  }
}
