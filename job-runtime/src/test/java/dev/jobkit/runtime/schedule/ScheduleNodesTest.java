package dev.jobkit.runtime.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.testing.ChildJvm;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules fire every slot exactly once with processes that really die (#12): a per-second
 * schedule declared in code by every node, fired without a leader. On PostgreSQL three node JVMs
 * run for a minute and one is killed with SIGKILL half-way; on SQLite the one process is killed and
 * started again. Afterwards the history must hold every slot from the first to the last exactly
 * once, each with its own job.
 */
class ScheduleNodesTest {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private ChildJvm node(String name, String... args) throws Exception {
    ChildJvm n = ChildJvm.start(dir, name, ScheduleNodeMain.class, List.of(), args);
    resources.add(0, n);
    n.awaitLine(l -> l.startsWith("READY "), STARTUP);
    return n;
  }

  @Test
  void threePostgresNodesOneKilledFireEverySlotOfAMinuteExactlyOnce() throws Exception {
    String url = EmbeddedPostgresSupport.freshDatabase();
    String user = EmbeddedPostgresSupport.user();
    String password = EmbeddedPostgresSupport.password();
    String[] args = {"postgres", url, user == null ? "-" : user, password == null ? "-" : password};
    List<ChildJvm> nodes = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      nodes.add(node(name, args));
    }
    JobManager client = JobManager.builder().postgres(url, user, password).noWorkers().open();
    resources.add(0, client);
    awaitFired(client, 30, Duration.ofSeconds(60));
    nodes.get(0).kill();
    awaitFired(client, 60, Duration.ofSeconds(60));
    client.schedules().pause(ScheduleNodeMain.SCHEDULE, "test over", null);
    for (ChildJvm n : nodes.subList(1, 3)) {
      assertEquals(0, n.stopGracefully(Duration.ofSeconds(20)), n.diagnostics());
    }
    assertEverySlotOnce(client, 50);
  }

  @Test
  void aSqliteProcessKilledAndStartedAgainFiresEverySlotExactlyOnce() throws Exception {
    String file = dir.resolve("jobs.db").toString();
    ChildJvm first = node("first", "sqlite", file);
    try (JobManager client = JobManager.builder().database(Path.of(file)).noWorkers().open()) {
      awaitFired(client, 5, Duration.ofSeconds(30));
      first.kill();
      // Three slots pass with nothing running to fire them.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  client
                      .schedules()
                      .get(ScheduleNodeMain.SCHEDULE)
                      .orElseThrow()
                      .nextFire()
                      .orElseThrow()
                      .isBefore(Instant.now().minusSeconds(3)));
      int before = fired(client);
      ChildJvm second = node("second", "sqlite", file);
      awaitFired(client, before + 8, Duration.ofSeconds(30));
      client.schedules().pause(ScheduleNodeMain.SCHEDULE, "test over", null);
      assertEquals(0, second.stopGracefully(Duration.ofSeconds(20)), second.diagnostics());
      assertEverySlotOnce(client, 12);
    }
  }

  /** Every slot from the first to the last fired once, with one job each, and no gap. */
  private static void assertEverySlotOnce(JobManager client, int atLeast) {
    List<ScheduleFire> history =
        client.schedules().history(ScheduleNodeMain.SCHEDULE, 1000).orElseThrow();
    TreeMap<Instant, String> jobOfSlot = new TreeMap<>();
    for (ScheduleFire f : history) {
      if (f.outcome() == ScheduleFire.Outcome.FIRED) {
        String before = jobOfSlot.put(f.slot(), f.jobId().orElseThrow());
        assertEquals(null, before, "slot " + f.slot() + " fired twice: " + history);
      } else {
        throw new AssertionError("unexpected history row " + f + " in " + history);
      }
    }
    assertTrue(jobOfSlot.size() >= atLeast, jobOfSlot.size() + " slots fired: " + history);
    Instant prev = null;
    for (Instant slot : jobOfSlot.keySet()) {
      if (prev != null) {
        assertEquals(
            Duration.ofSeconds(1), Duration.between(prev, slot), "a slot was lost after " + prev);
      }
      prev = slot;
    }
    TreeSet<String> jobs = new TreeSet<>(jobOfSlot.values());
    assertEquals(jobOfSlot.size(), jobs.size(), "each slot has its own job");
    int stored =
        client.list(JobQuery.builder().tag(ScheduleNodeMain.TAG).limit(1000).build()).jobs().size();
    assertEquals(jobOfSlot.size(), stored, "one stored job per fired slot");
  }

  private static int fired(JobManager client) {
    return (int)
        client.schedules().history(ScheduleNodeMain.SCHEDULE, 1000).orElse(List.of()).stream()
            .filter(f -> f.outcome() == ScheduleFire.Outcome.FIRED)
            .count();
  }

  private static void awaitFired(JobManager client, int n, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> fired(client) >= n);
  }
}
