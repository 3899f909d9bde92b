package dev.jobkit.runtime.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash tests with real child JVMs ({@link ChildMain}) killed with SIGKILL ({@code
 * Process.destroyForcibly()} on Linux), then the database reopened in this JVM.
 */
@Timeout(120)
class CrashTest {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final long LEASE_MS = 2_000;

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

  private JobManager manager(String queue, int workers) {
    JobManager m =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .workers(queue, workers)
            .pollInterval(Duration.ofMillis(50))
            .leaseDuration(Duration.ofMillis(LEASE_MS))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    resources.add(0, m);
    return m;
  }

  private static void pollUntil(String what, Duration timeout, Callable<Boolean> condition) {
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  private static List<String[]> fields(List<String> lines) {
    return lines.stream().map(l -> l.split(" ")).collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ (a) resume from checkpoint

  @Test
  void killedMidJob_resumesFromLastCheckpoint_withCorrectOutput() throws Exception {
    Path db = dir.resolve("jobs.db");
    Path journal = dir.resolve("items.journal");
    Path hold = dir.resolve("hold");
    Files.createFile(hold); // the first run can never pass item 12, so it cannot finish on its own
    ChildJvm c =
        child(
            "items",
            "items",
            db.toString(),
            journal.toString(),
            hold.toString(),
            Long.toString(LEASE_MS));
    String id = c.awaitLine(l -> l.startsWith("ID "), STARTUP).substring(3);
    long childPid = c.pid();
    pollUntil(
        "item 5 checkpointed in the child",
        Duration.ofSeconds(60),
        () ->
            Journal.read(journal).stream()
                .anyMatch(l -> l.startsWith("CKPT ") && Integer.parseInt(l.split(" ")[2]) >= 5));
    c.kill();

    List<String[]> first = fields(Journal.read(journal));
    assertEquals(
        List.of("START", Long.toString(childPid), "0", "false"),
        List.of(first.get(0)),
        "first run");
    int lastCkpt = -1;
    int lastDone = -1;
    List<Integer> doneByChild = new ArrayList<>();
    for (String[] f : first.subList(1, first.size())) {
      assertEquals(Long.toString(childPid), f[1], "only the child ran so far");
      int item = Integer.parseInt(f[2]);
      if (f[0].equals("DONE")) {
        doneByChild.add(item);
        lastDone = item;
      } else {
        assertEquals("CKPT", f[0]);
        lastCkpt = item;
      }
    }
    assertEquals(IntStream.rangeClosed(0, lastDone).boxed().toList(), doneByChild);
    assertTrue(
        lastCkpt >= 5 && lastCkpt < 12 && lastDone <= lastCkpt + 1,
        "killed mid-way: lastCkpt=" + lastCkpt + " lastDone=" + lastDone);

    Files.delete(hold);
    int killedAt = first.size();
    JobManager m = manager("default", 1);
    pollUntil(
        "job " + id + " completed after reopening",
        Duration.ofSeconds(60),
        () -> m.job(id).map(i -> i.state() == JobState.COMPLETED).orElse(false));
    JobInfo info = m.job(id).orElseThrow();

    List<String[]> second =
        fields(Journal.read(journal)).subList(killedAt, Journal.read(journal).size());
    String me = Long.toString(ProcessHandle.current().pid());
    String[] start = second.get(0);
    assertEquals("START", start[0], "the resumed run starts");
    assertEquals(me, start[1], "resumed in this JVM");
    assertEquals("true", start[3], "ctx.isResumed() on the second run");
    int resumedAt = Integer.parseInt(start[2]);
    // The checkpoint of item lastDone may have committed just before the kill, before its CKPT
    // line.
    assertTrue(
        resumedAt == lastCkpt + 1 || resumedAt == lastDone + 1,
        "resumed at " + resumedAt + " after lastCkpt=" + lastCkpt + " lastDone=" + lastDone);
    List<Integer> doneBySecond = new ArrayList<>();
    for (String[] f : second.subList(1, second.size())) {
      assertEquals(me, f[1]);
      if (f[0].equals("DONE")) {
        doneBySecond.add(Integer.parseInt(f[2]));
      }
    }
    assertEquals(
        IntStream.range(resumedAt, 20).boxed().toList(),
        doneBySecond,
        "the second run did exactly the items after the checkpoint");
    assertEquals(
        Optional.of("\"sum=190 processed=20 start=" + resumedAt + " resumed=true\""),
        info.outputJson(),
        "output from the restored state");
    System.out.println(
        "[crash] items: killed after checkpoint of item "
            + lastCkpt
            + " (last done "
            + lastDone
            + "), resumed at item "
            + resumedAt
            + ", attempts "
            + info.attempts());
  }

  @Test
  void killedMidJob_aNewWorkerOnThisHostRecoversItAtOnce_notAfterTheLease() throws Exception {
    Path db = dir.resolve("jobs.db");
    Path journal = dir.resolve("items.journal");
    Path hold = dir.resolve("hold");
    Files.createFile(hold);
    long longLease = 120_000; // the kill leaves a lease that would hold the job for two minutes
    ChildJvm c =
        child(
            "items",
            "items",
            db.toString(),
            journal.toString(),
            hold.toString(),
            Long.toString(longLease));
    String id = c.awaitLine(l -> l.startsWith("ID "), STARTUP).substring(3);
    pollUntil(
        "item 3 checkpointed in the child",
        Duration.ofSeconds(60),
        () ->
            Journal.read(journal).stream()
                .anyMatch(l -> l.startsWith("CKPT ") && Integer.parseInt(l.split(" ")[2]) >= 3));
    c.kill();
    Files.delete(hold);
    long reopened = System.nanoTime();
    JobManager m =
        JobManager.builder()
            .database(db)
            .workers("default", 1)
            .leaseDuration(Duration.ofMillis(longLease))
            .open();
    resources.add(0, m);
    pollUntil(
        "job " + id + " completed well within its old lease",
        Duration.ofSeconds(30),
        () -> m.job(id).map(i -> i.state() == JobState.COMPLETED).orElse(false));
    long tookMs = Duration.ofNanos(System.nanoTime() - reopened).toMillis();
    assertTrue(tookMs < longLease / 4, "recovered after " + tookMs + " ms");
    assertTrue(
        m.events(id).stream().anyMatch(e -> e.detail().orElse("").contains("gone")),
        "recovered as a dead owner's job: " + m.events(id));
    System.out.println(
        "[crash] dead local owner recovered and job completed "
            + tookMs
            + " ms after reopening (its lease had "
            + longLease
            + " ms left)");
  }

  // ------------------------------------------------------------------ (b) dispatch storm

  @Test
  void killedDuringDispatchStorm_everyReturnedDispatchIsStored() throws Exception {
    Path db = dir.resolve("jobs.db");
    ChildJvm c = child("storm", "storm", db.toString(), "2");
    c.awaitLine("READY"::equals, STARTUP);
    Map<String, Integer> printed = new LinkedHashMap<>();
    while (printed.size() < 500) {
      String line = c.awaitLine(l -> true, Duration.ofSeconds(60));
      record(printed, line);
    }
    c.kill();
    int atKill = printed.size();
    String line;
    while ((line = c.nextLine(Duration.ofSeconds(10))) != null) {
      record(printed, line);
    }

    JobManager m = manager(ChildMain.UNUSED_QUEUE, 1);
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Integer> e : printed.entrySet()) {
      Optional<JobInfo> info = m.job(e.getKey());
      if (info.isEmpty()) {
        missing.add(e.getKey() + " (seq " + e.getValue() + ")");
      } else {
        assertEquals("crash.noop", info.get().name());
        assertEquals(JobState.QUEUED, info.get().state());
      }
    }
    assertEquals(List.of(), missing, printed.size() + " printed (" + atKill + " when killed)");
    System.out.println(
        "[crash] storm: "
            + printed.size()
            + " dispatches returned and printed ("
            + atKill
            + " read when killed), all stored");
    assertEquals(
        printed.size(), new HashSet<>(printed.values()).size(), "distinct sequence numbers");
    // The database still works after the crash.
    JobHandle<Integer> h =
        m.dispatch(
            new NoopJob(-1), DispatchOptions.builder().queue(ChildMain.UNUSED_QUEUE).build());
    assertEquals(-1, h.result().get(30, java.util.concurrent.TimeUnit.SECONDS));
  }

  private static void record(Map<String, Integer> printed, String line) {
    String[] f = line.split(" ");
    // A line cut by the kill has no END; only complete lines count as a returned dispatch.
    if (f.length == 4 && f[0].equals("ID") && f[3].equals("END")) {
      assertTrue(printed.put(f[2], Integer.parseInt(f[1])) == null, "duplicate id " + f[2]);
    }
  }

  // ------------------------------------------------------------------ (c) two processes, one file

  @Test
  void twoProcessesOnOneFile_everyJobRunsExactlyOnce() throws Exception {
    Path journal = dir.resolve("runs.journal");
    ChildJvm a = child("worker-a", "worker", dir.resolve("jobs.db").toString(), "5000", "2");
    ChildJvm b = child("worker-b", "worker", dir.resolve("jobs.db").toString(), "5000", "2");
    a.awaitLine("READY"::equals, STARTUP);
    b.awaitLine("READY"::equals, STARTUP);
    JobManager m = manager(ChildMain.UNUSED_QUEUE, 1);
    List<String> ids = dispatchJournalJobs(m, journal, 200, 10, seq -> false);
    awaitAllCompleted(m, ids);
    assertEquals(0, a.stopGracefully(Duration.ofSeconds(30)), a.diagnostics());
    assertEquals(0, b.stopGracefully(Duration.ofSeconds(30)), b.diagnostics());

    List<String> lines = Journal.read(journal);
    Map<Integer, Integer> completions = checkNoOverlap(lines, 200, Set.of(a.pid(), b.pid()), -1, 0);
    assertTrue(completions.values().stream().allMatch(n -> n == 1), "exactly once: " + completions);
    assertEquals(400, lines.size(), "one start and one end per job, no rerun");
    Set<String> pids = fields(lines).stream().map(f -> f[2]).collect(Collectors.toSet());
    assertEquals(
        Set.of(Long.toString(a.pid()), Long.toString(b.pid())), pids, "both processes worked");
  }

  @Test
  void twoProcessesOnOneFile_oneKilled_theOtherFinishesWithoutOverlap() throws Exception {
    Path journal = dir.resolve("runs.journal");
    String lease = "3000"; // renewed every 50 ms; generous so a loaded machine cannot lapse it
    ChildJvm a = child("worker-a", "worker", dir.resolve("jobs.db").toString(), lease, "2");
    ChildJvm b = child("worker-b", "worker", dir.resolve("jobs.db").toString(), lease, "2");
    a.awaitLine("READY"::equals, STARTUP);
    b.awaitLine("READY"::equals, STARTUP);
    JobManager m = manager(ChildMain.UNUSED_QUEUE, 1);
    // Every 40th job works for 1 s, so the victim can be caught in the middle of one.
    List<String> ids = dispatchJournalJobs(m, journal, 200, 30, seq -> seq % 40 == 10);
    String aPid = Long.toString(a.pid());
    boolean[] midLongRun = new boolean[1];
    pollUntil(
        "the victim in the middle of a long job",
        Duration.ofSeconds(60),
        () -> {
          Map<Integer, Long> open = openRuns(Journal.read(journal));
          midLongRun[0] =
              open.entrySet().stream()
                  .anyMatch(e -> e.getKey() % 40 == 10 && e.getValue() == a.pid());
          // Fallback in case the victim claimed no long job: any run of its in progress, late.
          return midLongRun[0]
              || Journal.read(journal).stream().filter(l -> l.startsWith("E ")).count() >= 150
                  && open.containsValue(a.pid());
        });
    a.kill();
    int killIndex = Journal.read(journal).size();
    awaitAllCompleted(m, ids);
    assertEquals(0, b.stopGracefully(Duration.ofSeconds(30)), b.diagnostics());

    List<String> lines = Journal.read(journal);
    Map<Integer, Integer> completions =
        checkNoOverlap(lines, 200, Set.of(a.pid(), b.pid()), a.pid(), killIndex);
    long reruns = completions.values().stream().filter(n -> n > 1).count();
    long starts = lines.stream().filter(l -> l.startsWith("S ")).count();
    if (midLongRun[0]) {
      assertTrue(starts - 200 - reruns >= 1, "the long run cut by the kill was redone");
    }
    assertTrue(
        completions.values().stream().allMatch(n -> n <= 2), "at most one rerun: " + completions);
    System.out.println(
        "[crash] kill of "
            + a.pid()
            + " at journal line "
            + killIndex
            + " of "
            + lines.size()
            + "; runs cut by the kill and redone by the survivor: "
            + (starts - 200 - reruns)
            + "; jobs whose end was journaled twice: "
            + reruns);
  }

  private static Map<Integer, Long> openRuns(List<String> lines) {
    Map<Integer, Long> open = new HashMap<>();
    for (String[] f : fields(lines)) {
      if (f[0].equals("S")) {
        open.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
      } else {
        open.remove(Integer.parseInt(f[1]));
      }
    }
    return open;
  }

  private List<String> dispatchJournalJobs(
      JobManager m, Path journal, int n, long workMs, java.util.function.IntPredicate longJob) {
    List<String> ids = new ArrayList<>();
    for (int seq = 0; seq < n; seq++) {
      ids.add(
          m.dispatch(
                  new JournalJob(seq, journal, longJob.test(seq) ? 1000 : workMs),
                  DispatchOptions.builder().queue("default").build())
              .id());
    }
    return ids;
  }

  private static void awaitAllCompleted(JobManager m, List<String> ids) {
    Set<String> left = new HashSet<>(ids);
    pollUntil(
        "all jobs completed",
        Duration.ofSeconds(90),
        () -> {
          left.removeIf(
              id -> {
                JobInfo i = m.job(id).orElseThrow();
                if (i.state().isTerminal() && i.state() != JobState.COMPLETED) {
                  fail("job " + id + " ended " + i.state() + ": " + i.error());
                }
                return i.state() == JobState.COMPLETED;
              });
          return left.isEmpty();
        });
  }

  /**
   * Replays the journal (a global order of events) and fails if a job started while another run of
   * it was still going, except a run in the killed process whose restart came after the kill.
   * Returns the number of journaled ends per job.
   */
  private static Map<Integer, Integer> checkNoOverlap(
      List<String> lines, int jobs, Set<Long> pids, long killed, int killIndex) {
    Map<Integer, Long> open = new HashMap<>();
    Map<Integer, Integer> ends = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(" ");
      int seq = Integer.parseInt(f[1]);
      long pid = Long.parseLong(f[2]);
      String where = "journal line " + (i + 1) + " '" + lines.get(i) + "'";
      assertTrue(pids.contains(pid), where);
      if (pid == killed) {
        assertTrue(i < killIndex, "the killed process wrote after its death: " + where);
      }
      Long running = open.get(seq);
      if (f[0].equals("S")) {
        if (running != null) {
          assertEquals(killed, (long) running, "job " + seq + " started while running: " + where);
          assertTrue(i >= killIndex, "job " + seq + " restarted before its process died: " + where);
        }
        open.put(seq, pid);
      } else {
        assertEquals("E", f[0], where);
        assertEquals(Long.valueOf(pid), running, "end without its start: " + where);
        open.remove(seq);
        ends.merge(seq, 1, Integer::sum);
      }
    }
    open.forEach((seq, pid) -> assertEquals(killed, (long) pid, "job " + seq + " never ended"));
    assertEquals(
        IntStream.range(0, jobs).boxed().collect(Collectors.toSet()),
        ends.keySet(),
        "every job ended");
    return ends;
  }

  // ------------------------------------------------------------------ a job that crashes its JVM

  @Test
  void aJobThatKillsItsProcessEveryTimeFailsAfterMaxAttempts_notRequeuedForever() throws Exception {
    Path db = dir.resolve("jobs.db");
    Path journal = dir.resolve("journal");
    String id;
    try (JobManager client = JobManager.builder().database(db).noWorkers().open()) {
      // A job that outlives each worker: every attempt ends with its process killed.
      id =
          client
              .dispatch(
                  new JournalJob(1, journal, 600_000),
                  DispatchOptions.builder().maxAttempts(3).build())
              .id();
    }
    for (int attempt = 1; attempt <= 3; attempt++) {
      ChildJvm w = child("worker-" + attempt, "worker", db.toString(), "60000", "1");
      int starts = attempt;
      pollUntil(
          "attempt " + attempt + " started in " + w.name(),
          STARTUP,
          () -> Journal.read(journal).stream().filter(l -> l.startsWith("S ")).count() == starts);
      w.kill();
    }
    // A worker on this host recovers the dead process's job at once: its attempts are used up.
    JobManager m = manager("default", 1);
    pollUntil(
        "job " + id + " failed",
        Duration.ofSeconds(30),
        () -> m.job(id).map(i -> i.state() == JobState.FAILED).orElse(false));
    JobInfo info = m.job(id).orElseThrow();
    assertEquals(Optional.of("the process running it died 3 times"), info.error());
    assertEquals(3, info.attempts());
    assertTrue(info.finishedAt().isPresent());
    assertEquals(
        3,
        Journal.read(journal).stream().filter(l -> l.startsWith("S ")).count(),
        "no fourth attempt");
  }
}
