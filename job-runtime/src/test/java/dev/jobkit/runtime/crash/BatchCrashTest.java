package dev.jobkit.runtime.crash;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.BatchInfo;
import dev.jobkit.runtime.BatchState;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobBatch;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches (#12) across a SIGKILL: a child JVM ({@link ChildMain} {@code worker}) runs a batch's
 * members and is killed while the last ones finish, so that the kill may land before, during or
 * after the transaction that ends the batch. This JVM then reopens the database, recovers the
 * members and runs the callbacks (on a queue the child does not run): each callback job exists once
 * and runs once, whatever the moment of the kill.
 */
@Timeout(180)
class BatchCrashTest {
  private static final int MEMBERS = 30;
  private static final int SUCCESS = 1000;
  private static final int FAILURE = 1001;
  private static final int COMPLETE = 1002;

  @TempDir Path dir;

  @Test
  void callbacksExistAndRunOnceWhenTheNodeDiesWhileTheLastMembersFinish() throws Exception {
    Path db = dir.resolve("jobs.db");
    for (int round = 0; round < 3; round++) {
      Path journal = dir.resolve("round" + round + ".journal");
      DispatchOptions callbacks = DispatchOptions.builder().queue("callbacks").build();
      String batchId;
      try (JobManager client = JobManager.builder().database(db).noWorkers().open()) {
        JobBatch b = client.batch().name("crash " + round);
        for (int i = 0; i < MEMBERS; i++) {
          b.add(new JournalJob(i, journal, 20 + 10 * (i % 4)));
        }
        batchId =
            b.onSuccess(new JournalJob(SUCCESS, journal, 0), callbacks)
                .onFailure(new JournalJob(FAILURE, journal, 0), callbacks)
                .onComplete(new JournalJob(COMPLETE, journal, 0), callbacks)
                .dispatch()
                .id();
      }
      // Kill when this many members have ended: the later the round, the closer to the last one.
      int killAfter = MEMBERS - 4 + 2 * round;
      try (ChildJvm child =
          ChildJvm.start(
              dir,
              "worker-" + round,
              ChildMain.class,
              List.of(),
              "worker",
              db.toString(),
              "2000",
              "4")) {
        child.awaitLine("READY"::equals, Duration.ofSeconds(60));
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> ends(journal) >= killAfter);
        child.kill();
      }

      try (JobManager m =
          JobManager.builder()
              .database(db)
              .workers("default", 2)
              .workers("callbacks", 1)
              .pollInterval(Duration.ofMillis(50))
              .leaseDuration(Duration.ofMillis(2000))
              .open()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> m.batches().get(batchId).orElseThrow().state().isFinal());
        BatchInfo info = m.batches().get(batchId).orElseThrow();
        assertEquals(BatchState.SUCCEEDED, info.state(), "round " + round);
        assertEquals(MEMBERS, info.completed(), "round " + round);
        String success = info.onSuccessJobId().orElseThrow();
        String complete = info.onCompleteJobId().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> done(m, success) && done(m, complete));
        assertEquals(
            JobState.CANCELLED, m.job(info.onFailureJobId().orElseThrow()).orElseThrow().state());
        // Each callback job exists once (the members and three callbacks, nothing else) ...
        List<String> ids = new ArrayList<>();
        m.list(JobQuery.builder().limit(1000).build()).jobs().forEach(j -> ids.add(j.id()));
        assertEquals(MEMBERS + 3, ids.size() - (MEMBERS + 3) * round, "round " + round);
        // ... and ran once: one start and one end line each; the failure callback never ran.
        List<String> lines = Journal.read(journal);
        assertEquals(1, count(lines, "S " + SUCCESS + " "), "round " + round + ": " + lines);
        assertEquals(1, count(lines, "E " + SUCCESS + " "), "round " + round);
        assertEquals(1, count(lines, "S " + COMPLETE + " "), "round " + round);
        assertEquals(0, count(lines, "S " + FAILURE + " "), "round " + round);
        long me = ProcessHandle.current().pid();
        assertTrue(
            lines.stream()
                .filter(l -> l.startsWith("S " + SUCCESS + " "))
                .allMatch(l -> l.endsWith(" " + me)),
            "the callbacks ran here, after the restart");
      }
    }
  }

  private static boolean done(JobManager m, String id) {
    return m.job(id).orElseThrow().state() == JobState.COMPLETED;
  }

  private static int ends(Path journal) {
    return (int) Journal.read(journal).stream().filter(l -> l.startsWith("E ")).count();
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }
}
