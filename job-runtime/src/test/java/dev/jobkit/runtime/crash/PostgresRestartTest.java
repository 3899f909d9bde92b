package dev.jobkit.runtime.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL server stopped (a fast shutdown: every connection cut) and started again on the same
 * data directory and port while a worker drains jobs. A dedicated embedded server, so the one the
 * other tests share is never stopped. {@code -Djobkit.soak.pgRestarts=N} restarts it N times (1 by
 * default, 10 with {@code -Psoak}), {@code -Djobkit.soak.pgDownMs=M} keeps it down M ms each time.
 */
@Timeout(300)
class PostgresRestartTest {
  private static final int RESTARTS = Integer.getInteger("jobkit.soak.pgRestarts", 1);
  private static final int JOBS = 60 * RESTARTS;
  private static final Duration DOWN =
      Duration.ofMillis(Long.getLong("jobkit.soak.pgDownMs", 3_000));

  @TempDir Path dir;

  private static EmbeddedPostgres start(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("fsync", "off")
        .setServerConfig("full_page_writes", "off")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void serverRestartedMidDrain_nothingLost_nothingCompletedTwice_drainResumes() throws Exception {
    Path data = dir.resolve("pgdata");
    Path journal = dir.resolve("runs.journal");
    int port = freePort();
    EmbeddedPostgres pg = start(data, port);
    try {
      String url = "jdbc:postgresql://localhost:" + port + "/postgres";
      ConcurrentLinkedQueue<Long> completedAt = new ConcurrentLinkedQueue<>();
      // job id -> journal lines when its completion was reported (after it was stored)
      Map<String, Integer> completedAtLine = new ConcurrentHashMap<>();
      try (JobManager m =
          JobManager.builder()
              .postgres(url, "postgres", null)
              .workers("default", 2)
              .pollInterval(Duration.ofMillis(50))
              .leaseDuration(Duration.ofSeconds(3))
              .open()) {
        m.subscribe(
            e -> {
              completedAt.add(System.nanoTime());
              assertEquals(
                  null,
                  completedAtLine.put(e.jobId(), Journal.read(journal).size()),
                  "completed twice: " + e.jobId());
            },
            JobEventType.COMPLETED);
        List<String> ids = new ArrayList<>();
        for (int seq = 0; seq < JOBS; seq++) {
          ids.add(
              m.dispatch(
                      new JournalJob(seq, journal, 100),
                      DispatchOptions.builder().queue("default").maxAttempts(100).build())
                  .id());
        }
        List<Long> recoveries = new ArrayList<>();
        for (int r = 1; r <= RESTARTS; r++) {
          int before = r * JOBS / (RESTARTS + 1);
          await(before + " jobs completed before stop " + r)
              .atMost(Duration.ofSeconds(90))
              .until(() -> completedAt.size() >= before);
          pg.close();
          await().pollDelay(DOWN).atMost(DOWN.plusSeconds(30)).until(() -> true);
          pg = start(data, port);
          long back = System.nanoTime();
          await("a completion after restart " + r)
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> completedAt.stream().anyMatch(t -> t > back));
          long recoveryMs =
              Duration.ofNanos(
                      completedAt.stream().filter(t -> t > back).min(Long::compare).orElseThrow()
                          - back)
                  .toMillis();
          // The claim loops retry at most 5 s apart during an outage; the rest is a loaded machine.
          assertTrue(recoveryMs < 20_000, "first completion " + recoveryMs + " ms after restart");
          recoveries.add(recoveryMs);
        }
        await("all " + JOBS + " jobs completed after the restart")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    ids.stream()
                        .allMatch(id -> m.job(id).orElseThrow().state() == JobState.COMPLETED));

        for (int seq = 0; seq < JOBS; seq++) {
          JobInfo info = m.job(ids.get(seq)).orElseThrow();
          assertEquals(java.util.Optional.of(Integer.toString(seq)), info.outputJson(), "output");
        }
        // The journal: every job ended, and none ran again once its completion was stored; a
        // rerun only for a run the stop cut (its end not stored).
        List<String> lines = Journal.read(journal);
        Map<Integer, Integer> ends = new HashMap<>();
        Map<Integer, Integer> starts = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
          String[] f = lines.get(i).split(" ");
          int seq = Integer.parseInt(f[1]);
          if (f[0].equals("S")) {
            starts.merge(seq, 1, Integer::sum);
            assertTrue(
                i < completedAtLine.get(ids.get(seq)),
                "job " + seq + " started again after its completion was stored: line " + (i + 1));
          } else {
            ends.merge(seq, 1, Integer::sum);
          }
        }
        assertEquals(JOBS, ends.size(), "every job ended: " + ends.keySet());
        long reruns = starts.values().stream().filter(n -> n > 1).count();
        assertTrue(
            reruns <= 2L * RESTARTS,
            "at most the two runs in progress at each stop redone: " + starts);
        assertEquals(JOBS, completedAtLine.size(), "one COMPLETED event per job");
        assertEquals(JOBS, completedAt.size(), "no job completed twice");
        System.out.printf(
            "[soak] postgres: %d restarts (down %d ms each) while %d jobs drained, 0 lost, none"
                + " completed twice, runs redone %d; first completion after the server was back:"
                + " %s ms (max %d, mean %.0f)%n",
            RESTARTS,
            DOWN.toMillis(),
            JOBS,
            reruns,
            recoveries,
            recoveries.stream().mapToLong(Long::longValue).max().orElseThrow(),
            recoveries.stream().mapToLong(Long::longValue).average().orElseThrow());
      }
    } finally {
      pg.close();
    }
  }
}
