package dev.jobkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The feed's tail and ids that become visible out of order: PostgreSQL sequence ids are taken at
 * insert and become visible at commit, so a lower id can appear after a higher one was read.
 */
class JobFeedHolesTest {

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void aRowCommittedAfterAHigherOneIsDeliveredAndResumingNeverSkipsIt() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    try (JobManager jobs = db.builder().noWorkers().open();
        Connection first = connect(db);
        Connection second = connect(db)) {
      String job = jobs.dispatchByName("test.greet", "{\"name\": \"x\"}").id();
      JobFeed.Tail tail = jobs.feed().tail(jobs.feed().head(), Duration.ofMinutes(1));

      long low = insertEvent(first, job, "first"); // takes the lower id, commits last
      long high = insertEvent(second, job, "second");
      assertTrue(low < high);
      second.commit();

      JobFeed.Batch b1 = tail.poll(100);
      assertEquals(List.of("second"), details(b1));
      assertTrue(b1.resumeFrom().eventId() < low, "the low-water mark stays below the hole: " + b1);

      first.commit();
      JobFeed.Batch b2 = tail.poll(100);
      assertEquals(List.of("first"), details(b2), "the late row is not skipped");
      assertEquals(high, b2.resumeFrom().eventId());
      assertEquals(List.of(), details(tail.poll(100)), "each id once");

      // A tail started where the first batch said to resume sees both (a repeat, never a gap).
      JobFeed.Tail resumed = jobs.feed().tail(b1.resumeFrom());
      assertEquals(List.of("first", "second"), details(resumed.poll(100)));
    }
  }

  @Test
  void anIdThatNeverCommitsIsGivenUpAfterTheGrace() throws Exception {
    TestDatabase db = TestDatabase.postgres();
    try (JobManager jobs = db.builder().noWorkers().open();
        Connection first = connect(db);
        Connection second = connect(db)) {
      String job = jobs.dispatchByName("test.greet", "{\"name\": \"x\"}").id();
      JobFeed.Tail tail = jobs.feed().tail(jobs.feed().head(), Duration.ZERO);
      insertEvent(first, job, "rolled back");
      long high = insertEvent(second, job, "kept");
      second.commit();
      first.rollback();

      assertEquals(List.of("kept"), details(tail.poll(100)));
      JobFeed.Batch after = tail.poll(100);
      assertEquals(List.of(), details(after));
      assertEquals(high, after.resumeFrom().eventId(), "the hole was given up");
    }
  }

  @Test
  void holesAreRememberedForTheGraceThenGivenUpAndBounded() {
    AtomicLong nanos = new AtomicLong();
    JobFeed.Ids ids = new JobFeed.Ids(10, Duration.ofSeconds(10).toNanos(), nanos::get);
    assertEquals(List.of(11L, 14L), ids.accept(List.of(11L, 14L), Long::longValue));
    assertEquals(11, ids.low());
    assertEquals(List.of(12L, 13L), List.copyOf(ids.holesToAsk()));
    assertEquals(List.of(13L), ids.accept(List.of(13L, 14L), Long::longValue), "14 not again");
    assertEquals(11, ids.low());
    nanos.addAndGet(Duration.ofSeconds(11).toNanos());
    assertEquals(List.of(), List.copyOf(ids.holesToAsk()));
    assertEquals(14, ids.low());
    assertEquals(List.of(), ids.accept(List.of(12L), Long::longValue), "given up means given up");

    List<Long> far = new ArrayList<>(List.of(14L + JobFeed.Ids.MAX_HOLES * 3L));
    ids.accept(far, Long::longValue);
    assertEquals(JobFeed.Ids.HOLES_PER_POLL, ids.holesToAsk().size());
    assertEquals(far.get(0) - JobFeed.Ids.MAX_HOLES - 1, ids.low(), "at most MAX_HOLES kept");
  }

  private static Connection connect(TestDatabase db) throws SQLException {
    Connection c =
        DriverManager.getConnection(
            db.location(), EmbeddedPostgresSupport.user(), EmbeddedPostgresSupport.password());
    c.setAutoCommit(false);
    return c;
  }

  private static long insertEvent(Connection c, String job, String detail) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO jobkit_job_events (job_id, at, type, detail, actor)"
                + " VALUES (?, 0, 'CANCEL_REQUESTED', ?, 'test') RETURNING id")) {
      ps.setString(1, job);
      ps.setString(2, detail);
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static List<String> details(JobFeed.Batch b) {
    return b.events().stream().map(e -> e.detail().orElse("")).toList();
  }
}
