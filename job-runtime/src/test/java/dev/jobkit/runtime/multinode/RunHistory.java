package dev.jobkit.runtime.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobkit.runtime.multinode.RunJournal.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The runs of every job as the journal tells them, and the checks a multi-node run must pass.
 *
 * <p>One node may have been cut: killed with SIGKILL, or frozen with SIGSTOP. {@code cutIndex} is
 * the length of the journal read once the signal had taken effect (after the killed process was
 * reaped, or a while after SIGSTOP), so every line the node wrote before the cut lies below it.
 * Runs of the cut node open at the cut may be taken over by another node, but only after the cut
 * node's last line before the cut: killed runs simply end; frozen runs go on after SIGCONT, and no
 * write they attempt after the takeover may take effect.
 *
 * <p>A frozen node can also hold runs the journal shows only after SIGCONT: a worker that had taken
 * its next job and was between the engine's start of the attempt and the job's first line when the
 * process froze. Such a run is its worker thread's very first line after SIGCONT ({@link
 * #lateStarts}); it counts as a run open at the cut. Any other run that starts after SIGCONT with
 * an attempt older than one already started elsewhere is a stale claim run after a takeover.
 */
final class RunHistory {
  /** One run (attempt) of one job on one node: its S line, its committed checkpoints, its end. */
  static final class Run {
    final Entry start;
    final List<Entry> checkpoints = new ArrayList<>();
    Entry end; // E or X; null while open

    Run(Entry start) {
      this.start = start;
    }

    String node() {
      return start.node();
    }

    int attempt() {
      return start.attempt();
    }

    /** Its last committed checkpoint's step, or its start step. */
    int lastCheckpoint() {
      return checkpoints.isEmpty() ? start.step() : checkpoints.get(checkpoints.size() - 1).step();
    }

    @Override
    public String toString() {
      return "run["
          + start
          + (checkpoints.isEmpty() ? "" : ", ckpt " + lastCheckpoint())
          + ", end "
          + end
          + "]";
    }
  }

  /** The final state of a job from the database: the attempt and node its stored output names. */
  record Outcome(int seq, String node, int attempt, String output) {}

  final Map<Integer, List<Run>> runs = new TreeMap<>();
  private final List<Entry> entries;
  private final String cutNode;
  private final int cutIndex;
  private final int lastLine; // the cut node's last line before the cut, or -1
  private final Set<Run> late;

  /**
   * The runs in {@code entries}, with {@code cutNode} cut at {@code cutIndex} and, if it was
   * frozen, continued at journal line {@code contIndex} (-1 if it was not).
   */
  RunHistory(List<Entry> entries, String cutNode, int cutIndex, int contIndex) {
    this.entries = entries;
    this.cutNode = cutNode;
    this.cutIndex = cutIndex;
    for (Entry e : entries) {
      List<Run> of = runs.computeIfAbsent(e.seq(), k -> new ArrayList<>());
      if (e.type() == 'S') {
        for (Run r : of) {
          assertTrue(
              r.attempt() != e.attempt() || !r.node().equals(e.node()),
              "attempt started twice: " + e + " after " + r);
        }
        of.add(new Run(e));
        continue;
      }
      Run run = null;
      for (Run r : of) {
        if (r.attempt() == e.attempt() && r.node().equals(e.node())) {
          run = r;
        }
      }
      if (run == null || run.end != null) {
        fail("journal line without an open run: " + e + " (runs " + of + ")");
      }
      switch (e.type()) {
        case 'C' -> run.checkpoints.add(e);
        case 'E', 'X' -> run.end = e;
        default -> fail("unknown journal line " + e);
      }
    }
    int last = -1;
    for (int i = Math.min(cutIndex, entries.size()) - 1; i >= 0 && last < 0; i--) {
      if (entries.get(i).node().equals(cutNode)) {
        last = i;
      }
    }
    this.lastLine = last;
    this.late = contIndex < 0 ? Set.of() : lateStarts(contIndex);
  }

  /** A history without a cut node. */
  RunHistory(List<Entry> entries) {
    this(entries, "", 0, -1);
  }

  private Set<Run> lateStarts(int contIndex) {
    Set<String> seen = new HashSet<>();
    Set<Run> out = new HashSet<>();
    for (Entry e : entries.subList(Math.min(contIndex, entries.size()), entries.size())) {
      if (e.node().equals(cutNode) && seen.add(e.thread()) && e.type() == 'S') {
        for (Run r : runs.get(e.seq())) {
          if (r.start == e) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  List<Entry> entries() {
    return entries;
  }

  /** Whether {@code r} is a run of the cut node that was open at the cut. */
  boolean cutOpen(Run r) {
    return late.contains(r)
        || r.node().equals(cutNode)
            && r.start.index() < cutIndex
            && (r.end == null || r.end.index() >= cutIndex);
  }

  /**
   * Runs open at the cut whose S line the journal shows only after SIGCONT, and that lost their job
   * to a newer attempt meanwhile.
   */
  long lateStartCount() {
    return late.stream()
        .filter(r -> runs.get(r.start.seq()).stream().anyMatch(o -> o.attempt() > r.attempt()))
        .count();
  }

  /**
   * No job ran on two nodes at once, and attempts follow each other: of every two runs of a job,
   * the one with the higher attempt started after the other ended, except when the other was a run
   * of the cut node open at the cut and the newer one started after the cut node's last line before
   * the cut. Such a cut run must have no end (killed) or, if frozen, must commit nothing the newer
   * run did not see: no checkpoint beyond the step the newer run resumed at.
   */
  void checkNoOverlap(boolean killed) {
    for (Map.Entry<Integer, List<Run>> job : runs.entrySet()) {
      List<Run> of = new ArrayList<>(job.getValue());
      for (Run r : of) {
        if (r.end == null) {
          assertTrue(killed && cutOpen(r), "job " + job.getKey() + ": run never ended: " + r);
        }
      }
      of.sort(Comparator.comparingInt(Run::attempt));
      for (int j = 1; j < of.size(); j++) {
        Run newer = of.get(j);
        for (Run older : of.subList(0, j)) {
          String pair = "job " + job.getKey() + ": " + older + " then " + newer;
          assertTrue(newer.attempt() > older.attempt(), "one attempt twice: " + pair);
          if (newer.start.index() < older.start.index() && !late.contains(older)) {
            fail(
                "a run started with an older attempt than one started before it (a stale claim"
                    + " ran): "
                    + pair);
          }
          if (older.end != null && older.end.index() < newer.start.index()) {
            continue; // one after the other
          }
          if (!cutOpen(older) || newer.start.index() <= lastLine) {
            fail("two nodes ran the job at once: " + pair);
          }
          if (killed) {
            assertTrue(
                older.end == null, "the killed node wrote after its job was taken over: " + pair);
          } else {
            for (Entry c : older.checkpoints) {
              assertTrue(
                  c.index() < newer.start.index() || c.step() <= newer.start.step(),
                  "the frozen node committed a checkpoint after the takeover: " + c + "; " + pair);
            }
          }
        }
      }
    }
  }

  /**
   * The stored output of every job came from its newest attempt, which ended normally; every other
   * run was one of the cut node open at the cut, or one that ended before the cut but whose
   * completion the node had not committed yet; the newest attempt started after the cut.
   */
  void checkWinners(Map<Integer, Outcome> outcomes) {
    assertEquals(runs.keySet(), outcomes.keySet(), "every job ran, and only dispatched jobs ran");
    for (Map.Entry<Integer, List<Run>> job : runs.entrySet()) {
      List<Run> of = job.getValue();
      Run newest = of.stream().max(Comparator.comparingInt(Run::attempt)).orElseThrow();
      Outcome o = outcomes.get(job.getKey());
      String what = "job " + job.getKey() + " (output '" + o.output() + "', runs " + of + ")";
      assertEquals(newest.attempt(), o.attempt(), "output not from the newest attempt: " + what);
      assertEquals(newest.node(), o.node(), "output not from the newest attempt's node: " + what);
      assertTrue(
          newest.end != null && newest.end.type() == 'E',
          "newest attempt did not end well: " + what);
      for (Run r : of) {
        if (r != newest) {
          assertEquals(cutNode, r.node(), "a job ran twice though its node was not cut: " + what);
          assertTrue(
              cutOpen(r) || r.start.index() < cutIndex,
              "the cut node ran the job again after the cut: " + what);
          assertTrue(newest.start.index() > lastLine, "rerun before the cut: " + what);
        }
      }
    }
  }

  /** Jobs run more than once. */
  long rerunJobs() {
    return runs.values().stream().filter(l -> l.size() > 1).count();
  }

  /** How many runs each node started. */
  Map<String, Integer> startsByNode() {
    Map<String, Integer> m = new TreeMap<>();
    for (Entry e : entries) {
      if (e.type() == 'S') {
        m.merge(e.node(), 1, Integer::sum);
      }
    }
    return m;
  }
}
