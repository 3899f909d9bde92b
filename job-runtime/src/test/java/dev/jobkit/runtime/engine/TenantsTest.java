package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.AuditEntry;
import dev.jobkit.runtime.AuditLog;
import dev.jobkit.runtime.AuditPage;
import dev.jobkit.runtime.AuditQuery;
import dev.jobkit.runtime.BatchHandle;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobFeed;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.QuotaExceededException;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleSpec;
import dev.jobkit.runtime.TenantInfo;
import dev.jobkit.runtime.TenantSpec;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants through the manager (#14), on both databases ({@link TenantsSqliteTest}, {@link
 * TenantsPostgresTest}): the tenants API, each quota, the audit trail, and the tenant of schedules,
 * templates, batches, graphs and the feed.
 */
abstract class TenantsTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  TenantsTest(TestDatabase.Backend backend) {
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

  private JobManager client() {
    return open(db.builder().noWorkers());
  }

  private JobManager workers() {
    return open(
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", 4)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofSeconds(5)));
  }

  /** Options of a job that nobody runs (no worker has its queue), in {@code tenant}. */
  private static DispatchOptions parked(String tenant) {
    return DispatchOptions.builder().queue("parked").tenant(tenant).build();
  }

  private static int stored(JobManager jobs, String tenant) {
    return jobs.list(JobQuery.builder().tenant(tenant).limit(1000).build()).jobs().size();
  }

  // ---------------------------------------------------------------- tenants API

  @Test
  void tenantsAreStoredListedWithCountsAndDeletedKeepingTheirJobs() {
    JobManager jobs = client();
    TenantInfo put =
        jobs.tenants()
            .put(
                TenantSpec.builder("acme")
                    .weight(3)
                    .maxQueued(10)
                    .maxRunning(2)
                    .submissions(100, Duration.ofMinutes(1))
                    .burst(20)
                    .description("Acme Corp")
                    .build(),
                "cli:ann");
    assertEquals(3, put.spec().weight());
    assertEquals(Duration.ofMinutes(1), put.spec().submissionPeriod());
    assertEquals(Optional.of("Acme Corp"), put.spec().description());
    assertTrue(put.configured());
    jobs.dispatch(new GreetJob("a"), parked("acme"));
    jobs.dispatch(new GreetJob("b"), parked("acme"));
    jobs.dispatch(new GreetJob("c"), parked("other"));
    TenantInfo acme = jobs.tenants().get("acme").orElseThrow();
    assertEquals(2, acme.queued());
    assertEquals(0, acme.running());
    assertEquals(10, acme.spec().maxQueued());
    List<TenantInfo> all = jobs.tenants().list();
    assertEquals(List.of("acme", "other"), all.stream().map(TenantInfo::name).toList());
    TenantInfo other = all.get(1);
    assertFalse(other.configured(), "a tenant with jobs but no settings is listed unconfigured");
    assertEquals(1, other.queued());
    assertEquals(1, other.spec().weight());
    assertEquals(Optional.empty(), jobs.tenants().get("nobody"));

    // An update keeps the creation time.
    TenantInfo updated =
        jobs.tenants().put(TenantSpec.builder("acme").maxQueued(20).build(), "cli:ann");
    assertEquals(acme.createdAt(), updated.createdAt());
    assertEquals(20, updated.spec().maxQueued());
    assertEquals(1, updated.spec().weight());

    assertTrue(jobs.tenants().delete("acme", "cli:bob"));
    assertFalse(jobs.tenants().delete("acme", "cli:bob"));
    TenantInfo gone = jobs.tenants().get("acme").orElseThrow();
    assertFalse(gone.configured());
    assertEquals(2, gone.queued(), "deleting a tenant's settings keeps its jobs");

    List<AuditEntry> audit =
        jobs.audit().list(AuditQuery.builder().action("tenant.*").build()).entries();
    assertEquals(
        List.of("tenant.delete cli:bob", "tenant.put cli:ann", "tenant.put cli:ann"),
        audit.stream().map(e -> e.action() + " " + e.actor()).toList());
    assertEquals(Optional.of("acme"), audit.get(0).tenant());
    assertThrows(IllegalArgumentException.class, () -> jobs.tenants().get("Not Valid"));
  }

  @Test
  void aTenantDeclaredOnTheBuilderIsStoredAtOpen() {
    JobManager jobs =
        open(db.builder().noWorkers().tenant(TenantSpec.builder("t1").weight(5).build()));
    assertEquals(5, jobs.tenants().get("t1").orElseThrow().spec().weight());
    assertTrue(
        jobs.audit().list(AuditQuery.all()).entries().isEmpty(), "code declarations: no audit");
  }

  // ---------------------------------------------------------------- quotas

  @Test
  void maxQueuedRejectsADispatchThatWouldExceedItAndStoresNothingOfIt() {
    JobManager jobs = client();
    jobs.tenants().put(TenantSpec.builder("acme").maxQueued(3).build(), null);
    jobs.dispatchAll(List.of(new GreetJob("1"), new GreetJob("2")), parked("acme"));
    QuotaExceededException e =
        assertThrows(
            QuotaExceededException.class,
            () -> jobs.dispatchAll(List.of(new GreetJob("3"), new GreetJob("4")), parked("acme")));
    assertEquals("acme", e.tenant());
    assertEquals(QuotaExceededException.Quota.MAX_QUEUED, e.quota());
    assertEquals(3, e.limit());
    assertEquals(Optional.empty(), e.retryAfter());
    assertTrue(
        e.getMessage().startsWith("tenant 'acme' has reached its quota of 3"), e.getMessage());
    assertEquals(2, stored(jobs, "acme"), "a rejected dispatchAll inserts nothing");
    jobs.dispatch(new GreetJob("3"), parked("acme"));
    assertThrows(
        QuotaExceededException.class, () -> jobs.dispatch(new GreetJob("5"), parked("acme")));
    assertThrows(
        QuotaExceededException.class,
        () -> jobs.batch().add(new GreetJob("6"), parked("acme")).dispatch());
    assertEquals(3, stored(jobs, "acme"));
    // Other tenants, and the default one, are not affected.
    jobs.dispatch(new GreetJob("x"), parked("other"));
    jobs.dispatch(new GreetJob("y"), DispatchOptions.builder().queue("parked").build());
    // Finished jobs do not count: cancelling one makes room.
    String first = jobs.list(JobQuery.builder().tenant("acme").build()).jobs().get(0).id();
    assertTrue(jobs.cancel(first));
    jobs.dispatch(new GreetJob("4"), parked("acme"));
    assertEquals(4, stored(jobs, "acme"));
  }

  @Test
  void theSubmissionRateRejectsWithTheTimeUntilTheNextSubmission() {
    JobManager jobs = client();
    jobs.tenants()
        .put(TenantSpec.builder("acme").submissions(2, Duration.ofHours(1)).build(), null);
    jobs.dispatch(new GreetJob("1"), parked("acme"));
    jobs.dispatch(new GreetJob("2"), parked("acme"));
    QuotaExceededException e =
        assertThrows(
            QuotaExceededException.class, () -> jobs.dispatch(new GreetJob("3"), parked("acme")));
    assertEquals(QuotaExceededException.Quota.SUBMISSION_RATE, e.quota());
    assertEquals(2, e.limit());
    Duration retry = e.retryAfter().orElseThrow();
    assertTrue(
        retry.compareTo(Duration.ofMinutes(29)) > 0 && retry.compareTo(Duration.ofMinutes(30)) <= 0,
        retry.toString());
    assertEquals(2, stored(jobs, "acme"));
    // A dispatch larger than the burst can never pass: no time to wait for.
    jobs.tenants().put(TenantSpec.builder("big").submissions(2, Duration.ofHours(1)).build(), null);
    QuotaExceededException tooMany =
        assertThrows(
            QuotaExceededException.class,
            () ->
                jobs.dispatchAll(
                    List.of(new GreetJob("1"), new GreetJob("2"), new GreetJob("3")),
                    parked("big")));
    assertEquals(Optional.empty(), tooMany.retryAfter());
    assertEquals(0, stored(jobs, "big"));
  }

  @Test
  void maxStoredBytesCountsTheParametersOfTheTenantsJobs() {
    JobManager jobs = client();
    jobs.dispatch(new GreetJob("measure"), parked("probe"));
    // {"name": "aaaa"} as MessagePack: the same size for each job below.
    jobs.tenants().put(TenantSpec.builder("acme").maxStoredBytes(25).build(), null);
    jobs.dispatch(new GreetJob("aaaa"), parked("acme"));
    QuotaExceededException e =
        assertThrows(
            QuotaExceededException.class,
            () -> jobs.dispatch(new GreetJob("bbbbbbbbbbbbbbbbbbbb"), parked("acme")));
    assertEquals(QuotaExceededException.Quota.MAX_STORED_BYTES, e.quota());
    assertEquals(25, e.limit());
    assertEquals(1, stored(jobs, "acme"));
  }

  @Test
  void maxRunningIsEnforcedAtClaimAndSaysWhyAJobWaits() throws Exception {
    JobManager jobs = workers();
    jobs.tenants().put(TenantSpec.builder("acme").maxRunning(1).build(), null);
    String g1 = "tenant-" + UUID.randomUUID();
    String g2 = "tenant-" + UUID.randomUUID();
    DispatchOptions acme = DispatchOptions.builder().tenant("acme").build();
    JobHandle<String> first = jobs.dispatch(new BlockJob(g1), acme);
    JobHandle<String> second = jobs.dispatch(new BlockJob(g2), acme);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Gates.isOpen(g1 + ".started") || Gates.isOpen(g2 + ".started"));
    boolean firstRuns = Gates.isOpen(g1 + ".started");
    JobHandle<String> waiting = firstRuns ? second : first;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.waitingReason(waiting.id())
                    .equals(Optional.of("waiting for a slot of tenant:acme (1 of 1 running)")));
    assertEquals(JobState.QUEUED, jobs.job(waiting.id()).orElseThrow().state());
    assertEquals(1, jobs.tenants().get("acme").orElseThrow().running());
    Gates.open(g1);
    Gates.open(g2);
    assertEquals(g1 + " done", first.result().get(20, TimeUnit.SECONDS));
    assertEquals(g2 + " done", second.result().get(20, TimeUnit.SECONDS));
  }

  @Test
  void aScheduleFireRejectedByAQuotaIsRecordedSkipped() {
    JobManager jobs = workers();
    jobs.tenants().put(TenantSpec.builder("acme").maxQueued(1).build(), null);
    jobs.schedules()
        .put(
            ScheduleSpec.every("tick", Duration.ofSeconds(1))
                .job("test.greet", "{\"name\": \"tick\"}")
                .queue("parked")
                .tenant("acme")
                .build(),
            null);
    assertEquals("acme", jobs.schedules().get("tick").orElseThrow().tenant());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.schedules().history("tick", 100).orElseThrow().stream()
                    .anyMatch(f -> f.outcome() == ScheduleFire.Outcome.SKIPPED));
    jobs.schedules().pause("tick", null, null);
    List<ScheduleFire> history = jobs.schedules().history("tick", 100).orElseThrow();
    ScheduleFire skipped =
        history.stream()
            .filter(f -> f.outcome() == ScheduleFire.Outcome.SKIPPED)
            .findFirst()
            .orElseThrow();
    assertTrue(
        skipped.reason().startsWith("quota: tenant 'acme' has reached its quota of 1"),
        skipped.reason());
    assertEquals(Optional.empty(), skipped.jobId());
    assertEquals(1, stored(jobs, "acme"), history.toString());
    String fired =
        history.stream()
            .filter(f -> f.outcome() == ScheduleFire.Outcome.FIRED)
            .findFirst()
            .orElseThrow()
            .jobId()
            .orElseThrow();
    assertEquals("acme", jobs.job(fired).orElseThrow().tenant());
    assertEquals(Optional.of(fired), jobs.schedules().get("tick").orElseThrow().lastJobId());
    // A trigger is a caller's request: it fails instead.
    assertThrows(QuotaExceededException.class, () -> jobs.schedules().trigger("tick", "cli:ann"));
  }

  // ---------------------------------------------------------------- audit

  @Test
  void dispatchesAndControlsWithAnActorAreAuditedAndCodeDispatchesAreNot() {
    JobManager jobs = client();
    jobs.dispatch(new GreetJob("code"), parked("acme"));
    assertTrue(jobs.audit().list(AuditQuery.all()).entries().isEmpty());
    JobHandle<String> h =
        jobs.dispatch(
            new GreetJob("ci"),
            DispatchOptions.builder().queue("parked").tenant("acme").createdBy("key:ci").build());
    jobs.dispatchAll(
        List.of(new GreetJob("1"), new GreetJob("2")),
        DispatchOptions.builder().queue("parked").createdBy("cli:ann").build());
    assertTrue(jobs.pause(h.id(), "key:ops"));
    assertTrue(jobs.resume(h.id(), "key:ops"));
    assertTrue(jobs.cancel(h.id(), "key:ops"));
    assertTrue(jobs.retry(h.id(), null)); // no actor: not audited
    String clone = jobs.clone(h.id(), "key:ops").orElseThrow().id();

    List<AuditEntry> all = jobs.audit().list(AuditQuery.all()).entries();
    // The clone's two entries come from one millisecond and two id generators: either order.
    assertEquals(
        java.util.Set.of("job.clone key:ops " + clone, "job.submit key:ops " + clone),
        all.subList(0, 2).stream()
            .map(e -> e.action() + " " + e.actor() + " " + e.target().orElse(""))
            .collect(java.util.stream.Collectors.toSet()));
    assertEquals(
        List.of(
            "job.cancel key:ops " + h.id(),
            "job.resume key:ops " + h.id(),
            "job.pause key:ops " + h.id(),
            "job.submit cli:ann 2 jobs",
            "job.submit key:ci " + h.id()),
        all.subList(2, all.size()).stream()
            .map(e -> e.action() + " " + e.actor() + " " + e.target().orElse(""))
            .toList());
    assertEquals(Optional.of("acme"), all.get(2).tenant());
    assertEquals(Optional.of("default"), all.get(5).tenant());
    assertEquals(Optional.of("test.greet"), all.get(6).detail());

    // Filters, and pages by cursor.
    assertEquals(
        6, jobs.audit().list(AuditQuery.builder().tenant("acme").build()).entries().size());
    assertEquals(
        1, jobs.audit().list(AuditQuery.builder().actor("key:ci").build()).entries().size());
    assertEquals(
        3,
        jobs.audit()
            .list(AuditQuery.builder().action(AuditLog.JOB_SUBMIT).build())
            .entries()
            .size());
    assertEquals(
        7, jobs.audit().list(AuditQuery.builder().action("job.*").build()).entries().size());
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      AuditPage page = jobs.audit().list(AuditQuery.builder().limit(2).cursor(cursor).build());
      page.entries().forEach(e -> paged.add(e.id()));
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    assertEquals(all.stream().map(AuditEntry::id).toList(), paged);
    assertThrows(
        IllegalArgumentException.class,
        () -> jobs.audit().list(AuditQuery.builder().cursor("nope").build()));

    AuditEntry login = jobs.audit().record("key:ann", null, "session.login", null, "from 10.0.0.1");
    assertEquals(login, jobs.audit().list(AuditQuery.builder().limit(1).build()).entries().get(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> jobs.audit().record("key:ann", null, "Login", null, null));
  }

  @Test
  void keySchedulesAndTemplatesChangesAreAuditedWithTheirTenant() {
    JobManager jobs = client();
    jobs.apiKeys().create("acme-ci", dev.jobkit.runtime.ApiKeys.Role.OPERATOR, "acme", "key:root");
    jobs.apiKeys().revoke("acme-ci", "key:root");
    jobs.schedules()
        .put(
            ScheduleSpec.every("s", Duration.ofHours(1))
                .job("test.greet", "{}")
                .tenant("acme")
                .build(),
            "key:root");
    jobs.schedules().pause("s", "maintenance", "key:root");
    jobs.schedules().delete("s", "key:root");
    jobs.templates().save("t", "test.greet", "{}", null, "acme", "key:root");
    jobs.templates().delete("t", "key:root");
    List<AuditEntry> all = jobs.audit().list(AuditQuery.all()).entries();
    assertEquals(
        List.of(
            "template.delete t acme",
            "template.save t acme",
            "schedule.delete s acme",
            "schedule.pause s acme",
            "schedule.put s acme",
            "key.revoke acme-ci acme",
            "key.create acme-ci acme"),
        all.stream()
            .map(e -> e.action() + " " + e.target().orElse("") + " " + e.tenant().orElse("(none)"))
            .toList());
  }

  // ---------------------------------------------------------------- tenant of objects

  @Test
  void aTemplateDispatchesIntoItsTenant() {
    JobManager jobs = client();
    jobs.templates().save("greet-acme", "test.greet", "{\"name\": \"x\"}", null, "acme", null);
    jobs.templates().save("greet", "test.greet", "{\"name\": \"y\"}", null, null);
    assertEquals("acme", jobs.templates().get("greet-acme").orElseThrow().tenant());
    assertEquals(
        List.of("greet-acme"), jobs.templates().list("acme").stream().map(t -> t.name()).toList());
    assertEquals(
        List.of("greet"), jobs.templates().list("default").stream().map(t -> t.name()).toList());
    String id =
        jobs.templates()
            .dispatch("greet-acme", Map.of(), DispatchOptions.builder().queue("parked").build())
            .id();
    assertEquals("acme", jobs.job(id).orElseThrow().tenant());
    jobs.templates().dispatch("greet-acme", Map.of(), parked("acme")); // naming its own: fine
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> jobs.templates().dispatch("greet-acme", Map.of(), parked("other")));
    assertTrue(e.getMessage().startsWith("template 'greet-acme' belongs to tenant 'acme'"));
  }

  @Test
  void aBatchAndItsCallbacksAreInOneTenant() {
    JobManager jobs = client();
    BatchHandle b =
        jobs.batch()
            .add(new GreetJob("1"), parked("acme"))
            .add(new GreetJob("2"), DispatchOptions.builder().queue("parked").build())
            .onComplete(new GreetJob("done"))
            .dispatch();
    assertEquals("acme", jobs.batches().get(b.id()).orElseThrow().tenant());
    for (JobHandle<?> h : b.members()) {
      assertEquals("acme", jobs.job(h.id()).orElseThrow().tenant());
    }
    String callback = jobs.batches().get(b.id()).orElseThrow().onCompleteJobId().orElseThrow();
    assertEquals("acme", jobs.job(callback).orElseThrow().tenant());
    assertEquals(1, jobs.batches().list("acme", 10).size());
    assertEquals(0, jobs.batches().list("default", 10).size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> jobs.batch().tenant("acme").add(new GreetJob("3"), parked("other")));
    assertTrue(e.getMessage().contains("names tenant 'other', but the batch is in tenant 'acme'"));
    var g = jobs.graph();
    var a = g.add(new GreetJob("a"), parked("acme"));
    g.add(new GreetJob("b"), a);
    for (JobHandle<?> h : g.dispatch()) {
      assertEquals("acme", jobs.job(h.id()).orElseThrow().tenant());
    }
  }

  @Test
  void theFeedCarriesTheTenantOfEachJob() {
    JobManager jobs = client();
    JobFeed.Tail tail = jobs.feed().tail(jobs.feed().head());
    JobHandle<String> acme = jobs.dispatch(new GreetJob("a"), parked("acme"));
    JobHandle<String> plain =
        jobs.dispatch(new GreetJob("b"), DispatchOptions.builder().queue("parked").build());
    jobs.cancel(acme.id());
    jobs.cancel(plain.id());
    JobFeed.Batch batch = tail.poll(100);
    assertTrue(batch.events().size() >= 2, batch.toString());
    assertEquals("acme", batch.tenantOf(acme.id()));
    assertEquals("default", batch.tenantOf(plain.id()));
    assertEquals(Map.of(acme.id(), "acme"), batch.tenants());
  }

  @Test
  void migrateAndScheduleExportKeepTenants() {
    JobManager source = client();
    source.tenants().put(TenantSpec.builder("acme").maxQueued(7).weight(2).build(), null);
    source
        .schedules()
        .put(
            ScheduleSpec.every("s", Duration.ofHours(1))
                .job("test.greet", "{}")
                .tenant("acme")
                .build(),
            null);
    source.templates().save("t", "test.greet", "{}", null, "acme", null);
    source.dispatch(new GreetJob("j"), parked("acme"));
    assertEquals("acme", source.transfer().exportSchedules().get(0).tenant());
    TestDatabase other =
        db.backend() == TestDatabase.Backend.SQLITE
            ? TestDatabase.sqlite(dir.resolve("other.db"))
            : TestDatabase.postgres();
    JobManager target = open(other.builder().noWorkers());
    source.transfer().migrateTo(target);
    assertEquals("acme", target.schedules().get("s").orElseThrow().tenant());
    assertEquals("acme", target.templates().get("t").orElseThrow().tenant());
    TenantInfo t = target.tenants().get("acme").orElseThrow();
    assertEquals(7, t.spec().maxQueued());
    assertEquals(2, t.spec().weight());
    assertEquals(1, t.queued());
  }
}
