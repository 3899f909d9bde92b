package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobkit.runtime.Durability;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** {@link JobManagerQueriesTest} on a SQLite file, plus what only SQLite has. */
class JobManagerQueriesSqliteTest extends JobManagerQueriesTest {
  JobManagerQueriesSqliteTest() {
    super(TestDatabase.Backend.SQLITE);
  }

  // SQLite only: Durability picks SQLite's synchronous mode and group commit; PostgreSQL commits
  // with the server's own settings and ignores it (see JobManager.Builder#durability).
  @Test
  void fullDurabilityRunsJobsAndTheirWritesSurviveReopening() throws Exception {
    String id;
    try (JobManager jobs = builder().durability(Durability.FULL).open()) {
      JobHandle<String> h = jobs.dispatch(new GreetJob("full"));
      assertEquals("hello full", await(h.result()));
      id = h.id();
    }
    JobManager again = open(builder());
    assertEquals(JobState.COMPLETED, again.job(id).orElseThrow().state());
  }
}
