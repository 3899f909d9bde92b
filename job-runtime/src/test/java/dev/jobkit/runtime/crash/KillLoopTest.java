package dev.jobkit.runtime.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL loops on SQLite: a worker child JVM killed again and again at random moments while it
 * runs checkpointing jobs, and a dispatching child JVM killed again and again in the middle of a
 * dispatch storm. {@code -Djobkit.soak.kills=N} sets the kills per test (5 by default, 200 with
 * {@code -Psoak}), {@code -Djobkit.soak.seed=S} the seed of the kill moments.
 */
@Timeout(value = 4, unit = TimeUnit.HOURS) // every wait below has its own, much shorter, deadline
class KillLoopTest {
  private static final int KILLS = Integer.getInteger("jobkit.soak.kills", 5);
  private static final long SEED = Long.getLong("jobkit.soak.seed", 15L);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final int ITEMS = 30;
  private static final int CHECKPOINT_EVERY = 5;
  private static final int JOBS_PER_BATCH = 4;

  @TempDir Path dir;
  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  private ChildJvm child(String name, String... args) throws Exception {
    ChildJvm c = ChildJvm.start(dir, name, ChildMain.class, List.of(), args);
    resources.add(0, c);
    return c;
  }

  private JobManager client() {
    JobManager m = JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open();
    resources.add(0, m);
    return m;
  }

  /** Waits {@code ms} without sleeping the thread in a loop of our own. */
  private static void pause(long ms) {
    await()
        .pollDelay(Duration.ofMillis(ms))
        .atMost(Duration.ofMillis(ms + 60_000))
        .until(() -> true);
  }

  private record Tracked(String id, Path journal) {}

  // ------------------------------------------------------------------ worker kill loop

  @Test
  void workerKilledAgainAndAgain_everyJobCompletes_redoingOnlyItemsSinceItsLastCheckpoint()
      throws Exception {
    Random random = new Random(SEED);
    Path db = dir.resolve("jobs.db");
    JobManager client = client();
    List<Tracked> jobs = new ArrayList<>();
    Map<Long, Integer> killedPids = new HashMap<>(); // pid -> kill number
    long started = System.nanoTime();
    while (killedPids.size() < KILLS) {
      if (jobs.stream().allMatch(t -> state(client, t.id()).isTerminal())) {
        dispatchBatch(client, jobs);
      }
      ChildJvm w = child("worker-" + killedPids.size(), "worker", db.toString(), "3000", "2");
      w.awaitLine("READY"::equals, STARTUP);
      pause(200 + random.nextInt(1300));
      w.kill();
      killedPids.put(w.pid(), killedPids.size());
      resources.remove(w);
    }
    ChildJvm last = child("worker-last", "worker", db.toString(), "3000", "2");
    last.awaitLine("READY"::equals, STARTUP);
    await("all " + jobs.size() + " jobs completed after " + KILLS + " kills")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (Tracked t : jobs) {
                JobState s = state(client, t.id());
                if (s.isTerminal() && s != JobState.COMPLETED) {
                  fail("job " + t.id() + " ended " + s + ": " + client.job(t.id()));
                }
              }
              return jobs.stream().allMatch(t -> state(client, t.id()) == JobState.COMPLETED);
            });
    assertEquals(0, last.stopGracefully(Duration.ofSeconds(30)), last.diagnostics());
    long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

    // Per kill: the items redone because of it, summed over the jobs it interrupted.
    Map<Integer, Integer> redoneByKill = new HashMap<>();
    int interruptedRuns = 0;
    for (Tracked t : jobs) {
      interruptedRuns += checkJournal(t, killedPids, last.pid(), redoneByKill);
      JobInfo info = client.job(t.id()).orElseThrow();
      String expected = "\"sum=" + ITEMS * (ITEMS - 1) / 2 + " processed=" + ITEMS + " start=";
      assertTrue(
          info.outputJson().orElse("").startsWith(expected),
          "output of " + t.id() + " from its restored state: " + info.outputJson());
    }
    int maxRedone = redoneByKill.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int sumRedone = redoneByKill.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "[soak] worker: %d kills survived in %d ms (seed %d), %d jobs of %d items completed, %d"
            + " runs cut by a kill; items redone per kill: max %d, mean %.2f (checkpoint every"
            + " %d items, 2 workers)%n",
        KILLS,
        tookMs,
        SEED,
        jobs.size(),
        ITEMS,
        interruptedRuns,
        maxRedone,
        (double) sumRedone / KILLS,
        CHECKPOINT_EVERY);
    assertTrue(maxRedone <= 2 * CHECKPOINT_EVERY, "at most one checkpoint interval per job run");
  }

  private void dispatchBatch(JobManager client, List<Tracked> jobs) {
    for (int i = 0; i < JOBS_PER_BATCH; i++) {
      Path journal = dir.resolve("items-" + jobs.size() + ".journal");
      String id =
          client
              .dispatch(
                  new ItemsJob(ITEMS, journal, 25, CHECKPOINT_EVERY),
                  DispatchOptions.builder().queue("default").maxAttempts(1_000_000).build())
              .id();
      jobs.add(new Tracked(id, journal));
    }
  }

  private static JobState state(JobManager m, String id) {
    return m.job(id).orElseThrow().state();
  }

  /**
   * Replays one job's journal: runs (from a START to the next), each but the last in a process that
   * was killed; items consecutive within a run; each run starts after the last item journaled as
   * checkpointed and no later than the first item not yet done. Adds each cut run's redone items to
   * {@code redoneByKill} and returns the number of cut runs.
   */
  private static int checkJournal(
      Tracked t, Map<Long, Integer> killedPids, long lastPid, Map<Integer, Integer> redoneByKill) {
    List<String> lines = Journal.read(t.journal());
    String where = " in " + t.journal();
    int maxDone = -1;
    int lastCkpt = -1;
    long runPid = -1;
    int expectNext = -1;
    int cutRuns = 0;
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(" ");
      long pid = Long.parseLong(f[1]);
      String line = " (line " + (i + 1) + " '" + lines.get(i) + "')" + where;
      switch (f[0]) {
        case "START" -> {
          int next = Integer.parseInt(f[2]);
          if (runPid == -1) {
            assertEquals(0, next, "the first run starts at item 0" + line);
          } else {
            assertTrue(
                killedPids.containsKey(runPid), "a new run only after its process died" + line);
            assertTrue(pid != runPid, "the next run is in another process" + line);
            assertTrue(next > lastCkpt, "no checkpoint lost: last was " + lastCkpt + line);
            assertTrue(next <= maxDone + 1, "no item skipped: last done " + maxDone + line);
            int redone = maxDone + 1 - next;
            assertTrue(redone <= CHECKPOINT_EVERY, "redid " + redone + " items" + line);
            redoneByKill.merge(killedPids.get(runPid), redone, Integer::sum);
            cutRuns++;
          }
          runPid = pid;
          expectNext = next;
        }
        case "DONE" -> {
          assertEquals(runPid, pid, "done by the running process" + line);
          assertEquals(expectNext, Integer.parseInt(f[2]), "items in order" + line);
          maxDone = Math.max(maxDone, expectNext);
          expectNext++;
        }
        case "CKPT" -> {
          assertEquals(runPid, pid, "checkpointed by the running process" + line);
          lastCkpt = Integer.parseInt(f[2]);
        }
        default -> fail("unexpected journal line" + line);
      }
    }
    assertTrue(
        runPid == lastPid || killedPids.containsKey(runPid), "the last run's process" + where);
    assertEquals(ITEMS - 1, lastCkpt, "all items checkpointed" + where);
    return cutRuns;
  }

  // ------------------------------------------------------------------ dispatch storm kill loop

  @Test
  void dispatcherKilledAgainAndAgainInAStorm_everyAcknowledgedDispatchIsStored() throws Exception {
    Random random = new Random(SEED);
    Path db = dir.resolve("jobs.db");
    Map<String, String> acknowledged = new LinkedHashMap<>(); // id -> child and sequence number
    long started = System.nanoTime();
    for (int kill = 0; kill < KILLS; kill++) {
      ChildJvm c = child("storm-" + kill, "storm", db.toString(), "2");
      c.awaitLine("READY"::equals, STARTUP);
      int target = 20 + random.nextInt(400);
      int seen = 0;
      while (seen < target) {
        if (record(acknowledged, kill, c.awaitLine(l -> true, Duration.ofSeconds(60)))) {
          seen++;
        }
      }
      c.kill();
      String line;
      while ((line = c.nextLine(Duration.ofSeconds(10))) != null) {
        record(acknowledged, kill, line);
      }
      resources.remove(c);
    }
    long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

    JobManager m = client();
    List<String> missing = new ArrayList<>();
    Set<JobState> states = new HashSet<>();
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      Optional<JobInfo> info = m.job(e.getKey());
      if (info.isEmpty()) {
        missing.add(e.getKey() + " (" + e.getValue() + ")");
      } else {
        assertEquals("crash.noop", info.get().name());
        states.add(info.get().state());
      }
    }
    System.out.printf(
        "[soak] storm: %d kills survived in %d ms (seed %d), %d dispatches acknowledged, %d"
            + " lost%n",
        KILLS, tookMs, SEED, acknowledged.size(), missing.size());
    assertEquals(List.of(), missing, acknowledged.size() + " acknowledged dispatches");
    assertEquals(Set.of(JobState.QUEUED), states, "no worker ran them, none is stuck RUNNING");
  }

  private static boolean record(Map<String, String> acknowledged, int kill, String line) {
    String[] f = line.split(" ");
    // A line cut by the kill has no END; only complete lines count as an acknowledged dispatch.
    if (f.length == 4 && f[0].equals("ID") && f[3].equals("END")) {
      assertTrue(
          acknowledged.put(f[2], "storm " + kill + " seq " + f[1]) == null, "duplicate id " + f[2]);
      return true;
    }
    return false;
  }
}
