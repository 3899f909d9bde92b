package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.BatchInfo;
import dev.jobkit.runtime.BatchState;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobBatch;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches (#12) on both databases ({@link BatchesSqliteTest}, {@link BatchesPostgresTest}): each
 * callback fires once for success, failure and completion; counts, progress and ETA; retries before
 * and after the batch is final; cancelled members and members that are dependency children; the
 * batched completion path. Workers poll every ten minutes, so callbacks run because the transaction
 * that ended the batch woke them.
 */
abstract class BatchesTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  TestDatabase db;
  final List<JobManager> open = new CopyOnWriteArrayList<>();

  /** Unique per test, so that the static maps of {@link BatchJob} of other tests do not matter. */
  final String p = UUID.randomUUID().toString().substring(0, 8) + "-";

  BatchesTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
    BatchJob.FAILING.removeIf(n -> n.startsWith(p));
  }

  JobManager workers(int n) {
    JobManager m =
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", n)
            .pollInterval(Duration.ofMinutes(10))
            .progressInterval(Duration.ofMillis(20))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    open.add(m);
    return m;
  }

  JobManager noWorkers() {
    JobManager m = db.builder().dataDirectory(dir.resolve("jobkit-data")).noWorkers().open();
    open.add(m);
    return m;
  }

  BatchJob job(String name) {
    return new BatchJob(p + name);
  }

  static BatchInfo awaitFinal(JobManager m, String batchId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> m.batches().get(batchId).orElseThrow().state().isFinal());
    return m.batches().get(batchId).orElseThrow();
  }

  static void awaitState(JobManager m, String id, JobState s) {
    await().atMost(Duration.ofSeconds(30)).until(() -> m.job(id).orElseThrow().state() == s);
  }

  static JobState stateOf(JobManager m, String id) {
    return m.job(id).orElseThrow().state();
  }

  /** A batch of {@code n} members a0.. with the three callbacks. */
  JobBatch batchOf(JobManager m, int n) {
    JobBatch b = m.batch().name(p + "batch").description("test batch");
    for (int i = 0; i < n; i++) {
      b.add(job("a" + i));
    }
    return b.onSuccess(job("success")).onFailure(job("failure")).onComplete(job("complete"));
  }

  // ---------------------------------------------------------------- outcomes

  @Test
  void aBatchThatSucceedsRunsTheSuccessAndCompletionCallbacksOnceAndCancelsTheFailureOne() {
    JobManager client = noWorkers();
    BatchHandle h = batchOf(client, 60).dispatch(); // 60: the completer commits them in batches
    BatchInfo before = h.info();
    assertEquals(BatchState.RUNNING, before.state());
    assertEquals(60, before.total());
    assertEquals(60, before.pending());
    assertEquals(0.0, before.progress());
    assertTrue(before.eta().isEmpty());
    assertEquals(p + "batch", before.name().orElseThrow());
    String success = before.onSuccessJobId().orElseThrow();
    String failure = before.onFailureJobId().orElseThrow();
    String complete = before.onCompleteJobId().orElseThrow();
    assertEquals(JobState.WAITING, stateOf(client, success));
    assertEquals(60, client.batches().members(h.id(), 1000).size());
    assertEquals(h.id(), client.batches().batchOf(h.members().get(0).id()).orElseThrow());
    assertEquals(h.id(), client.batches().batchOf(success).orElseThrow());

    JobManager m = workers(4);
    BatchInfo end = awaitFinal(m, h.id());
    assertEquals(BatchState.SUCCEEDED, end.state());
    assertEquals(60, end.completed());
    assertEquals(0, end.failed() + end.cancelled() + end.pending());
    assertEquals(1.0, end.progress());
    assertTrue(end.finishedAt().isPresent());
    awaitState(m, success, JobState.COMPLETED);
    awaitState(m, complete, JobState.COMPLETED);
    assertEquals(JobState.CANCELLED, stateOf(m, failure));
    assertEquals(1, BatchJob.runs(p + "success"));
    assertEquals(1, BatchJob.runs(p + "complete"));
    assertEquals(0, BatchJob.runs(p + "failure"));
    assertEquals(h.id(), BatchJob.BATCH_OF.get(p + "success"), "a callback reads its batch id");
    assertEquals(h.id(), BatchJob.BATCH_OF.get(p + "a0"), "a member reads its batch id");
    assertTrue(m.job(failure).orElseThrow().error().orElseThrow().contains("SUCCEEDED"));
  }

  @Test
  void aBatchWithAFailedMemberRunsTheFailureAndCompletionCallbacksOnce() {
    BatchJob.FAILING.add(p + "a1");
    JobManager m = workers(2);
    BatchHandle h =
        m.batch()
            .add(job("a0"))
            .add(job("a1"))
            .add(job("a2"))
            .onSuccess(job("success"))
            .onFailure("test.batch", "{\"name\": \"" + p + "failure\"}") // by name and JSON
            .onComplete(job("complete"))
            .dispatch();
    BatchInfo end = awaitFinal(m, h.id());
    assertEquals(BatchState.FAILED, end.state());
    assertEquals(2, end.completed());
    assertEquals(1, end.failed());
    awaitState(m, end.onFailureJobId().orElseThrow(), JobState.COMPLETED);
    awaitState(m, end.onCompleteJobId().orElseThrow(), JobState.COMPLETED);
    assertEquals(JobState.CANCELLED, stateOf(m, end.onSuccessJobId().orElseThrow()));
    assertEquals(1, BatchJob.runs(p + "failure"));
    assertEquals(1, BatchJob.runs(p + "complete"));
    assertEquals(0, BatchJob.runs(p + "success"));
  }

  @Test
  void aMemberRetriedAfterTheBatchIsFinalRunsAgainButNoCallbackFiresAgain() {
    BatchJob.FAILING.add(p + "a1");
    JobManager m = workers(2);
    BatchHandle h = batchOf(m, 3).dispatch();
    BatchInfo end = awaitFinal(m, h.id());
    assertEquals(BatchState.FAILED, end.state());
    awaitState(m, end.onFailureJobId().orElseThrow(), JobState.COMPLETED);
    awaitState(m, end.onCompleteJobId().orElseThrow(), JobState.COMPLETED);

    BatchJob.FAILING.remove(p + "a1");
    String a1 = h.members().get(1).id();
    assertTrue(m.retry(a1));
    awaitState(m, a1, JobState.COMPLETED);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> m.batches().get(h.id()).orElseThrow().completed() == 3);
    BatchInfo after = m.batches().get(h.id()).orElseThrow();
    assertEquals(BatchState.FAILED, after.state(), "a final batch stays final");
    assertEquals(0, after.failed(), "the counts follow the members");
    assertEquals(end.finishedAt(), after.finishedAt());
    assertEquals(JobState.CANCELLED, stateOf(m, after.onSuccessJobId().orElseThrow()));
    assertEquals(1, BatchJob.runs(p + "failure"));
    assertEquals(1, BatchJob.runs(p + "complete"));
    assertEquals(0, BatchJob.runs(p + "success"));
  }

  @Test
  void aMemberRetriedBeforeTheBatchEndsLetsItSucceed() {
    BatchJob.FAILING.add(p + "a0");
    JobManager m = workers(2);
    String gate = p + "gate";
    BatchHandle h =
        m.batch()
            .add(job("a0"))
            .add(BatchJob.gated(p + "slow", gate))
            .onSuccess(job("success"))
            .onFailure(job("failure"))
            .dispatch();
    String a0 = h.members().get(0).id();
    awaitState(m, a0, JobState.FAILED);
    await().atMost(Duration.ofSeconds(30)).until(() -> h.info().failed() == 1);
    BatchJob.FAILING.remove(p + "a0");
    assertTrue(m.retry(a0));
    awaitState(m, a0, JobState.COMPLETED);
    assertEquals(BatchState.RUNNING, h.info().state());
    assertEquals(0, h.info().failed());
    Gates.open(gate);
    BatchInfo end = awaitFinal(m, h.id());
    assertEquals(BatchState.SUCCEEDED, end.state());
    awaitState(m, end.onSuccessJobId().orElseThrow(), JobState.COMPLETED);
    assertEquals(JobState.CANCELLED, stateOf(m, end.onFailureJobId().orElseThrow()));
    assertEquals(1, BatchJob.runs(p + "success"));
  }

  @Test
  void cancelledMembersAndMembersEndedByAParentFailMakeTheBatchFail() {
    BatchJob.FAILING.add(p + "parent");
    JobManager client = noWorkers();
    String parent = client.dispatch(job("parent")).id();
    BatchHandle h =
        client
            .batch()
            .add(job("a0"), DispatchOptions.builder().dependsOn(parent).build())
            .add(job("a1"))
            .add(job("a2"))
            .onFailure(job("failure"))
            .onComplete(job("complete"))
            .dispatch();
    assertEquals(JobState.WAITING, stateOf(client, h.members().get(0).id()));
    assertTrue(client.cancel(h.members().get(1).id()));
    assertEquals(1, h.info().cancelled());
    JobManager m = workers(2);
    BatchInfo end = awaitFinal(m, h.id());
    assertEquals(BatchState.FAILED, end.state());
    assertEquals(1, end.completed());
    assertEquals(2, end.cancelled(), "a1 by a user, a0 by its parent's failure");
    awaitState(m, end.onFailureJobId().orElseThrow(), JobState.COMPLETED);
    awaitState(m, end.onCompleteJobId().orElseThrow(), JobState.COMPLETED);
    assertEquals(1, BatchJob.runs(p + "failure"));
    assertTrue(end.onSuccessJobId().isEmpty());
  }

  @Test
  void aBatchWhoseMembersAreAllEndedAtDispatchIsFinalAtOnce() {
    BatchJob.FAILING.add(p + "parent");
    JobManager m = workers(1);
    String parent = m.dispatch(job("parent")).id();
    awaitState(m, parent, JobState.FAILED);
    BatchHandle h =
        m.batch()
            .add(job("a0"), DispatchOptions.builder().dependsOn(parent).build())
            .onComplete(job("complete"))
            .dispatch();
    BatchInfo info = h.info();
    assertEquals(BatchState.FAILED, info.state());
    assertEquals(1, info.cancelled());
    awaitState(m, info.onCompleteJobId().orElseThrow(), JobState.COMPLETED);
    assertEquals(1, BatchJob.runs(p + "complete"));
  }

  // ---------------------------------------------------------------- progress

  @Test
  void progressAggregatesTheMembersAndGivesAnEta() {
    JobManager m = workers(3);
    String gate = p + "gate";
    BatchHandle h =
        m.batch()
            .add(job("a0"))
            .add(job("a1"))
            .add(BatchJob.gated(p + "slow", gate))
            .add(job("a3"))
            .dispatch();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.info().completed() == 3 && h.info().progress() > 0.75);
    BatchInfo mid = h.info();
    assertEquals(BatchState.RUNNING, mid.state());
    assertEquals(1, mid.running());
    assertEquals(1, mid.pending());
    assertEquals(0.875, mid.progress(), 1e-9, "3 final members and one at 50%");
    assertTrue(mid.eta().isPresent());
    assertFalse(mid.eta().orElseThrow().isBefore(mid.createdAt()));
    Gates.open(gate);
    assertEquals(BatchState.SUCCEEDED, awaitFinal(m, h.id()).state());
    List<BatchInfo> listed = m.batches().list(10);
    assertEquals(h.id(), listed.get(0).id());
    List<JobInfo> members = m.batches().members(h.id(), 2);
    assertEquals(
        List.of(h.members().get(0).id(), h.members().get(1).id()),
        members.stream().map(JobInfo::id).toList());
  }

  @Test
  void aBatchNeedsAMemberAndIsDispatchedOnce() {
    JobManager m = noWorkers();
    JobBatch empty = m.batch().onComplete(job("complete"));
    IllegalStateException e = assertThrows(IllegalStateException.class, empty::dispatch);
    assertTrue(e.getMessage().contains("no members"), e.getMessage());
    JobBatch b = m.batch().add(job("a0"));
    b.dispatch();
    assertThrows(IllegalStateException.class, b::dispatch);
    assertThrows(
        IllegalArgumentException.class,
        () -> m.batch().onSuccess(job("x"), DispatchOptions.builder().idempotencyKey("k").build()));
    assertTrue(m.batches().get("nope").isEmpty());
  }
}
