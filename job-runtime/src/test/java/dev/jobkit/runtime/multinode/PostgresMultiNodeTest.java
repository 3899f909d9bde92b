package dev.jobkit.runtime.multinode;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.JobHandler;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.multinode.RunHistory.Outcome;
import dev.jobkit.runtime.multinode.RunHistory.Run;
import dev.jobkit.runtime.multinode.RunJournal.Entry;
import dev.jobkit.runtime.testing.ChildJvm;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker processes ({@link NodeMain}: child JVMs, each a JobManager with workers on one
 * PostgreSQL database) drain jobs while one of them is cut. Every run of every job is journaled by
 * the job itself ({@link RunJournal}: one O_APPEND file, so its line order is a global order of
 * events) and checked against the database ({@link RunHistory}).
 *
 * <ul>
 *   <li>SIGKILL: 10,000 jobs (mostly short, some resumable ones of 12 checkpointed steps on their
 *       own queue); the first node that is mid-way through a resumable job after some work is
 *       killed. Every job completes exactly once as far as the database goes, no job runs on two
 *       nodes at once, and the killed node's in-flight resumable jobs continue on the survivors
 *       from their last checkpoint. On one host the survivors notice the dead pid at once.
 *   <li>SIGSTOP: the node is frozen instead, so its pid stays alive and only its stale heartbeat
 *       (or its lapsing leases) can free its jobs: no job is taken before that, all are taken after
 *       it, its resumable jobs resume elsewhere while it is frozen; after SIGCONT every write it
 *       attempts for a job taken over is refused, it registers again and works again.
 * </ul>
 *
 * <p>The nodes' logs and the journal of the last run are kept in {@code target/multinode/<test>/}.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class PostgresMultiNodeTest {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final long POLL_MS = 100; // also the heartbeat interval (lease / 3 is longer)
  private static final int STEPS = 12;
  private static final long STEP_MS = 120;
  private static final long SHORT_WORK_MS = 1;

  /** A job's stored output (a JSON string): {@link ShortJob}'s, or {@link StepsJob}'s with sum. */
  private static final Pattern OUTPUT =
      Pattern.compile(
          "\"seq=(\\d+)"
              + "(?: sum=(\\d+) start=(\\d+) resumed=(true|false))? node=(\\S+) attempt=(\\d+)\"");

  @TempDir Path dir;
  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  @AfterEach
  void cleanUp(TestInfo test) throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
    // Keep the nodes' logs and the journal for a look after a failure: target/multinode/<test>/.
    Path keep = Path.of("target", "multinode", test.getTestMethod().orElseThrow().getName());
    Files.createDirectories(keep);
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @AfterAll
  static void drop() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  // ------------------------------------------------------------------ SIGKILL

  @Test
  void threeNodes_tenThousandJobs_oneKilledMidRun_everyJobCompletesAndResumesOnTheSurvivors()
      throws Exception {
    long leaseMs = 3_000;
    int stepsJobs = 45;
    int total = 10_000;
    Cluster c = new Cluster(leaseMs);
    long t0 = System.nanoTime();
    c.dispatch(stepsJobs, total - stepsJobs, 0);
    long dispatchedMs = elapsedMs(t0);
    c.startNodes("n1", "n2", "n3");
    long startedMs = elapsedMs(t0);

    ChildJvm victim = c.awaitMidRun(100, 2);
    String victimOwner = c.owners.get(victim.name());
    List<String> survivors = c.others(victim);
    long tKill = System.currentTimeMillis();
    victim.kill();
    long killedAtMs = elapsedMs(t0);
    Cut cut = c.cut(victim); // the journal once the process is gone: all its lines are in
    long recoveredMs = c.awaitNoRunningJobsOf(victimOwner, Duration.ofSeconds(30)) - tKill;
    c.awaitAllCompleted(total, Duration.ofSeconds(80));
    long drainedMs = elapsedMs(t0);
    for (String n : survivors) {
      c.stopGracefully(c.node(n));
    }

    RunHistory h = new RunHistory(c.tail.pollAll(), victim.name(), cut.index, -1);
    Map<Integer, Outcome> outcomes = c.outcomes(total);
    c.assertCompletedOnce();
    h.checkNoOverlap(true);
    h.checkWinners(outcomes);
    Resumed resumed = checkResumedFromCheckpoints(h, outcomes, cut);
    assertTrue(
        resumed.fromCheckpoint >= 1,
        "a resumable job killed after a checkpoint resumed from it on a survivor: " + resumed);
    // The same-host shortcut (the dead pid) recovers at once; the lease would take 3 s.
    assertTrue(recoveredMs < leaseMs, "recovered " + recoveredMs + " ms after the kill");
    for (String n : survivors) {
      assertTrue(h.startsByNode().getOrDefault(n, 0) > 0, n + " ran jobs");
    }

    System.out.println(
        "[multinode] SIGKILL: "
            + total
            + " jobs ("
            + stepsJobs
            + " resumable x "
            + STEPS
            + " steps) dispatched in "
            + dispatchedMs
            + " ms, 3 nodes up at "
            + startedMs
            + " ms, "
            + victim.name()
            + " killed at "
            + killedAtMs
            + " ms with "
            + cut.openRuns
            + " runs in flight ("
            + cut.openSteps
            + " resumable, checkpoints "
            + cut.openStepsCheckpoints
            + "), all "
            + total
            + " completed at "
            + drainedMs
            + " ms; completions by node "
            + winnersByNode(outcomes)
            + ", runs started by node "
            + h.startsByNode()
            + "; its jobs requeued "
            + recoveredMs
            + " ms after the kill; "
            + resumed
            + "; jobs run twice "
            + h.rerunJobs()
            + " (in flight on "
            + victim.name()
            + ", or run there and not yet recorded complete)");
  }

  // ------------------------------------------------------------------ SIGSTOP

  @Test
  void threeNodes_oneFrozenWithSigstop_isDeclaredDeadByHeartbeat_andItsLateWritesAreRefused()
      throws Exception {
    long leaseMs = 2_500;
    int stepsJobs = 36;
    int total = 3_000;
    int extra = 1_500;
    Cluster c = new Cluster(leaseMs);
    long t0 = System.nanoTime();
    c.dispatch(stepsJobs, total - stepsJobs, 0);
    c.startNodes("n1", "n2", "n3");

    ChildJvm victim = c.awaitMidRun(20, 2);
    String v = victim.name();
    String victimOwner = c.owners.get(v);
    List<String> survivors = c.others(victim);
    victim.suspend();
    long tStop = System.currentTimeMillis(); // it froze before kill(1) returned
    long stoppedAtMs = elapsedMs(t0);
    Thread.sleep(100); // lines it wrote just before freezing are surely in the file now
    Cut cut = c.cut(victim);
    // What the others can see of it from now on (committed state; it cannot change while frozen):
    // its last heartbeat and the leases of its running jobs, in database time.
    long lastHeartbeat = c.count("SELECT heartbeat_at FROM jobkit_nodes WHERE id = ?", victimOwner);
    Map<String, Long> leases = c.leasesOf(victimOwner);
    // Its pid stays alive (with its start time), so no survivor can prove it dead that way: only
    // its stale heartbeat (or its leases lapsing) can free its jobs.
    long requeuedAt = c.awaitNoRunningJobsOf(victimOwner, Duration.ofSeconds(15));
    long recoveredMs = requeuedAt - tStop;
    c.pollUntil(
        v + "'s node row deleted by a survivor",
        Duration.ofSeconds(10),
        () -> !c.nodeIds().contains(victimOwner));
    long rowGoneMs = System.currentTimeMillis() - tStop;
    // Its in-flight resumable jobs resume on the survivors while it is still frozen.
    c.pollUntil(
        v + "'s in-flight resumable jobs restarted elsewhere",
        Duration.ofSeconds(20),
        () -> {
          List<Entry> all = c.tail.pollAll();
          return cut.openStepsSeqs.stream()
              .allMatch(
                  seq ->
                      all.stream()
                          .anyMatch(e -> e.type() == 'S' && e.seq() == seq && !e.node().equals(v)));
        });
    assertTrue(victim.isAlive(), "the frozen node is alive");
    // No job of the live (frozen) node was taken before the others could know it was dead: each
    // was requeued after its heartbeat was older than the lease ("owner ... gone", the heartbeat
    // path) or after its own lease expired ("lease expired").
    Map<String, Integer> byPath = new TreeMap<>();
    long minMarginMs = Long.MAX_VALUE;
    for (String[] ev : c.recoveries(leases.keySet(), lastHeartbeat)) {
      String id = ev[0];
      long at = Long.parseLong(ev[1]);
      String detail = ev[2];
      long margin;
      if (detail.equals("owner " + victimOwner + " gone")) {
        margin = at - (lastHeartbeat + leaseMs);
        byPath.merge("heartbeat", 1, Integer::sum);
      } else {
        assertEquals("lease expired", detail, "job " + id);
        margin = at - leases.get(id);
        byPath.merge("lease", 1, Integer::sum);
      }
      assertTrue(
          margin > 0,
          "job "
              + id
              + " of the frozen node was requeued "
              + -margin
              + " ms too early ("
              + detail
              + "): heartbeat "
              + lastHeartbeat
              + ", lease "
              + leases.get(id)
              + ", recovered at "
              + at);
      minMarginMs = Math.min(minMarginMs, margin);
    }
    assertEquals(
        leases.size(),
        byPath.values().stream().mapToInt(Integer::intValue).sum(),
        "each running job of the frozen node was requeued once: " + byPath);

    int contIndex = c.tail.pollAll().size();
    assertTrue(
        c.tail.all().subList(cut.index, contIndex).stream().noneMatch(e -> e.node().equals(v)),
        "the frozen node wrote nothing");
    long tCont = System.currentTimeMillis();
    victim.resume();
    c.pollUntil(
        v + " registered again after SIGCONT",
        Duration.ofSeconds(20),
        () -> c.nodeIds().contains(victimOwner));
    long rejoinedMs = System.currentTimeMillis() - tCont;
    // More work after the revival, so that the revived node shows it works again: after it has
    // had a moment to drop the stale claims it buffered before the freeze, and enough that the
    // warm survivors cannot claim it all ahead before it looks.
    Thread.sleep(1_000);
    c.dispatchShort(total, extra, 2);
    c.awaitAllCompleted(total + extra, Duration.ofSeconds(60));
    long drainedMs = elapsedMs(t0);
    for (ChildJvm n : c.nodes.values()) {
      c.stopGracefully(n);
    }

    RunHistory h = new RunHistory(c.tail.pollAll(), v, cut.index, contIndex);
    Map<Integer, Outcome> outcomes = c.outcomes(total + extra);
    c.assertCompletedOnce();
    h.checkNoOverlap(false);
    h.checkWinners(outcomes);
    Resumed resumed = checkResumedFromCheckpoints(h, outcomes, cut);
    assertTrue(
        resumed.fromCheckpoint >= 1,
        "a resumable job frozen after a checkpoint resumed from it on a survivor: " + resumed);
    // The frozen runs of resumable jobs were stopped once the node woke up: their next checkpoint
    // was refused (or failed with a session the server had ended), so they threw.
    Map<String, Integer> stoppedBy = new TreeMap<>();
    for (int seq : cut.openStepsSeqs) {
      Run frozen = h.runs.get(seq).stream().filter(h::cutOpen).findFirst().orElseThrow();
      assertTrue(
          frozen.end != null && frozen.end.type() == 'X',
          "the frozen run of job " + seq + " was stopped: " + frozen);
      stoppedBy.merge(
          frozen.end.detail().contains("lease_lost")
              ? "lease_lost"
              : frozen.end.detail().replaceAll(":.*", ""),
          1,
          Integer::sum);
    }
    long revivedRuns =
        h.entries().stream()
            .filter(e -> e.type() == 'E' && e.node().equals(v) && e.index() >= contIndex)
            .filter(
                e ->
                    outcomes.get(e.seq()).node().equals(v)
                        && outcomes.get(e.seq()).attempt() == e.attempt())
            .count();
    assertTrue(revivedRuns > 0, "the revived node completed jobs again");
    String survivorsLog = c.node(survivors.get(0)).log() + c.node(survivors.get(1)).log();
    assertTrue(
        survivorsLog.contains("Node " + victimOwner)
            && survivorsLog.contains("stopped heartbeating"),
        "a survivor declared " + v + " dead by its heartbeat");
    assertTrue(
        victim.log().contains("had been declared dead by another node; registering again"),
        v + " noticed and registered again" + victim.diagnostics());

    System.out.println(
        "[multinode] SIGSTOP: "
            + (total + extra)
            + " jobs; "
            + v
            + " frozen at "
            + stoppedAtMs
            + " ms with "
            + cut.openRuns
            + " runs in flight ("
            + cut.openSteps
            + " resumable); its "
            + leases.size()
            + " running jobs requeued "
            + recoveredMs
            + " ms after SIGSTOP (lease "
            + leaseMs
            + " ms, last heartbeat "
            + (tStop - lastHeartbeat)
            + " ms before the freeze by the local clock; by path "
            + byPath
            + ", at least "
            + minMarginMs
            + " ms after they were due), its node row deleted after "
            + rowGoneMs
            + " ms; "
            + resumed
            + "; after SIGCONT the frozen resumable runs stopped by "
            + stoppedBy
            + ", "
            + v
            + " registered again within "
            + rejoinedMs
            + " ms and completed "
            + revivedRuns
            + " jobs; all done at "
            + drainedMs
            + " ms; completions by node "
            + winnersByNode(outcomes)
            + ", runs started by node "
            + h.startsByNode()
            + "; jobs run twice "
            + h.rerunJobs()
            + " ("
            + h.lateStartCount()
            + " of them taken by a worker of "
            + v
            + " just before it froze, started after SIGCONT)");
  }

  // ------------------------------------------------------------------ shared checks

  /** How the cut node's resumable jobs went on elsewhere. */
  record Resumed(int cut, int fromCheckpoint, List<String> steps) {
    @Override
    public String toString() {
      return cut
          + " resumable runs cut, "
          + fromCheckpoint
          + " resumed from a checkpoint > 0 "
          + steps;
    }
  }

  /**
   * Every resumable run of the cut node open at the cut was continued by the next run of its job,
   * on another node, as a resumed run starting at the cut run's last committed checkpoint (or one
   * step later when the cut fell between a checkpoint's commit and its journal line); the final
   * output is the full sum, from a run that started where the journal says.
   */
  private static Resumed checkResumedFromCheckpoints(
      RunHistory h, Map<Integer, Outcome> outcomes, Cut cut) {
    int n = 0;
    int fromCheckpoint = 0;
    List<String> steps = new ArrayList<>();
    for (int seq : cut.openStepsSeqs) {
      List<Run> of = h.runs.get(seq);
      int i = 0;
      while (!h.cutOpen(of.get(i))) {
        i++;
      }
      Run cutRun = of.get(i);
      assertTrue(i + 1 < of.size(), "job " + seq + " was never run again after the cut: " + of);
      Run next = of.get(i + 1);
      String what = "job " + seq + ": " + cutRun + " then " + next;
      assertTrue(!next.node().equals(cut.node), "resumed on another node: " + what);
      assertTrue(next.start.resumed(), "isResumed() on the run after the cut: " + what);
      int ckpt = cutRun.lastCheckpoint();
      assertTrue(
          next.start.step() == ckpt || next.start.step() == ckpt + 1,
          "resumed at its last checkpoint: " + what);
      n++;
      if (next.start.step() > 0) {
        fromCheckpoint++;
      }
      steps.add(cutRun.node() + "@" + ckpt + "->" + next.node() + "@" + next.start.step());
    }
    for (Map.Entry<Integer, List<Run>> job : h.runs.entrySet()) {
      Outcome o = outcomes.get(job.getKey());
      if (!o.output().contains(" sum=")) {
        continue;
      }
      Matcher m = OUTPUT.matcher(o.output());
      assertTrue(m.matches(), o.output());
      Run newest = job.getValue().stream().max(Comparator.comparingInt(Run::attempt)).orElseThrow();
      assertEquals(
          StepsJob.expectedSum(o.seq(), STEPS),
          Long.parseLong(m.group(2)),
          "every step counted once: " + o + " " + job.getValue());
      assertEquals(newest.start.step(), Integer.parseInt(m.group(3)), "start: " + o);
      assertEquals(newest.start.resumed(), Boolean.parseBoolean(m.group(4)), "resumed: " + o);
    }
    return new Resumed(n, fromCheckpoint, steps);
  }

  private static Map<String, Long> winnersByNode(Map<Integer, Outcome> outcomes) {
    Map<String, Long> m = new TreeMap<>();
    outcomes.values().forEach(o -> m.merge(o.node(), 1L, Long::sum));
    return m;
  }

  private static long elapsedMs(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** The moment a node was cut: the journal length just before the signal, and its open runs. */
  record Cut(
      String node,
      int index,
      int openRuns,
      int openSteps,
      List<Integer> openStepsSeqs,
      List<Integer> openStepsCheckpoints) {}

  // ------------------------------------------------------------------ the cluster

  /** One database, its journal, the dispatched jobs and the worker nodes of one test. */
  private final class Cluster {
    final String url = EmbeddedPostgresSupport.freshDatabase();
    final String user = EmbeddedPostgresSupport.user();
    final String password = EmbeddedPostgresSupport.password();
    final long leaseMs;
    final Path journal = dir.resolve("runs.journal");
    final RunJournal.Tail tail = new RunJournal.Tail(journal);
    final Map<String, ChildJvm> nodes = new TreeMap<>();
    final Map<String, String> owners = new TreeMap<>();
    final Map<String, Integer> seqOfId = new HashMap<>();
    final Map<Integer, Boolean> isSteps = new HashMap<>();
    final Connection db;
    final JobManager client;

    Cluster(long leaseMs) throws SQLException {
      this.leaseMs = leaseMs;
      Properties p = new Properties();
      if (user != null) {
        p.setProperty("user", user);
      }
      if (password != null) {
        p.setProperty("password", password);
      }
      this.db = DriverManager.getConnection(url, p);
      resources.add(0, db);
      // Creates the schema before the nodes start, and dispatches; runs no workers.
      this.client = JobManager.builder().postgres(url, user, password).noWorkers().open();
      resources.add(0, client);
    }

    ChildJvm node(String name) {
      return nodes.get(name);
    }

    /** The names of the nodes other than {@code node}. */
    List<String> others(ChildJvm node) {
      return nodes.keySet().stream().filter(n -> !n.equals(node.name())).toList();
    }

    /** Dispatches {@code steps} resumable jobs (seq 0..) then {@code shorts} short ones. */
    void dispatch(int steps, int shorts, int firstSeq) {
      List<JobHandler<?>> jobs = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        isSteps.put(firstSeq + i, true);
        jobs.add(new StepsJob(firstSeq + i, journal.toString(), STEPS, STEP_MS));
      }
      dispatchAll(jobs, firstSeq);
      dispatchShort(firstSeq + steps, shorts, SHORT_WORK_MS);
    }

    void dispatchShort(int firstSeq, int n, long workMs) {
      List<JobHandler<?>> jobs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        isSteps.put(firstSeq + i, false);
        jobs.add(new ShortJob(firstSeq + i, journal.toString(), workMs));
      }
      dispatchAll(jobs, firstSeq);
    }

    private void dispatchAll(List<JobHandler<?>> jobs, int firstSeq) {
      for (int from = 0; from < jobs.size(); from += 1_000) {
        List<JobHandler<?>> chunk = jobs.subList(from, Math.min(jobs.size(), from + 1_000));
        List<JobHandle<?>> handles = client.dispatchAll(chunk, DispatchOptions.defaults());
        for (int i = 0; i < handles.size(); i++) {
          seqOfId.put(handles.get(i).id(), firstSeq + from + i);
        }
      }
    }

    /** Starts the nodes, waits until all are up and finds their owner ids in jobkit_nodes. */
    void startNodes(String... names) throws Exception {
      Path data = Files.createDirectories(dir.resolve("data"));
      for (String name : names) {
        ChildJvm n =
            ChildJvm.start(
                dir,
                name,
                NodeMain.class,
                List.of(
                    "-Dmultinode.node=" + name,
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"),
                url,
                user == null ? "-" : user,
                password == null ? "-" : password,
                Long.toString(leaseMs),
                Long.toString(POLL_MS),
                data.toString());
        resources.add(0, n);
        nodes.put(name, n);
      }
      for (ChildJvm n : nodes.values()) {
        n.awaitLine(l -> l.startsWith("READY "), STARTUP);
        String mark = ":" + n.pid() + ":";
        List<String> ids = nodeIds().stream().filter(id -> id.contains(mark)).toList();
        assertEquals(1, ids.size(), "node " + n.name() + " registered once: " + nodeIds());
        owners.put(n.name(), ids.get(0));
      }
    }

    /** The database's sessions other than this one, for a failure message. */
    String sessions() {
      return "nodes "
          + strings(
              "SELECT id || ' heartbeat ' || (extract(epoch FROM"
                  + " clock_timestamp()) * 1000)::bigint - heartbeat_at || ' ms ago' FROM jobkit_nodes"
                  + " ORDER BY id")
          + ", sessions "
          + strings(
              "SELECT pid || ' ' || coalesce(state, '?') || ' for '"
                  + " || (extract(epoch FROM clock_timestamp() - state_change) * 1000)::bigint || ' ms'"
                  + " || coalesce(' waiting ' || wait_event_type || '/' || wait_event, '')"
                  + " || coalesce(' blocked by ' || pg_blocking_pids(pid)::text, '') || ': '"
                  + " || left(query, 160) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND pid <> pg_backend_pid() AND state <> 'idle' ORDER BY pid");
    }

    List<String> nodeIds() {
      return strings("SELECT id FROM jobkit_nodes ORDER BY id");
    }

    /**
     * Waits until a node completed at least {@code shortsDone} short jobs and is in the middle of a
     * resumable job with at least {@code minCheckpoint} steps committed (and a few to go), and
     * returns that node: the one to cut. (Whichever node it is: the nodes start at different
     * moments on a busy machine, and the first one up may drain most of the short jobs.)
     */
    ChildJvm awaitMidRun(int shortsDone, int minCheckpoint) {
      // Followed incrementally: the journal grows to tens of thousands of lines.
      Map<String, Map<String, Integer>> openSteps = new HashMap<>(); // node -> run -> checkpoint
      Map<String, Integer> done = new HashMap<>();
      String[] found = new String[1];
      pollUntil(
          "a node mid-way through a resumable job",
          Duration.ofSeconds(60),
          () -> {
            for (Entry e : tail.poll()) {
              Map<String, Integer> open = openSteps.computeIfAbsent(e.node(), k -> new HashMap<>());
              String run = e.seq() + " " + e.attempt();
              boolean steps = isSteps.get(e.seq());
              switch (e.type()) {
                case 'S' -> {
                  if (steps) {
                    open.put(run, e.step());
                  }
                }
                case 'C' -> open.put(run, e.step());
                default -> {
                  open.remove(run);
                  if (!steps && e.type() == 'E') {
                    done.merge(e.node(), 1, Integer::sum);
                  }
                }
              }
            }
            for (String node : nodes.keySet()) {
              if (done.getOrDefault(node, 0) >= shortsDone
                  && openSteps.getOrDefault(node, Map.of()).values().stream()
                      .anyMatch(k -> k >= minCheckpoint && k <= STEPS - 3)) {
                found[0] = node;
                return true;
              }
            }
            return false;
          },
          Duration.ofMillis(20));
      return nodes.get(found[0]);
    }

    /** The journal now, just after {@code node} was cut, and the node's runs open in it. */
    Cut cut(ChildJvm node) {
      List<Entry> all = tail.pollAll();
      int index = all.size();
      RunHistory h = new RunHistory(all);
      int open = 0;
      List<Integer> stepsSeqs = new ArrayList<>();
      List<Integer> stepsCkpts = new ArrayList<>();
      for (Map.Entry<Integer, List<Run>> job : h.runs.entrySet()) {
        for (Run r : job.getValue()) {
          if (r.node().equals(node.name()) && r.end == null) {
            open++;
            if (isSteps.get(job.getKey())) {
              stepsSeqs.add(job.getKey());
              stepsCkpts.add(r.lastCheckpoint());
            }
          }
        }
      }
      return new Cut(node.name(), index, open, stepsSeqs.size(), stepsSeqs, stepsCkpts);
    }

    /** The lease expiry of each job RUNNING under {@code owner}, by id. */
    Map<String, Long> leasesOf(String owner) throws SQLException {
      Map<String, Long> m = new TreeMap<>();
      try (PreparedStatement ps =
          db.prepareStatement(
              "SELECT id, lease_expires_at FROM jobkit_jobs"
                  + " WHERE status = 'RUNNING' AND lease_owner = ?")) {
        ps.setString(1, owner);
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            m.put(r.getString(1), r.getLong(2));
          }
        }
      }
      return m;
    }

    /** The RECOVERED events of {@code ids} at or after {@code from}: id, at, detail. */
    List<String[]> recoveries(java.util.Set<String> ids, long from) throws SQLException {
      List<String[]> out = new ArrayList<>();
      try (PreparedStatement ps =
          db.prepareStatement(
              "SELECT job_id, at, detail"
                  + " FROM jobkit_job_events WHERE type = 'RECOVERED' AND at >= ? AND job_id = ANY (?)"
                  + " ORDER BY id")) {
        ps.setLong(1, from);
        ps.setArray(2, db.createArrayOf("text", ids.toArray()));
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            out.add(new String[] {r.getString(1), Long.toString(r.getLong(2)), r.getString(3)});
          }
        }
      }
      return out;
    }

    /** Waits until no job is RUNNING under {@code owner}; returns the time (epoch millis). */
    long awaitNoRunningJobsOf(String owner, Duration timeout) {
      pollUntil(
          "no job running under " + owner,
          timeout,
          () ->
              count(
                      "SELECT count(*) FROM jobkit_jobs WHERE status = 'RUNNING'"
                          + " AND lease_owner = ?",
                      owner)
                  == 0,
          Duration.ofMillis(20));
      return System.currentTimeMillis();
    }

    void awaitAllCompleted(int total, Duration timeout) {
      pollUntil(
          total + " jobs completed",
          timeout,
          () -> {
            List<String> bad =
                strings(
                    "SELECT id || ' ' || status || ' ' || coalesce(error, '')"
                        + " FROM jobkit_jobs WHERE status NOT IN ('QUEUED', 'RUNNING', 'COMPLETED') LIMIT 5");
            if (!bad.isEmpty()) {
              fail("jobs ended otherwise than completed: " + bad);
            }
            return count("SELECT count(*) FROM jobkit_jobs WHERE status = 'COMPLETED'", null)
                == total;
          },
          Duration.ofMillis(200));
    }

    void stopGracefully(ChildJvm n) throws Exception {
      assertEquals(0, n.stopGracefully(Duration.ofSeconds(30)), n.diagnostics());
      n.awaitLine("CLOSED"::equals, Duration.ofSeconds(5));
    }

    /** Every job's stored outcome, checked COMPLETED, by seq. */
    Map<Integer, Outcome> outcomes(int total) throws SQLException {
      Map<Integer, Outcome> out = new TreeMap<>();
      try (PreparedStatement ps =
              db.prepareStatement("SELECT id, status, output FROM jobkit_jobs ORDER BY id");
          ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          String id = r.getString(1);
          assertEquals("COMPLETED", r.getString(2), "job " + id);
          String output = r.getString(3);
          Matcher m = OUTPUT.matcher(Optional.ofNullable(output).orElse(""));
          assertTrue(m.matches(), "job " + id + " output " + output);
          int seq = Integer.parseInt(m.group(1));
          assertEquals(seqOfId.get(id), seq, "job " + id + " output " + output);
          assertTrue(
              out.put(seq, new Outcome(seq, m.group(5), Integer.parseInt(m.group(6)), output))
                  == null,
              "two jobs with seq " + seq);
        }
      }
      assertEquals(total, out.size(), "jobs stored");
      return out;
    }

    /** No job was recorded COMPLETED twice: every late completion was refused by its epoch. */
    void assertCompletedOnce() {
      assertEquals(
          List.of(),
          strings(
              "SELECT job_id || ' x' || count(*) FROM jobkit_job_events"
                  + " WHERE to_status = 'COMPLETED' GROUP BY job_id HAVING count(*) <> 1"),
          "jobs with other than one completion");
      assertEquals(
          0,
          count(
              "SELECT count(*) FROM jobkit_jobs j WHERE NOT EXISTS (SELECT 1 FROM"
                  + " jobkit_job_events e WHERE e.job_id = j.id AND e.to_status = 'COMPLETED')",
              null),
          "jobs without a completion event");
    }

    /** The single bigint of a query with at most one parameter. */
    long count(String sql, String arg) {
      try (PreparedStatement ps = db.prepareStatement(sql)) {
        if (arg != null) {
          ps.setString(1, arg);
        }
        try (ResultSet r = ps.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(sql, e);
      }
    }

    List<String> strings(String sql) {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement(sql);
          ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(sql, e);
      }
      return out;
    }

    void pollUntil(String what, Duration timeout, BooleanSupplier condition) {
      pollUntil(what, timeout, condition, Duration.ofMillis(50));
    }

    void pollUntil(String what, Duration timeout, BooleanSupplier condition, Duration every) {
      try {
        await(what).atMost(timeout).pollInterval(every).until(condition::getAsBoolean);
      } catch (ConditionTimeoutException e) {
        StringBuilder logs = new StringBuilder();
        nodes.values().forEach(n -> logs.append(n.diagnostics()));
        throw new AssertionError(
            "timed out after "
                + timeout
                + " waiting for "
                + what
                + "; jobs by status "
                + strings("SELECT status || '=' || count(*) FROM jobkit_jobs" + " GROUP BY status")
                + "; "
                + sessions()
                + logs,
            e);
      }
    }
  }
}
