package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.BatchInfo;
import dev.jobkit.runtime.BatchState;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchesTest} on PostgreSQL, and the last two members of a batch ending at the same moment
 * in two engines: the batch row serializes them, so the callbacks fire once.
 */
class BatchesPostgresTest extends BatchesTest {
  BatchesPostgresTest() {
    super(TestDatabase.Backend.POSTGRES);
  }

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  @Test
  void theLastTwoMembersEndingAtOnceInTwoEnginesFireEachCallbackOnce() {
    JobManager one = workers(1);
    JobManager two = workers(1);
    for (int round = 0; round < 5; round++) {
      String gate = p + "last" + round;
      // One worker per engine and two members that wait for one gate: each engine holds one.
      BatchHandle h =
          one.batch()
              .add(BatchJob.gated(p + round + "-x", gate))
              .add(BatchJob.gated(p + round + "-y", gate))
              .onSuccess(job(round + "-success"))
              .onFailure(job(round + "-failure"))
              .onComplete(job(round + "-complete"))
              .dispatch();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  stateOf(one, h.members().get(0).id()) == JobState.RUNNING
                      && stateOf(one, h.members().get(1).id()) == JobState.RUNNING);
      Gates.open(gate); // both end now, one in each engine
      BatchInfo end = awaitFinal(two, h.id());
      assertEquals(BatchState.SUCCEEDED, end.state());
      assertEquals(2, end.completed());
      awaitState(two, end.onSuccessJobId().orElseThrow(), JobState.COMPLETED);
      awaitState(two, end.onCompleteJobId().orElseThrow(), JobState.COMPLETED);
      assertEquals(JobState.CANCELLED, stateOf(two, end.onFailureJobId().orElseThrow()));
      assertEquals(1, BatchJob.runs(p + round + "-success"));
      assertEquals(1, BatchJob.runs(p + round + "-complete"));
      assertEquals(0, BatchJob.runs(p + round + "-failure"));
    }
  }
}
