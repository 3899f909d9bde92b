package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresEngineSmokeTest {
  @TempDir Path dir;

  @AfterAll
  static void drop() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void runsAJobOnPostgres() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    try (JobManager jobs = db.builder().dataDirectory(dir).open()) {
      var h = jobs.dispatch(new GreetJob("pg"));
      assertEquals("hello pg", h.result().get(20, TimeUnit.SECONDS));
    }
  }
}
