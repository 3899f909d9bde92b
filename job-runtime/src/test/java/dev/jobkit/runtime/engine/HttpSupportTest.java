package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobRegistry;
import dev.jobkit.LogLevel;
import dev.jobkit.Priority;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.ApiKeys.ApiKey;
import dev.jobkit.runtime.ApiKeys.CreatedKey;
import dev.jobkit.runtime.ApiKeys.Role;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.FeedCursor;
import dev.jobkit.runtime.JobDetail;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobFeed;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.NodeInfo;
import dev.jobkit.runtime.ThroughputBucket;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the HTTP API needs of the runtime (issue #11): actors, createdBy, clone, detail, search,
 * throughput, queue depths, nodes, API keys and the change feed, on both databases ({@link
 * HttpSupportSqliteTest}, {@link HttpSupportPostgresTest}).
 */
abstract class HttpSupportTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  HttpSupportTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  private JobManager open(JobManager.Builder b) {
    JobManager m = b.open();
    open.add(m);
    return m;
  }

  private JobManager jobs() {
    return open(
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(50))
            .progressInterval(Duration.ofMillis(10))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
            .shutdownGrace(Duration.ofSeconds(5)));
  }

  /** Queue "other" has no workers here, so jobs sent there stay QUEUED. */
  private static DispatchOptions.Builder other() {
    return DispatchOptions.builder().queue("other");
  }

  private static String gate() {
    return "http-" + UUID.randomUUID();
  }

  @Test
  void controlCallsRecordTheirActorAndDispatchesWhoCreatedTheJob() {
    JobManager jobs = open(db.builder().noWorkers());
    JobHandle<?> a = jobs.dispatch(new GreetJob("a"), other().createdBy("key:ci").build());
    JobHandle<?> b = jobs.dispatch(new GreetJob("b"), other().build());

    assertEquals(Optional.of("key:ci"), jobs.job(a.id()).orElseThrow().createdBy());
    assertEquals(Optional.empty(), jobs.job(b.id()).orElseThrow().createdBy());

    assertTrue(jobs.pause(a.id(), "key:ops"));
    assertTrue(jobs.resume(a.id(), "cli"));
    assertTrue(jobs.cancel(a.id(), "key:ops"));
    assertTrue(jobs.retry(a.id(), "local"));
    assertTrue(jobs.cancel(b.id()));

    List<JobEventInfo> events = jobs.events(a.id());
    assertEquals(
        List.of(
            Optional.of("key:ci"),
            Optional.of("key:ops"),
            Optional.of("cli"),
            Optional.of("key:ops"),
            Optional.of("local")),
        events.stream().map(JobEventInfo::actor).toList());
    for (JobEventInfo e : events) {
      assertEquals(a.id(), e.jobId());
      assertEquals("test.greet", e.jobName());
    }
    List<JobEventInfo> bEvents = jobs.events(b.id());
    assertEquals(Optional.empty(), bEvents.get(bEvents.size() - 1).actor());
    assertFalse(jobs.cancel("NO-SUCH-JOB", "cli"));
    assertThrows(
        IllegalArgumentException.class, () -> DispatchOptions.builder().createdBy(" ").build());
  }

  @Test
  void aHandleSaysWhetherItsDispatchCreatedTheJob() throws Exception {
    JobManager a = open(db.builder().noWorkers());
    JobManager b = open(db.builder().noWorkers());
    DispatchOptions keyed = other().idempotencyKey("once").build();
    JobHandle<?> first = a.dispatch(new GreetJob("a"), keyed);
    JobHandle<?> again = a.dispatch(new GreetJob("b"), keyed);
    assertTrue(first.created());
    assertFalse(again.created());
    assertEquals(first.id(), again.id());
    assertTrue(a.dispatch(new GreetJob("c"), other().build()).created());
    assertFalse(a.handle(first.id()).orElseThrow().created());
    assertTrue(a.clone(first.id(), "cli").orElseThrow().created());

    // Concurrent dispatches with one key from two managers: exactly one creates the job.
    for (int round = 0; round < 5; round++) {
      DispatchOptions race = other().idempotencyKey("race-" + round).build();
      CyclicBarrier start = new CyclicBarrier(8);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<JobHandle<?>>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          JobManager m = i % 2 == 0 ? a : b;
          fs.add(
              pool.submit(
                  () -> {
                    start.await();
                    return m.dispatch(new GreetJob("r"), race);
                  }));
        }
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (Future<JobHandle<?>> f : fs) {
          JobHandle<?> h = f.get(20, TimeUnit.SECONDS);
          ids.add(h.id());
          created += h.created() ? 1 : 0;
        }
        assertEquals(1, ids.size(), "one job per key");
        assertEquals(1, created, "exactly one dispatch created it");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aCloneHasTheSettingsAndParametersOfItsJobButNotItsKeyOrState() {
    JobManager jobs = open(db.builder().noWorkers());
    JobHandle<?> original =
        jobs.dispatch(
            new GreetJob("ada"),
            other()
                .priority(Priority.HIGH)
                .maxAttempts(7)
                .timeout(Duration.ofMinutes(3))
                .tags("x", "y")
                .idempotencyKey("order-1")
                .delay(Duration.ofHours(1))
                .build());
    jobs.cancel(original.id(), "cli");

    JobHandle<?> copy = jobs.clone(original.id(), "key:ops").orElseThrow();
    assertNotEquals(original.id(), copy.id());
    JobDetail c = jobs.detail(copy.id()).orElseThrow();
    JobDetail o = jobs.detail(original.id()).orElseThrow();
    JobInfo info = c.info();
    assertEquals("test.greet", info.name());
    assertEquals(JobState.QUEUED, info.state());
    assertEquals(Priority.HIGH, info.priority());
    assertEquals("other", info.queue());
    assertEquals(7, info.maxAttempts());
    assertEquals(List.of("x", "y"), info.tags());
    assertEquals(Optional.of("key:ops"), info.createdBy());
    assertEquals(Optional.of(Duration.ofMinutes(3)), c.timeout());
    assertEquals(Optional.empty(), c.idempotencyKey());
    assertEquals(Optional.of("order-1"), o.idempotencyKey());
    assertEquals(o.paramsJson(), c.paramsJson());
    assertTrue(c.paramsJson().orElseThrow().contains("\"ada\""), c.paramsJson().toString());
    assertFalse(c.runAt().isAfter(Instant.now().plusSeconds(60)), "due now: " + c.runAt());
    assertEquals(Optional.empty(), jobs.clone("NO-SUCH-JOB", "cli"));
  }

  @Test
  void detailDecodesParametersAndTheLatestCheckpoint() throws Exception {
    JobManager jobs = jobs();
    String gate = gate();
    JobHandle<String> h = jobs.dispatch(new CountingJob(5, 2, gate));
    Gates.await(gate + ".reached");

    JobDetail d = jobs.detail(h.id()).orElseThrow();
    assertEquals(Optional.empty(), d.decodeError());
    assertTrue(d.paramsJson().orElseThrow().contains("\"total\":5"), d.paramsJson().toString());
    assertTrue(d.stateJson().orElseThrow().contains("\"next\":2"), d.stateJson().toString());
    assertEquals(Optional.empty(), jobs.detail("NO-SUCH-JOB"));
    Gates.open(gate);
    h.result().get(10, TimeUnit.SECONDS);

    // A process that does not know the job type still shows the job, and says why it cannot decode.
    JobManager other = open(db.builder().noWorkers().registry(JobRegistry.of(List.of())));
    JobDetail unknown = other.detail(h.id()).orElseThrow();
    assertEquals(Optional.empty(), unknown.paramsJson());
    assertEquals(Optional.empty(), unknown.stateJson());
    assertTrue(
        unknown.decodeError().orElseThrow().contains("'test.count' is not registered"),
        unknown.decodeError().toString());
  }

  @Test
  void textSearchMatchesIdPrefixNameTagAndErrorText() throws Exception {
    JobManager jobs = jobs();
    JobHandle<?> tagged = jobs.dispatch(new GreetJob("t"), other().tags("nightly").build());
    JobHandle<?> plain = jobs.dispatch(new GreetJob("p"), other().build());
    JobHandle<Integer> failed =
        jobs.dispatch(new FlakyJob(0, true), DispatchOptions.builder().maxAttempts(1).build());
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> jobs.job(failed.id()).orElseThrow().state() == JobState.FAILED);

    assertEquals(Set.of(tagged.id()), ids(jobs, JobQuery.builder().text("nightly")));
    assertEquals(Set.of(failed.id()), ids(jobs, JobQuery.builder().text("BAD INPUT")));
    assertEquals(Set.of(failed.id()), ids(jobs, JobQuery.builder().text("test.flaky")));
    assertEquals(Set.of(tagged.id(), plain.id()), ids(jobs, JobQuery.builder().text("test.greet")));
    assertEquals(Set.of(plain.id()), ids(jobs, JobQuery.builder().text(plain.id().toLowerCase())));
    assertEquals(
        Set.of(tagged.id()),
        ids(jobs, JobQuery.builder().text("test.greet").tag("nightly")),
        "combined with the other criteria");
    assertEquals(Set.of(), ids(jobs, JobQuery.builder().text("nothing-like-this")));
    assertEquals(3, ids(jobs, JobQuery.builder().text("  ")).size(), "blank searches nothing");
    // Keyset paging works with a search.
    JobQuery q = JobQuery.builder().text("test.greet").limit(1).build();
    var first = jobs.list(q);
    var second = jobs.list(q.after(first.nextCursor().orElseThrow()));
    assertEquals(List.of(plain.id()), first.jobs().stream().map(JobInfo::id).toList());
    assertEquals(List.of(tagged.id()), second.jobs().stream().map(JobInfo::id).toList());
  }

  @Test
  void aSearchMatchingInDifferentWaysPagesThroughEachJobOnceNewestFirst() {
    JobManager jobs = jobs();
    // "test.greet" matches the greet jobs by name (some also by tag) and some flaky jobs by tag
    // only. Each way is its own query, merged by id.
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      DispatchOptions.Builder o = other();
      if (i % 3 == 0) {
        o.tags("test.greet");
      }
      expected.add(jobs.dispatch(new GreetJob("g" + i), o.build()).id());
      if (i % 2 == 0) {
        expected.add(jobs.dispatch(new FlakyJob(0, true), other().tags("test.greet").build()).id());
      }
      jobs.dispatch(new FlakyJob(0, true), other().build()); // matches in no way
    }
    java.util.Collections.reverse(expected);

    List<String> seen = new java.util.ArrayList<>();
    JobQuery q = JobQuery.builder().text("test.greet").limit(3).build();
    while (true) {
      var page = jobs.list(q);
      page.jobs().forEach(j -> seen.add(j.id()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(page.nextCursor().get());
    }
    assertEquals(expected, seen);
  }

  private static Set<String> ids(JobManager jobs, JobQuery.Builder q) {
    Set<String> out = new HashSet<>();
    jobs.list(q.build()).jobs().forEach(j -> out.add(j.id()));
    return out;
  }

  @Test
  void throughputCountsFinishesPerBucketAndQueueDepthsCountWaitingJobs() throws Exception {
    JobManager jobs = jobs();
    for (int i = 0; i < 3; i++) {
      jobs.dispatch(new GreetJob("g" + i)).result().get(10, TimeUnit.SECONDS);
    }
    JobHandle<Integer> failed =
        jobs.dispatch(new FlakyJob(0, true), DispatchOptions.builder().maxAttempts(1).build());
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> jobs.job(failed.id()).orElseThrow().state() == JobState.FAILED);
    jobs.dispatch(new GreetJob("w1"), other().build());
    jobs.dispatch(new GreetJob("w2"), other().build());
    jobs.dispatch(new GreetJob("w3"), other().delay(Duration.ofHours(1)).build());

    List<ThroughputBucket> buckets = jobs.throughput(Duration.ofHours(1), Duration.ofMinutes(1));
    assertEquals(60, buckets.size());
    for (int i = 1; i < buckets.size(); i++) {
      assertEquals(
          Duration.ofMinutes(1),
          Duration.between(buckets.get(i - 1).start(), buckets.get(i).start()));
    }
    Instant now = Instant.now();
    ThroughputBucket last = buckets.get(59);
    assertFalse(last.start().isAfter(now));
    assertTrue(last.start().plus(Duration.ofMinutes(1)).isAfter(now.minusSeconds(5)));
    assertEquals(3, buckets.stream().mapToLong(ThroughputBucket::completed).sum());
    assertEquals(1, buckets.stream().mapToLong(ThroughputBucket::failed).sum());
    assertEquals(0, buckets.get(0).completed());
    assertThrows(
        IllegalArgumentException.class,
        () -> jobs.throughput(Duration.ofMinutes(1), Duration.ofHours(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> jobs.throughput(Duration.ofDays(365), Duration.ofSeconds(1)));

    assertEquals(Map.of("other", 3L), jobs.queueDepths());
  }

  @Test
  void nodesAreListedOnPostgresAndEmptyOnSqlite() {
    JobManager jobs = jobs();
    List<NodeInfo> nodes = jobs.nodes();
    if (backend == TestDatabase.Backend.SQLITE) {
      assertEquals(List.of(), nodes);
      return;
    }
    assertEquals(1, nodes.size(), nodes.toString());
    NodeInfo n = nodes.get(0);
    assertEquals(jobs.health().ownerId(), n.id());
    assertEquals(List.of("default"), n.queues());
    assertTrue(n.alive());
    assertFalse(n.heartbeatAt().isBefore(n.startedAt()));
  }

  @Test
  void apiKeysAreCreatedOnceVerifiedByTheirSecretAndRevoked() {
    JobManager jobs = open(db.builder().noWorkers());
    ApiKeys keys = jobs.apiKeys();
    assertFalse(keys.anyActive());

    CreatedKey ci = keys.create("ci", Role.OPERATOR, "cli");
    assertTrue(ci.secret().matches("jk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}"), ci.secret());
    assertTrue(ci.secret().contains(ci.key().id()));
    assertFalse(ci.toString().contains(ci.secret()), ci.toString());
    assertEquals(Optional.of("cli"), ci.key().createdBy());
    assertEquals(Optional.empty(), ci.key().lastUsedAt());
    assertTrue(keys.anyActive());

    ApiKey verified = keys.verify(ci.secret()).orElseThrow();
    assertEquals("ci", verified.name());
    assertEquals(Role.OPERATOR, verified.role());
    assertTrue(keys.list().get(0).lastUsedAt().isPresent(), "last use recorded");
    assertEquals(Optional.empty(), keys.verify(ci.secret() + "x"));
    String wrong = ci.secret().substring(0, ci.secret().length() - 1) + "A";
    assertEquals(Optional.empty(), keys.verify(wrong.equals(ci.secret()) ? wrong + "B" : wrong));
    assertEquals(Optional.empty(), keys.verify("jk_0000000000000000_" + "A".repeat(43)));
    assertEquals(Optional.empty(), keys.verify(""));
    assertEquals(Optional.empty(), keys.verify(null));
    assertTrue(keys.secretHash(ci.key().id()).orElseThrow().matches("[0-9a-f]{64}"));

    IllegalStateException dup =
        assertThrows(IllegalStateException.class, () -> keys.create("ci", Role.ADMIN, "cli"));
    assertTrue(dup.getMessage().contains("jobkit keys revoke ci"), dup.getMessage());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> keys.create("CI!", Role.ADMIN, null));
    assertTrue(bad.getMessage().contains("'CI!'"), bad.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> keys.create("x".repeat(65), Role.ADMIN, null));

    CreatedKey admin = keys.create("admin-1", Role.ADMIN, null);
    assertEquals(List.of("admin-1", "ci"), keys.list().stream().map(ApiKey::name).toList());

    assertTrue(keys.revoke("ci", "cli"));
    assertFalse(keys.revoke("ci", "cli"), "already revoked");
    assertEquals(Optional.empty(), keys.verify(ci.secret()));
    assertEquals(Optional.empty(), keys.secretHash(ci.key().id()));
    assertTrue(keys.list().stream().anyMatch(k -> k.name().equals("ci") && !k.active()));
    // The name is free again once its key is revoked; revoking by id works too.
    CreatedKey again = keys.create("ci", Role.VIEWER, "cli");
    assertTrue(keys.revoke(admin.key().id(), "cli"));
    assertTrue(keys.anyActive());
    assertTrue(keys.revoke("ci", "cli"));
    assertFalse(keys.anyActive());
    assertEquals(3, keys.list().size());
    assertEquals(Optional.empty(), keys.verify(again.secret()));
  }

  @Test
  void rolesAreOrdered() {
    assertTrue(Role.ADMIN.allows(Role.OPERATOR));
    assertTrue(Role.OPERATOR.allows(Role.OPERATOR));
    assertFalse(Role.VIEWER.allows(Role.OPERATOR));
    assertEquals(Role.OPERATOR, Role.parse("Operator"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
    assertTrue(e.getMessage().contains("viewer, operator or admin"), e.getMessage());
  }

  @Test
  void theFeedDeliversEventsLogsAndProgressOnceEachAndResumesWithoutGaps() throws Exception {
    JobManager jobs = jobs();
    JobFeed feed = jobs.feed();
    JobHandle<?> before = jobs.dispatch(new GreetJob("before"), other().build());
    jobs.cancel(before.id(), "cli");
    FeedCursor head = feed.head();
    JobFeed.Tail tail = feed.tail(head);

    String gate = gate();
    JobHandle<String> counting = jobs.dispatch(new CountingJob(5, 3, gate));
    Gates.await(gate + ".reached");
    JobHandle<String> greet = jobs.dispatch(new GreetJob("ada"));
    greet.result().get(10, TimeUnit.SECONDS);
    JobHandle<?> queued = jobs.dispatch(new GreetJob("q"), other().build());
    jobs.pause(queued.id(), "key:ops");

    List<JobEventInfo> events = new ArrayList<>();
    List<JobLogLine> logs = new ArrayList<>();
    List<JobFeed.ProgressUpdate> progress = new ArrayList<>();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> {
              JobFeed.Batch b = tail.poll(2);
              events.addAll(b.events());
              logs.addAll(b.logs());
              progress.addAll(b.progress());
              return events.stream().anyMatch(e -> e.jobId().equals(queued.id()))
                  && logs.stream().anyMatch(l -> l.jobId().equals(greet.id()))
                  && progress.stream().anyMatch(p -> p.progressJson().contains("3"));
            });
    assertTrue(events.stream().noneMatch(e -> e.jobId().equals(before.id())), "before the head");
    JobEventInfo paused =
        events.stream().filter(e -> e.jobId().equals(queued.id())).findFirst().orElseThrow();
    assertEquals("test.greet", paused.jobName());
    assertEquals(Optional.of(JobState.PAUSED), paused.to());
    assertEquals(Optional.of("key:ops"), paused.actor());
    JobLogLine line = logs.stream().filter(l -> l.jobId().equals(greet.id())).findFirst().get();
    assertEquals("greeting ada", line.message());
    assertEquals(LogLevel.INFO, line.level());
    JobFeed.ProgressUpdate p =
        progress.stream().filter(u -> u.jobId().equals(counting.id())).reduce((x, y) -> y).get();
    assertEquals("test.count", p.jobName());
    assertEquals(
        events.size(), events.stream().map(JobEventInfo::id).distinct().count(), "no repeats");
    assertEquals(logs.size(), logs.stream().map(JobLogLine::id).distinct().count());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i - 1).id() < events.get(i).id(), "oldest first");
    }
    // Unchanged progress is not repeated.
    JobFeed.Batch quiet = tail.poll(100);
    assertTrue(quiet.progress().stream().noneMatch(u -> u.jobId().equals(counting.id())));

    // A new tail from the last resume point delivers nothing this one missed, and nothing before.
    FeedCursor resume = FeedCursor.parse(quiet.resumeFrom().toString());
    assertEquals(quiet.resumeFrom(), resume);
    Gates.open(gate);
    counting.result().get(10, TimeUnit.SECONDS);
    JobFeed.Tail second = feed.tail(resume);
    List<JobEventInfo> later = new ArrayList<>();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> {
              later.addAll(second.poll(100).events());
              return later.stream()
                  .anyMatch(
                      e ->
                          e.jobId().equals(counting.id())
                              && e.to().equals(Optional.of(JobState.COMPLETED)));
            });
    assertTrue(later.stream().allMatch(e -> e.id() > head.eventId()));
  }

  @Test
  void theFeedReportsDispatchesOfEveryManagerOnceEachAfterTheSettleWindow() throws Exception {
    JobManager a = open(db.builder().noWorkers());
    JobManager b = open(db.builder().noWorkers());
    JobFeed.Tail tail = a.feed().tail(a.feed().head());
    JobHandle<?> first = b.dispatch(new GreetJob("b1"), other().createdBy("cli").build());
    JobHandle<?> later = b.dispatch(new GreetJob("b2"), other().delay(Duration.ofHours(1)).build());
    assertTrue(b.cancel(first.id(), "key:ops"));
    long dispatchedAt = System.nanoTime();

    List<JobEventInfo> seen = new ArrayList<>();
    FeedCursor[] resume = new FeedCursor[1];
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () -> {
              JobFeed.Batch batch = tail.poll(100);
              seen.addAll(batch.dispatches());
              resume[0] = batch.resumeFrom();
              return seen.stream().anyMatch(e -> e.jobId().equals(later.id()));
            });
    assertTrue(
        System.nanoTime() - dispatchedAt
            >= JobFeed.DISPATCH_SETTLE.toNanos() - TimeUnit.MILLISECONDS.toNanos(200),
        "not before the settle window");
    assertEquals(List.of(first.id(), later.id()), seen.stream().map(JobEventInfo::jobId).toList());
    JobEventInfo created = seen.get(0);
    assertEquals(JobEventInfo.Kind.CREATED, created.kind());
    assertEquals(Optional.of(JobState.QUEUED), created.to(), "its first state, not CANCELLED");
    assertEquals(Optional.of("cli"), created.actor());
    assertEquals("test.greet", created.jobName());
    assertEquals(Optional.of(JobState.SCHEDULED), seen.get(1).to());
    assertTrue(resume[0].jobId().compareTo(later.id()) >= 0, resume[0].toString());
    assertTrue(tail.poll(100).dispatches().isEmpty(), "each once");

    // A tail from the start delivers them again, one from a later cursor does not.
    assertEquals(2, a.feed().tail(FeedCursor.START).poll(100).dispatches().size());
    assertTrue(a.feed().tail(resume[0]).poll(100).dispatches().isEmpty());
  }

  @Test
  void feedCursorsParseTheirOwnTextAndRefuseAnythingElse() {
    assertEquals(new FeedCursor(12, 345), FeedCursor.parse("12.345"));
    assertEquals("12.345", new FeedCursor(12, 345).toString());
    assertEquals(null, FeedCursor.parse("12.345").jobId(), "a cursor of earlier versions");
    FeedCursor three = new FeedCursor(12, 345, "01M84C27J82P29FKJ0YA4MW632");
    assertEquals("12.345.01M84C27J82P29FKJ0YA4MW632", three.toString());
    assertEquals(three, FeedCursor.parse(three.toString()));
    assertEquals(FeedCursor.START, FeedCursor.parse(FeedCursor.START.toString()));
    for (String bad :
        new String[] {
          "",
          "12",
          "12.",
          ".3",
          "a.b",
          "-1.2",
          "1.2.",
          "1.2.3.4",
          "1.2.01m84",
          "1.2.01U84",
          "1.2." + "0".repeat(27),
          "99999999999999999999.1"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> FeedCursor.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("feed cursor '"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    assertThrows(IllegalArgumentException.class, () -> FeedCursor.parse(null));
  }
}
