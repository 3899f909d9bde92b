package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobGraph;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobParent;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobStateException;
import dev.jobkit.runtime.OnParentFailure;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dependencies between jobs (#12) on both databases ({@link DependenciesSqliteTest}, {@link
 * DependenciesPostgresTest}): chains and fan-in with typed outputs, each failure policy, retry
 * re-arming, graphs in one transaction, unknown parents, the batched completion path, and children
 * started by the transaction that completes their parent rather than by polling.
 *
 * <p>Workers poll only every ten minutes here, so every job that runs within the test's waits was
 * started by a wake-up, not by a poll.
 */
abstract class DependenciesTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  /** Unique per test, so that {@link DepJob#FAILING} entries of other tests do not interfere. */
  private final String p = UUID.randomUUID().toString().substring(0, 8) + "-";

  DependenciesTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
    DepJob.FAILING.removeIf(n -> n.startsWith(p));
  }

  private JobManager workers(int n) {
    JobManager m =
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", n)
            .pollInterval(Duration.ofMinutes(10))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    open.add(m);
    return m;
  }

  private JobManager noWorkers() {
    JobManager m = db.builder().dataDirectory(dir.resolve("jobkit-data")).noWorkers().open();
    open.add(m);
    return m;
  }

  private DepJob job(String name) {
    return new DepJob(p + name);
  }

  private String out(String s) {
    return s.replace("%", p);
  }

  private static <T> T get(JobHandle<T> h) throws Exception {
    return h.result().get(30, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  private static JobHandle<String> handle(JobManager m, String id) {
    return (JobHandle<String>) m.handle(id).orElseThrow();
  }

  private static JobState stateOf(JobManager m, String id) {
    return m.job(id).orElseThrow().state();
  }

  private static void awaitState(JobManager m, String id, JobState s) {
    await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(m, id) == s);
  }

  private static DispatchOptions after(String... ids) {
    return DispatchOptions.builder().dependsOn(ids).build();
  }

  // ---------------------------------------------------------------- the happy paths

  @Test
  void aChainRunsInOrderAndEachJobReadsItsParentsOutput() throws Exception {
    // Dispatched before any worker runs, so that no parent can complete before its child exists.
    JobManager client = noWorkers();
    String aId = client.dispatch(job("a")).id();
    String bId = client.dispatch(job("b"), after(aId)).id();
    String cId = client.dispatch(job("c"), after(bId)).id();
    JobManager jobs = workers(2);
    JobHandle<String> b = handle(jobs, bId);
    JobHandle<String> c = handle(jobs, cId);
    assertEquals(out("%c(%b(%a))"), get(c));
    assertEquals(out("%b(%a)"), get(b));
    // c was created waiting, and queued by the transaction that completed b.
    List<JobEventInfo> ev = jobs.events(c.id());
    assertEquals(Optional.of(JobState.WAITING), ev.get(0).to());
    assertEquals(
        List.of(JobState.QUEUED, JobState.RUNNING, JobState.COMPLETED),
        ev.stream().skip(1).map(e -> e.to().orElseThrow()).toList());
    assertEquals(
        List.of(b.id()),
        jobs.parents(c.id()).stream().filter(JobParent::satisfied).map(JobParent::id).toList());
  }

  @Test
  void aChildIsQueuedInTheTransactionThatCompletesItsParent() throws Exception {
    JobGraph g = noWorkers().graph();
    JobGraph.Node an = g.add(job("a"));
    JobGraph.Node bn = g.add(job("b"), an);
    g.dispatch();
    JobManager jobs = workers(1);
    JobHandle<String> a = handle(jobs, an.id());
    JobHandle<String> b = handle(jobs, bn.id());
    assertEquals(out("%b(%a)"), get(b)); // polls every 10 min: it was woken
    JobEventInfo parentDone = event(jobs, a.id(), JobState.RUNNING, JobState.COMPLETED);
    JobEventInfo childQueued = event(jobs, b.id(), JobState.WAITING, JobState.QUEUED);
    // One transaction: the same time stamp, the child's event written after the parent's.
    assertEquals(parentDone.at(), childQueued.at());
    assertTrue(childQueued.id() > parentDone.id(), parentDone + " / " + childQueued);
  }

  private static JobEventInfo event(JobManager m, String id, JobState from, JobState to) {
    return m.events(id).stream()
        .filter(e -> e.from().equals(Optional.of(from)) && e.to().equals(Optional.of(to)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + ": no " + from + " -> " + to));
  }

  @Test
  void aGraphFansOutAndInAndTheFanInGetsTheOutputsInParentOrder() throws Exception {
    JobManager jobs = workers(4);
    JobGraph g = jobs.graph();
    JobGraph.Node root = g.add(job("r"));
    List<JobGraph.Node> mids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      mids.add(g.add(job("m" + i), root));
    }
    JobGraph.Node join = g.add(job("j"), mids.toArray(JobGraph.Node[]::new));
    List<JobHandle<?>> handles = g.dispatch();
    assertEquals(8, handles.size());
    assertEquals(join.id(), handles.get(join.index()).id());
    assertEquals(out("%j(%m0(%r),%m1(%r),%m2(%r),%m3(%r),%m4(%r),%m5(%r))"), get(handles.get(7)));
    assertEquals(
        mids.stream().map(JobGraph.Node::id).toList(),
        jobs.parents(join.id()).stream().map(JobParent::id).toList());
  }

  @Test
  void aParentThatCompletedAlreadyCountsAsDone() throws Exception {
    JobManager jobs = workers(1);
    JobHandle<String> a = jobs.dispatch(job("a"));
    get(a);
    JobHandle<String> b = jobs.dispatch(job("b"), after(a.id()));
    assertEquals(JobState.QUEUED, jobs.events(b.id()).get(0).to().orElseThrow());
    assertEquals(out("%b(%a)"), get(b));
  }

  @Test
  void aGraphParentWhoseKeyFindsACompletedJobLetsItsChildRunAtOnce() throws Exception {
    // Children are inserted WAITING when a parent is in the graph; this parent's idempotency key
    // finds a stored job that completed, so the child must come out QUEUED after all.
    JobManager jobs = workers(1);
    DispatchOptions keyed = DispatchOptions.builder().idempotencyKey(p + "k").build();
    JobHandle<String> stored = jobs.dispatch(job("a"), keyed);
    get(stored);
    JobGraph g = jobs.graph();
    JobGraph.Node a = g.add(job("a"), keyed);
    g.add(job("b"), a);
    List<JobHandle<?>> hs = g.dispatch();
    assertEquals(stored.id(), hs.get(0).id());
    assertEquals(JobState.QUEUED, jobs.events(hs.get(1).id()).get(0).to().orElseThrow());
    assertEquals(out("%b(%a)"), get(handle(jobs, hs.get(1).id())));
  }

  @Test
  void aGraphParentWhoseKeyFindsAQueuedJobMakesItsChildWaitForThatJob() {
    JobManager jobs = noWorkers();
    DispatchOptions keyed = DispatchOptions.builder().idempotencyKey(p + "k").build();
    JobHandle<String> stored = jobs.dispatch(job("a"), keyed);
    JobGraph g = jobs.graph();
    JobGraph.Node a = g.add(job("a"), keyed);
    g.add(job("b"), a);
    List<JobHandle<?>> hs = g.dispatch();
    assertEquals(JobState.WAITING, stateOf(jobs, hs.get(1).id()));
    assertEquals(stored.id(), jobs.parents(hs.get(1).id()).get(0).id());
  }

  @Test
  void manySmallParentsCompletedInBatchesUnblockTheirChildren() throws Exception {
    JobManager jobs = workers(4);
    JobGraph g = jobs.graph();
    List<JobGraph.Node> children = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      JobGraph.Node parent = g.add(job("p" + i));
      children.add(g.add(job("c" + i), parent));
    }
    List<JobHandle<?>> h = g.dispatch();
    for (int i = 0; i < 300; i++) {
      assertEquals(out("%c" + i + "(%p" + i + ")"), get(h.get(children.get(i).index())));
    }
  }

  // ---------------------------------------------------------------- failure policies

  @Test
  void aFailedParentCancelsItsChildAndTheChildsDescendantsByDefault() {
    DepJob.FAILING.add(p + "a");
    JobManager jobs = workers(2);
    JobHandle<String> a = jobs.dispatch(job("a"));
    JobHandle<String> b = jobs.dispatch(job("b"), after(a.id()));
    JobHandle<String> c = jobs.dispatch(job("c"), after(b.id()));
    awaitState(jobs, c.id(), JobState.CANCELLED);
    assertEquals(JobState.FAILED, stateOf(jobs, a.id()));
    assertEquals(JobState.CANCELLED, stateOf(jobs, b.id()));
    assertEquals(
        Optional.of("parent " + a.id() + " ended FAILED"), jobs.job(b.id()).orElseThrow().error());
    assertEquals(
        Optional.of("parent " + b.id() + " ended CANCELLED"),
        jobs.job(c.id()).orElseThrow().error());
    event(jobs, b.id(), JobState.WAITING, JobState.CANCELLED);
    assertTrue(
        jobs.events(b.id()).stream().noneMatch(e -> e.to().equals(Optional.of(JobState.RUNNING))));
  }

  @Test
  void policyFailFailsTheChildWithoutRunningIt() {
    DepJob.FAILING.add(p + "a");
    JobManager jobs = workers(2);
    JobHandle<String> a = jobs.dispatch(job("a"));
    JobHandle<String> b =
        jobs.dispatch(
            job("b"), DispatchOptions.builder().dependsOn(a.id(), OnParentFailure.FAIL).build());
    awaitState(jobs, b.id(), JobState.FAILED);
    JobInfo info = jobs.job(b.id()).orElseThrow();
    assertEquals(Optional.of("parent " + a.id() + " ended FAILED"), info.error());
    assertEquals(0, info.attempts());
  }

  @Test
  void policyRunAnywayRunsTheChildWithANullOutputForTheFailedParent() throws Exception {
    DepJob.FAILING.add(p + "a");
    JobManager jobs = workers(2);
    JobHandle<String> a = jobs.dispatch(job("a"));
    JobHandle<String> ok = jobs.dispatch(job("ok"));
    JobHandle<String> b =
        jobs.dispatch(
            job("b"),
            DispatchOptions.builder()
                .dependsOn(a.id(), OnParentFailure.RUN_ANYWAY)
                .dependsOn(ok.id())
                .build());
    // Woken by the failure's transaction, not by a poll.
    assertEquals(out("%b(null,%ok)"), get(b));
    assertTrue(jobs.parents(b.id()).stream().allMatch(JobParent::satisfied));
  }

  @Test
  void aParentThatFailedAlreadyAppliesThePolicyAtDispatch() {
    DepJob.FAILING.add(p + "a");
    JobManager jobs = workers(1);
    JobHandle<String> a = jobs.dispatch(job("a"));
    awaitState(jobs, a.id(), JobState.FAILED);
    JobManager client = noWorkers();
    String b = client.dispatch(job("b"), after(a.id())).id();
    String c =
        client
            .dispatch(
                job("c"), DispatchOptions.builder().dependsOn(a.id(), OnParentFailure.FAIL).build())
            .id();
    assertEquals(JobState.CANCELLED, stateOf(client, b));
    assertEquals(JobState.FAILED, stateOf(client, c));
    assertEquals(
        List.of(JobState.WAITING, JobState.CANCELLED),
        client.events(b).stream().map(e -> e.to().orElseThrow()).toList());
  }

  @Test
  void retryingAFailedParentReArmsTheDescendantsItCancelled() throws Exception {
    DepJob.FAILING.add(p + "a");
    JobManager jobs = workers(2);
    JobHandle<String> a = jobs.dispatch(job("a"));
    JobHandle<String> b = jobs.dispatch(job("b"), after(a.id()));
    JobHandle<String> c = jobs.dispatch(job("c"), after(b.id()));
    awaitState(jobs, c.id(), JobState.CANCELLED);
    DepJob.FAILING.remove(p + "a");
    assertTrue(jobs.retry(a.id(), "tester"));
    awaitState(jobs, c.id(), JobState.COMPLETED);
    assertEquals(
        out("%c(%b(%a))"),
        jobs.job(c.id()).orElseThrow().outputJson().orElseThrow().replace("\"", ""));
    JobEventInfo rearmed = event(jobs, b.id(), JobState.CANCELLED, JobState.WAITING);
    assertEquals(Optional.of("tester"), rearmed.actor());
    event(jobs, c.id(), JobState.CANCELLED, JobState.WAITING);
  }

  @Test
  void cancellingAWaitingParentCancelsItsChildren() {
    JobManager jobs = noWorkers();
    String a = jobs.dispatch(job("a")).id();
    String b = jobs.dispatch(job("b"), after(a)).id();
    String c = jobs.dispatch(job("c"), after(b)).id();
    assertEquals(JobState.WAITING, stateOf(jobs, b));
    assertTrue(jobs.cancel(b));
    assertEquals(JobState.CANCELLED, stateOf(jobs, c));
    assertEquals(JobState.QUEUED, stateOf(jobs, a));
  }

  // ---------------------------------------------------------------- waiting jobs and control

  @Test
  void aWaitingJobListsWhatItWaitsForAndRefusesPause() {
    JobManager jobs = noWorkers();
    String a = jobs.dispatch(job("a")).id();
    String done = jobs.dispatch(job("x")).id();
    String b = jobs.dispatch(job("b"), after(a, done)).id();
    assertEquals(JobState.WAITING, stateOf(jobs, b));
    List<JobParent> parents = jobs.parents(b);
    assertEquals(List.of(a, done), parents.stream().map(JobParent::id).toList());
    assertEquals(Optional.of(JobState.QUEUED), parents.get(0).state());
    assertEquals(Optional.of("test.dep"), parents.get(0).name());
    assertFalse(parents.get(0).satisfied());
    assertEquals(OnParentFailure.CANCEL, parents.get(0).onFailure());
    assertEquals(List.of(), jobs.parents(a));
    JobStateException e = assertThrows(JobStateException.class, () -> jobs.pause(b));
    assertTrue(e.getMessage().contains("WAITING"), e.getMessage());
    assertTrue(jobs.retry(b)); // nothing to do: it runs when its parents are done
    assertTrue(jobs.resume(b));
    assertEquals(JobState.WAITING, stateOf(jobs, b));
    assertEquals(
        List.of(b),
        jobs.list(JobQuery.builder().states(JobState.WAITING).build()).jobs().stream()
            .map(JobInfo::id)
            .toList());
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void anUnknownParentFailsTheDispatchWithAOneLineErrorNamingIt() {
    JobManager jobs = noWorkers();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> jobs.dispatch(job("b"), after("01NOSUCHJOB0000000000000000")));
    assertTrue(e.getMessage().contains("01NOSUCHJOB0000000000000000"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(0, jobs.list(JobQuery.builder().build()).jobs().size());
  }

  @Test
  void aGraphIsDispatchedInOneTransactionAllOrNothing() {
    JobManager jobs = noWorkers();
    JobGraph g = jobs.graph();
    JobGraph.Node a = g.add(job("a"));
    JobGraph.Node b = g.add(job("b"), a);
    g.add(job("c"), after("01NOSUCHJOB0000000000000000"), a, b);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::dispatch);
    assertTrue(e.getMessage().contains("01NOSUCHJOB0000000000000000"), e.getMessage());
    assertEquals(0, jobs.list(JobQuery.builder().build()).jobs().size());
    // Edges only point back: a node cannot wait for a later one, nor for a node of another graph.
    JobGraph h = jobs.graph();
    JobGraph.Node x = h.add(job("x"));
    JobGraph.Node y = h.add(job("y"));
    assertThrows(IllegalArgumentException.class, () -> h.dependsOn(x, y, OnParentFailure.CANCEL));
    assertThrows(IllegalArgumentException.class, () -> h.add(job("z"), a));
    h.dependsOn(y, x, OnParentFailure.RUN_ANYWAY);
    List<JobHandle<?>> handles = h.dispatch();
    assertEquals(JobState.WAITING, handles.get(1).status());
    assertEquals(OnParentFailure.RUN_ANYWAY, jobs.parents(y.id()).get(0).onFailure());
    assertThrows(IllegalStateException.class, h::dispatch);
  }
}
