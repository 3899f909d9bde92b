package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobRegistry;
import dev.jobkit.LogLevel;
import dev.jobkit.runtime.AmbiguousJobPrefixException;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.Health;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobPage;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobStateException;
import dev.jobkit.runtime.JobStats;
import dev.jobkit.runtime.JobType;
import dev.jobkit.runtime.LogQuery;
import dev.jobkit.runtime.StorageInfo;
import dev.jobkit.runtime.ThroughputBucket;
import dev.jobkit.runtime.internal.store.SettableClock;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries, stats, cleanup, health, job types, id prefixes, control errors and close on a real
 * database, run on both backends by {@link JobManagerQueriesSqliteTest} and {@link
 * JobManagerQueriesPostgresTest}.
 */
abstract class JobManagerQueriesTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;

  /** This test's database. */
  private TestDatabase db;

  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  JobManagerQueriesTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  JobManager.Builder builder() {
    return db.builder()
        .dataDirectory(dir.resolve("jobkit-data"))
        .workers("default", 2)
        .pollInterval(Duration.ofMillis(50))
        .leaseDuration(Duration.ofSeconds(3))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .shutdownGrace(Duration.ofSeconds(5));
  }

  JobManager open(JobManager.Builder b) {
    JobManager m = b.open();
    open.add(m);
    return m;
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static void awaitEnd(CompletableFuture<?> f) {
    assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
  }

  private static DispatchOptions other(String... tags) {
    return DispatchOptions.builder().queue("other").tags(tags).build();
  }

  @Test
  void listFiltersByStateNameTagQueueAndTimeAndPagesWithoutGapsOrRepeats() throws Exception {
    JobManager jobs = open(builder());
    // Queue "other" has no workers here, so these stay QUEUED.
    List<String> tagged = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tagged.add(jobs.dispatch(new GreetJob("t" + i), other("t")).id());
    }
    jobs.dispatch(new GreetJob("u1"), other());
    jobs.dispatch(new GreetJob("u2"), other());
    JobHandle<String> done = jobs.dispatch(new GreetJob("done"));
    await(done.result());

    List<String> seen = new ArrayList<>();
    JobQuery q = JobQuery.builder().tag("t").limit(2).build();
    int pages = 0;
    while (true) {
      JobPage page = jobs.list(q);
      pages++;
      page.jobs().forEach(j -> seen.add(j.id()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(page.nextCursor().get());
    }
    assertEquals(3, pages);
    List<String> newestFirst = new ArrayList<>(tagged);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);

    JobPage completed = jobs.list(JobQuery.builder().states(JobState.COMPLETED).build());
    assertEquals(List.of(done.id()), completed.jobs().stream().map(JobInfo::id).toList());
    assertEquals(
        7, jobs.list(JobQuery.builder().name("test.greet").queue("other").build()).jobs().size());
    assertEquals(0, jobs.list(JobQuery.builder().name("test.flaky").build()).jobs().size());
    assertEquals(
        8,
        jobs.list(JobQuery.builder().states(JobState.QUEUED, JobState.COMPLETED).build())
            .jobs()
            .size());
    Instant future = Instant.now().plus(Duration.ofHours(1));
    assertEquals(
        0, jobs.list(JobQuery.builder().createdBetween(future, null).build()).jobs().size());
    assertEquals(
        8, jobs.list(JobQuery.builder().createdBetween(null, future).build()).jobs().size());
    assertThrows(IllegalArgumentException.class, () -> JobQuery.builder().limit(0).build());
  }

  @Test
  void jobsBelongToTheirTenantAndListByTenant() throws Exception {
    JobManager jobs = open(builder());
    String plain = jobs.dispatch(new GreetJob("p"), other()).id();
    List<String> acme = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      acme.add(
          jobs.dispatch(
                  new GreetJob("a" + i),
                  DispatchOptions.builder().queue("other").tenant("acme").build())
              .id());
    }
    String globex =
        jobs.dispatch(
                new GreetJob("g"),
                DispatchOptions.builder().queue("other").tenant("globex").build())
            .id();

    assertEquals("default", jobs.job(plain).orElseThrow().tenant());
    assertEquals("acme", jobs.job(acme.get(0)).orElseThrow().tenant());
    assertEquals(
        Set.copyOf(acme),
        Set.copyOf(
            jobs.list(JobQuery.builder().tenant("acme").build()).jobs().stream()
                .map(JobInfo::id)
                .toList()));
    assertEquals(
        List.of(globex),
        jobs.list(JobQuery.builder().tenant("globex").build()).jobs().stream()
            .map(JobInfo::id)
            .toList());
    assertEquals(
        List.of(plain),
        jobs.list(JobQuery.builder().tenant("default").build()).jobs().stream()
            .map(JobInfo::id)
            .toList());
    assertEquals(5, jobs.list(JobQuery.all()).jobs().size());
    // A clone stays in its tenant.
    String clone = jobs.clone(globex, "test").orElseThrow().id();
    assertEquals("globex", jobs.job(clone).orElseThrow().tenant());
    // Figures per tenant.
    assertEquals(java.util.Map.of("other", 3L), jobs.queueDepths("acme"));
    assertEquals(java.util.Map.of("other", 2L), jobs.queueDepths("globex"));
    assertEquals(2, jobs.stats("globex").count(JobState.QUEUED));
    assertEquals(1, jobs.stats("default").count(JobState.QUEUED));
    assertEquals(6, jobs.stats().count(JobState.QUEUED));
    await(jobs.dispatch(new GreetJob("done")).result()); // a default tenant's job completes
    assertEquals(
        1,
        jobs.throughput(Duration.ofHours(1), Duration.ofMinutes(1)).stream()
            .mapToLong(ThroughputBucket::completed)
            .sum());
    assertEquals(
        0,
        jobs.throughput(Duration.ofHours(1), Duration.ofMinutes(1), "acme").stream()
            .mapToLong(ThroughputBucket::completed)
            .sum());
    assertEquals(1, jobs.stats("default").count(JobState.COMPLETED));
    assertEquals(0, jobs.stats("acme").count(JobState.COMPLETED));
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> DispatchOptions.builder().tenant("Acme Corp"));
    assertTrue(
        bad.getMessage().contains("'Acme Corp' is not a valid tenant name"), bad.getMessage());
  }

  @Test
  void logsAreFilteredByLevelAndReadOnAfterAnId() throws Exception {
    JobManager jobs = open(builder());
    JobHandle<String> h = jobs.dispatch(new GreetJob("ada"));
    await(h.result());

    List<JobLogLine> all = jobs.logs(h.id(), LogQuery.all().limit(100));
    assertEquals(1, all.size());
    JobLogLine line = all.get(0);
    assertEquals("greeting ada", line.message());
    assertEquals(LogLevel.INFO, line.level());
    assertEquals(1, line.attempt());
    assertEquals(all, jobs.logs(h.id()));
    assertEquals(List.of(), jobs.logs(h.id(), LogQuery.all().minLevel(LogLevel.WARN)));
    assertEquals(List.of(), jobs.logs(h.id(), LogQuery.all().after(line.id())));
    assertEquals(List.of(), jobs.logs("no-such-job"));
  }

  @Test
  void logQueriesCombineLevelPositionAndLimit() throws Exception {
    JobManager jobs = open(builder());
    JobHandle<Integer> h = jobs.dispatch(new LogLinesJob(6));
    await(h.result());

    assertEquals(
        List.of("line 1", "line 2", "line 3", "line 4", "line 5", "line 6"),
        messages(jobs.logs(h.id())));
    List<JobLogLine> warnings = jobs.logs(h.id(), LogQuery.all().minLevel(LogLevel.WARN));
    assertEquals(List.of("line 2", "line 4", "line 6"), messages(warnings));
    List<JobLogLine> first = jobs.logs(h.id(), LogQuery.all().limit(2));
    assertEquals(List.of("line 1", "line 2"), messages(first));
    LogQuery next = LogQuery.all().after(first.get(1).id()).limit(2);
    assertEquals(List.of("line 3", "line 4"), messages(jobs.logs(h.id(), next)));
    assertEquals(
        List.of("line 4", "line 6"), messages(jobs.logs(h.id(), next.minLevel(LogLevel.WARN))));
  }

  @Test
  void logsWithoutAQueryStopAtTheDefaultLimit() throws Exception {
    JobManager jobs = open(builder());
    JobHandle<Integer> h = jobs.dispatch(new LogLinesJob(LogQuery.DEFAULT_LIMIT + 1));
    await(h.result());

    List<JobLogLine> lines = jobs.logs(h.id());
    assertEquals(LogQuery.DEFAULT_LIMIT, lines.size());
    assertEquals("line " + LogQuery.DEFAULT_LIMIT, lines.get(lines.size() - 1).message());
    List<JobLogLine> rest =
        jobs.logs(h.id(), LogQuery.all().after(lines.get(lines.size() - 1).id()));
    assertEquals(List.of("line " + (LogQuery.DEFAULT_LIMIT + 1)), messages(rest));
  }

  @Test
  void logsRefuseANullQueryAndAClosedManager() {
    JobManager jobs = open(builder());
    NullPointerException e = assertThrows(NullPointerException.class, () -> jobs.logs("x", null));
    assertEquals("query", e.getMessage());
    jobs.close();
    assertThrows(IllegalStateException.class, () -> jobs.logs("x"));
  }

  @Test
  void aHandleRetriesItsJobAndEqualsAnotherHandleOnIt() throws Exception {
    JobManager jobs = open(builder());
    JobHandle<String> h =
        jobs.dispatch(
            new GreetJob("later"), DispatchOptions.builder().delay(Duration.ofHours(1)).build());
    assertTrue(h.cancel());
    assertEquals(JobState.CANCELLED, h.status());
    assertTrue(h.retry());
    assertEquals("hello later", await(h.result()), "retried jobs are due at once");
    JobHandle<?> again = jobs.handle(h.id()).orElseThrow();
    assertEquals(h, again);
    assertEquals(h.hashCode(), again.hashCode());
    assertFalse(h.equals(jobs.dispatch(new GreetJob("other"))));
  }

  private static List<String> messages(List<JobLogLine> lines) {
    return lines.stream().map(JobLogLine::message).toList();
  }

  @Test
  void dispatchAllWithoutOptionsUsesEachJobsDefaults() throws Exception {
    JobManager jobs = open(builder().defaultMaxAttempts(4));
    List<JobHandle<?>> hs = jobs.dispatchAll(List.of(new GreetJob("a"), new GreetJob("b")));
    assertEquals(2, hs.size());
    assertEquals("hello a", await(hs.get(0).result()));
    assertEquals("hello b", await(hs.get(1).result()));
    JobInfo info = jobs.job(hs.get(1).id()).orElseThrow();
    assertEquals(4, info.maxAttempts());
    assertEquals("default", info.queue());
    assertEquals(List.of(), info.tags());
  }

  @Test
  void dispatchMsgpackWithoutOptionsRunsTheJobWithItsDefaults() throws Exception {
    JobManager jobs = open(builder());
    byte[] params = JobRegistry.load().toMsgpack(new GreetJob("packed"));
    JobHandle<?> h = jobs.dispatchMsgpack("test.greet", params);
    assertEquals("hello packed", await(h.result()));
    assertEquals(
        JobManager.Builder.DEFAULT_MAX_ATTEMPTS, jobs.job(h.id()).orElseThrow().maxAttempts());
    assertThrows(
        dev.jobkit.JobDecodeException.class,
        () -> jobs.dispatchMsgpack("test.greet", new byte[] {(byte) 0xc1}));
  }

  @Test
  void eventsAreTheStoredAuditTrail() throws Exception {
    JobManager jobs = open(builder());
    JobHandle<String> h = jobs.dispatch(new GreetJob("ev"));
    await(h.result());

    List<JobEventInfo> events = jobs.events(h.id());
    assertEquals(JobEventInfo.Kind.CREATED, events.get(0).kind());
    JobEventInfo last = events.get(events.size() - 1);
    assertEquals(JobEventInfo.Kind.STATUS_CHANGED, last.kind());
    assertEquals(Optional.of(JobState.RUNNING), last.from());
    assertEquals(Optional.of(JobState.COMPLETED), last.to());
    assertTrue(events.stream().anyMatch(e -> e.to().equals(Optional.of(JobState.RUNNING))));
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i).id() > events.get(i - 1).id());
    }
  }

  @Test
  void statsCountByStateAndNameWithDurationsAndSuccessRate() throws Exception {
    JobManager jobs = open(builder());
    await(jobs.dispatch(new GreetJob("a")).result());
    await(jobs.dispatch(new GreetJob("b")).result());
    awaitEnd(jobs.dispatch(new FlakyJob(0, true)).result());
    jobs.dispatch(
        new GreetJob("later"), DispatchOptions.builder().delay(Duration.ofHours(1)).build());

    JobStats s = jobs.stats();
    assertEquals(2, s.count(JobState.COMPLETED));
    assertEquals(1, s.count(JobState.FAILED));
    assertEquals(1, s.count(JobState.SCHEDULED));
    assertEquals(0, s.count(JobState.RUNNING));
    assertEquals(2L, s.byNameAndState().get("test.greet").get(JobState.COMPLETED));
    assertEquals(1L, s.byNameAndState().get("test.greet").get(JobState.SCHEDULED));
    assertEquals(1L, s.byNameAndState().get("test.flaky").get(JobState.FAILED));
    assertEquals(2.0 / 3.0, s.successRate().orElseThrow(), 1e-9);
    assertEquals(2, s.durationSample());
    assertTrue(s.meanDuration().isPresent());
    assertTrue(s.p95Duration().orElseThrow().compareTo(s.meanDuration().orElseThrow()) >= 0);
  }

  @Test
  void statsOfAnEmptyDatabaseHaveNoRates() {
    JobStats s = open(builder()).stats();
    assertTrue(s.byState().isEmpty());
    assertTrue(s.successRate().isEmpty());
    assertTrue(s.meanDuration().isEmpty());
    assertTrue(s.p95Duration().isEmpty());
    assertEquals(0, s.durationSample());
  }

  @Test
  void cleanupCountsInDryRunThenDeletesOnlyOldFinishedJobs() throws Exception {
    SettableClock clock = new SettableClock(System.currentTimeMillis());
    JobManager jobs = open(builder().clock(clock));
    JobHandle<String> old = jobs.dispatch(new GreetJob("old"));
    await(old.result());
    JobHandle<String> waiting = jobs.dispatch(new GreetJob("w"), other());
    clock.advance(Duration.ofHours(2).toMillis());
    JobHandle<String> recent = jobs.dispatch(new GreetJob("recent"));
    await(recent.result());

    assertEquals(1, jobs.cleanup(Duration.ofHours(1), true));
    assertTrue(jobs.job(old.id()).isPresent());
    assertEquals(1, jobs.cleanup(Duration.ofHours(1), false));
    assertTrue(jobs.job(old.id()).isEmpty());
    assertTrue(jobs.events(old.id()).isEmpty());
    assertTrue(jobs.job(recent.id()).isPresent());
    assertTrue(jobs.job(waiting.id()).isPresent());
    assertEquals(0, jobs.cleanup(Duration.ofHours(1), false));
    assertThrows(IllegalArgumentException.class, () -> jobs.cleanup(Duration.ofHours(-1), true));
  }

  @Test
  void storageInfoAndHealthDescribeTheDatabaseAndWorkers() throws Exception {
    JobManager jobs = open(builder());
    StorageInfo info = jobs.storageInfo();
    // The SQLite file "jobs.db", or the JDBC URL (less any parameters) ending in the name of the
    // test's PostgreSQL database.
    String name = db.location().replaceAll("\\?.*", "").replaceAll(".*[/\\\\]", "");
    assertTrue(
        info.location().replaceAll("\\?.*", "").endsWith(name), info.location() + " names " + name);
    assertTrue(info.sizeBytes() > 0);
    assertTrue(info.pageSize() > 0);
    assertTrue(info.pageCount() > 0);

    Health idle = jobs.health();
    assertTrue(idle.isHealthy());
    assertTrue(idle.databaseError().isEmpty());
    assertEquals(0, idle.runningJobs());
    assertFalse(idle.ownerId().isBlank());

    String gate = "health-" + UUID.randomUUID();
    JobHandle<String> h = jobs.dispatch(new BlockJob(gate));
    Gates.await(gate + ".started");
    assertEquals(1, jobs.health().runningJobs());
    Gates.open(gate);
    await(h.result());
  }

  @Test
  void jobTypesListRegisteredJobsWithSchemasAndDefaults() {
    JobManager jobs = open(builder().defaultMaxAttempts(4));
    List<JobType> types = jobs.jobTypes();
    JobType greet =
        types.stream().filter(t -> t.name().equals("test.greet")).findFirst().orElseThrow();
    assertTrue(greet.schema().contains("\"name\""), greet.schema());
    assertFalse(greet.outputSchema().isBlank());
    assertEquals(4, greet.maxAttempts());
    assertEquals("default", greet.queue());
    List<String> names = types.stream().map(JobType::name).toList();
    assertEquals(names.stream().sorted().toList(), names);
    assertTrue(names.containsAll(Set.of("test.block", "test.count", "test.flaky")));
  }

  @Test
  void findByPrefixFindsAUniqueJobAndRefusesAnAmbiguousPrefix() {
    JobManager jobs = open(builder());
    String a = jobs.dispatch(new GreetJob("a"), other()).id();
    String b = jobs.dispatch(new GreetJob("b"), other()).id();
    int n = 0;
    while (a.charAt(n) == b.charAt(n)) {
      n++;
    }
    int common = n;
    assertTrue(common > 0, "ids dispatched in one run share their time prefix");

    assertEquals(a, jobs.findByPrefix(a.substring(0, common + 1)).orElseThrow().id());
    assertEquals(b, jobs.findByPrefix(b.toLowerCase()).orElseThrow().id());
    AmbiguousJobPrefixException e =
        assertThrows(
            AmbiguousJobPrefixException.class, () -> jobs.findByPrefix(a.substring(0, common)));
    assertTrue(e.candidates().containsAll(List.of(a, b)));
    assertTrue(e.getMessage().contains("type more characters"), e.getMessage());
    assertTrue(jobs.findByPrefix("!!").isEmpty());
  }

  @Test
  void controlCallsOnAJobInTheWrongStateSayWhyInOneLine() throws Exception {
    JobManager jobs = open(builder());
    JobHandle<String> h = jobs.dispatch(new GreetJob("x"));
    await(h.result());
    for (String action : List.of("cancel", "pause", "resume", "retry")) {
      JobStateException e =
          assertThrows(
              JobStateException.class,
              () -> {
                switch (action) {
                  case "cancel" -> jobs.cancel(h.id());
                  case "pause" -> jobs.pause(h.id());
                  case "resume" -> jobs.resume(h.id());
                  default -> jobs.retry(h.id());
                }
              });
      assertEquals("job " + h.id() + ": cannot " + action + ": it is COMPLETED", e.getMessage());
      assertEquals(JobState.COMPLETED, e.state());
      assertEquals(action, e.action());
    }
    assertEquals(JobState.COMPLETED, jobs.job(h.id()).orElseThrow().state());
  }

  @Test
  void everyCallAfterCloseSaysTheManagerIsClosed() {
    JobManager jobs = open(builder());
    String id = jobs.dispatch(new GreetJob("c"), other()).id();
    jobs.close();
    jobs.close(); // twice is fine
    List<Runnable> calls =
        List.of(
            () -> jobs.dispatch(new GreetJob("late")),
            () -> jobs.dispatchByName("test.greet", "{\"name\":\"x\"}"),
            () -> jobs.job(id),
            () -> jobs.cancel(id),
            () -> jobs.retry(id),
            () -> jobs.list(JobQuery.all()),
            () -> jobs.stats(),
            () -> jobs.health(),
            () -> jobs.subscribe(e -> {}));
    Set<String> messages = new HashSet<>();
    for (Runnable call : calls) {
      messages.add(assertThrows(IllegalStateException.class, call::run).getMessage());
    }
    assertEquals(Set.of("JobManager is closed"), messages);
  }
}
