package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.BatchInfo;
import dev.jobkit.runtime.BatchState;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobRecord;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobTransfer;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches moved between databases (#12 batches) on both databases ({@link BatchTransferSqliteTest},
 * {@link BatchTransferPostgresTest}): a batch exported while it runs, with one member done, goes on
 * in the database it is imported into, where its success callback runs once; a migration copies it
 * exactly; jobs exported without batches (older files) still import and run.
 */
abstract class BatchTransferTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();
  private final String p = UUID.randomUUID().toString().substring(0, 8) + "-";

  BatchTransferTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  private TestDatabase database(String name) throws Exception {
    return backend.create(Files.createDirectories(dir.resolve(name)));
  }

  private JobManager client(TestDatabase db) {
    JobManager m = db.builder().dataDirectory(dir.resolve("data")).noWorkers().open();
    open.add(m);
    return m;
  }

  private JobManager workers(TestDatabase db, String queue) {
    JobManager m =
        db.builder()
            .dataDirectory(dir.resolve("data"))
            .workers(queue, 2)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    open.add(m);
    return m;
  }

  private BatchJob job(String name) {
    return new BatchJob(p + name);
  }

  /**
   * A batch of three members, a0 in queue "first" and a1, a2 in "default", with the three
   * callbacks, of which a0 has completed (run by a worker of "first" only, then closed).
   */
  private BatchHandle halfDone(TestDatabase db) {
    JobManager m = client(db);
    BatchHandle h =
        m.batch()
            .name(p + "batch")
            .add(job("a0"), DispatchOptions.builder().queue("first").build())
            .add(job("a1"))
            .add(job("a2"))
            .onSuccess(job("success"))
            .onFailure(job("failure"))
            .onComplete(job("complete"))
            .dispatch();
    JobManager first = workers(db, "first");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> m.batches().get(h.id()).orElseThrow().completed() == 1);
    first.close();
    return h;
  }

  @Test
  void aRunningBatchExportedAndImportedGoesOnAndItsSuccessCallbackRunsOnceThere() throws Exception {
    TestDatabase sourceDb = database("source");
    BatchHandle h = halfDone(sourceDb);
    JobManager source = client(sourceDb);
    List<JobTransfer.BatchRecord> batches = new ArrayList<>();
    List<JobRecord> jobs = new ArrayList<>();
    assertEquals(1, source.transfer().exportBatches(JobQuery.all(), batches::add));
    source.transfer().exportJobs(JobQuery.all(), jobs::add);
    assertEquals(6, jobs.size());
    JobTransfer.BatchRecord b = batches.get(0);
    assertEquals(h.id(), b.id());
    assertEquals(BatchState.RUNNING, b.state());
    assertEquals(3, b.total());
    assertEquals(1, b.completed());
    assertEquals(
        3, jobs.stream().filter(j -> j.batchId().equals(Optional.of(h.id()))).count(), "members");

    TestDatabase targetDb = database("target");
    JobManager target = client(targetDb);
    // The batch goes with the first page of its jobs; here, jobs of two calls.
    JobTransfer.ImportResult first =
        target.transfer().importJobs(jobs.subList(0, 2), batches, false);
    assertEquals(List.of(h.id()), first.batchesInserted());
    target.transfer().importJobs(jobs.subList(2, jobs.size()), List.of(), false);
    BatchInfo moved = target.batches().get(h.id()).orElseThrow();
    assertEquals(BatchState.RUNNING, moved.state());
    assertEquals(1, moved.completed());
    assertEquals(3, moved.total());
    assertEquals(p + "batch", moved.name().orElseThrow());
    String success = moved.onSuccessJobId().orElseThrow();
    assertEquals(JobState.WAITING, target.job(success).orElseThrow().state());
    assertEquals(h.id(), target.batches().batchOf(h.members().get(1).id()).orElseThrow());
    // Imported again: the batch is skipped as the jobs are.
    assertEquals(
        List.of(h.id()), target.transfer().importJobs(List.of(), batches, false).batchesSkipped());

    workers(targetDb, "default");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> target.batches().get(h.id()).orElseThrow().state().isFinal());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> target.job(success).orElseThrow().state() == JobState.COMPLETED);
    String complete = moved.onCompleteJobId().orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> target.job(complete).orElseThrow().state() == JobState.COMPLETED);
    BatchInfo end = target.batches().get(h.id()).orElseThrow();
    assertEquals(BatchState.SUCCEEDED, end.state());
    assertEquals(3, end.completed());
    assertEquals(1, BatchJob.runs(p + "success"));
    assertEquals(1, BatchJob.runs(p + "complete"));
    assertEquals(0, BatchJob.runs(p + "failure"));
    assertEquals(
        JobState.CANCELLED, target.job(moved.onFailureJobId().orElseThrow()).orElseThrow().state());
    assertEquals(1, BatchJob.runs(p + "a0"), "the member done in the source does not run again");
  }

  @Test
  void aBatchWhoseMembersAllEndedSinceItsRowWasReadEndsOnImport() throws Exception {
    // The export reads the batch before its members: members may end in between. The import
    // counts them from the members and ends the batch, firing its callbacks there once.
    TestDatabase sourceDb = database("source");
    BatchHandle h = halfDone(sourceDb);
    JobManager source = client(sourceDb);
    List<JobTransfer.BatchRecord> batches = new ArrayList<>();
    source.transfer().exportBatches(JobQuery.all(), batches::add);
    JobManager rest = workers(sourceDb, "default");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> source.batches().get(h.id()).orElseThrow().completed() == 3);
    rest.close();
    List<JobRecord> jobs = new ArrayList<>();
    source.transfer().exportJobs(JobQuery.all(), jobs::add);
    assertEquals(1, batches.get(0).completed(), "read before the members ended");

    JobManager target = client(database("target"));
    target.transfer().importJobs(jobs, batches, false);
    BatchInfo moved = target.batches().get(h.id()).orElseThrow();
    assertEquals(3, moved.completed());
    assertEquals(BatchState.SUCCEEDED, moved.state());
  }

  @Test
  void aMigrationCopiesBatchesExactly() throws Exception {
    TestDatabase sourceDb = database("source");
    BatchHandle h = halfDone(sourceDb);
    JobManager source = client(sourceDb);
    JobManager target = client(database("target"));
    JobTransfer.MigrationReport r = source.transfer().migrateTo(target);
    assertEquals(1, r.batches());
    assertEquals(6, r.jobs());
    List<JobTransfer.BatchRecord> here = new ArrayList<>();
    List<JobTransfer.BatchRecord> there = new ArrayList<>();
    source.transfer().exportBatches(JobQuery.all(), here::add);
    target.transfer().exportBatches(JobQuery.all(), there::add);
    assertEquals(1, here.size());
    assertEquals(here, there);
    assertEquals(1, there.get(0).completed());
    assertEquals(
        h.id(), target.batches().batchOf(h.members().get(2).id()).orElseThrow(), "a member");
  }

  @Test
  void jobsWithoutBatchesAsOlderExportsHaveThemStillImportAndRun() throws Exception {
    TestDatabase sourceDb = database("source");
    BatchHandle h = halfDone(sourceDb);
    List<JobRecord> jobs = new ArrayList<>();
    client(sourceDb).transfer().exportJobs(JobQuery.all(), jobs::add);
    List<JobRecord> old = jobs.stream().map(j -> j.withBatchId(Optional.empty())).toList();
    TestDatabase targetDb = database("target");
    JobManager target = client(targetDb);
    JobTransfer.ImportResult r = target.transfer().importJobs(old, false);
    assertEquals(6, r.inserted().size());
    assertTrue(target.batches().get(h.id()).isEmpty());
    workers(targetDb, "default");
    String a1 = h.members().get(1).id();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> target.job(a1).orElseThrow().state() == JobState.COMPLETED);
  }
}
