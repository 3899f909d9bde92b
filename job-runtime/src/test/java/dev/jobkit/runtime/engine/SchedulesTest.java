package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobDecodeException;
import dev.jobkit.Priority;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleInfo;
import dev.jobkit.runtime.ScheduleSpec;
import dev.jobkit.runtime.Schedules;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules stored in the database (#12) on both databases ({@link SchedulesSqliteTest}, {@link
 * SchedulesPostgresTest}): managing them, firing every slot exactly once with several managers on
 * one database, overlap with a run that goes on, triggers, and schedules declared in code.
 */
abstract class SchedulesTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  SchedulesTest(TestDatabase.Backend backend) {
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

  private JobManager workers() {
    return open(
        db.builder()
            .dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofSeconds(5)));
  }

  private static ScheduleSpec hourly(String name, String who) {
    return ScheduleSpec.every(name, Duration.ofHours(1))
        .job("test.greet", "{\"name\": \"" + who + "\"}")
        .build();
  }

  private static List<ScheduleFire> fired(Schedules s, String name) {
    List<ScheduleFire> out = new ArrayList<>(s.history(name, 1000).orElseThrow());
    out.removeIf(f -> f.outcome() != ScheduleFire.Outcome.FIRED);
    return out;
  }

  @Test
  void aScheduleIsStoredListedUpdatedAndDeleted() {
    JobManager jobs = open(db.builder().noWorkers());
    Schedules s = jobs.schedules();
    Instant before = Instant.now();
    ScheduleInfo created =
        s.put(
            ScheduleSpec.every("report", Duration.ofHours(1))
                .job("test.greet", "{\"name\": \"ann\"}")
                .priority(Priority.HIGH)
                .tags(List.of("nightly"))
                .overlap(ScheduleSpec.Overlap.SKIP)
                .misfire(ScheduleSpec.Misfire.FIRE_ALL, 5)
                .jitter(Duration.ofSeconds(3))
                .build(),
            "cli");
    assertEquals("report", created.name());
    assertEquals(Optional.of(Duration.ofHours(1)), created.interval());
    assertEquals("test.greet", created.jobName());
    assertEquals(Optional.of("{\"name\":\"ann\"}"), created.paramsJson());
    assertEquals(Priority.HIGH, created.priority());
    assertEquals(List.of("nightly"), created.tags());
    assertEquals(ScheduleSpec.Overlap.SKIP, created.overlap());
    assertEquals(ScheduleSpec.Misfire.FIRE_ALL, created.misfire());
    assertEquals(5, created.misfireCap());
    assertEquals(Duration.ofSeconds(3), created.jitter());
    assertEquals(Optional.of("cli"), created.createdBy());
    Instant next = created.nextFire().orElseThrow();
    assertTrue(!next.isBefore(before.plus(Duration.ofHours(1)).minusSeconds(1)), next.toString());
    assertEquals(List.of("report"), s.list().stream().map(ScheduleInfo::name).toList());
    assertEquals(
        List.of(next, next.plus(Duration.ofHours(1)), next.plus(Duration.ofHours(2))),
        s.preview("report", 3).orElseThrow());

    // Paused, then updated with other parameters: still paused, same next slot.
    assertTrue(s.pause("report", "holiday", "key:ops").orElseThrow().paused());
    ScheduleInfo updated = s.put(hourly("report", "bob"), "cli");
    assertTrue(updated.paused());
    assertEquals(Optional.of("holiday"), updated.pauseReason());
    assertEquals(Optional.of(next), updated.nextFire());
    assertEquals(Optional.of("{\"name\":\"bob\"}"), updated.paramsJson());
    assertEquals(Optional.of("cli"), updated.createdBy());
    assertEquals(ScheduleSpec.Overlap.ALLOW, updated.overlap());

    // A new interval moves the next slot.
    ScheduleInfo faster =
        s.put(
            ScheduleSpec.every("report", Duration.ofMinutes(5))
                .job("test.greet", "{\"name\": \"bob\"}")
                .build(),
            "cli");
    assertTrue(faster.nextFire().orElseThrow().isBefore(next));

    assertTrue(s.delete("report", "cli"));
    assertFalse(s.delete("report", "cli"));
    assertEquals(Optional.empty(), s.get("report"));
    assertEquals(Optional.empty(), s.pause("report", null, null));
    assertEquals(Optional.empty(), s.resume("report", null));
    assertEquals(Optional.empty(), s.trigger("report", null));
    assertEquals(Optional.empty(), s.preview("report", 3));
    assertEquals(Optional.empty(), s.history("report", 3));
  }

  @Test
  void badInputIsRefusedWithAOneLineMessageAndNothingIsStored() {
    JobManager jobs = open(db.builder().noWorkers());
    Schedules s = jobs.schedules();
    UnknownJobException unknown =
        assertThrows(
            UnknownJobException.class,
            () ->
                s.put(
                    ScheduleSpec.every("x", Duration.ofMinutes(1)).job("test.gret", "{}").build(),
                    null));
    assertTrue(unknown.getMessage().contains("test.gret"), unknown.getMessage());
    JobDecodeException bad =
        assertThrows(
            JobDecodeException.class,
            () ->
                s.put(
                    ScheduleSpec.every("x", Duration.ofMinutes(1))
                        .job("test.greet", "{\"name\": 5}")
                        .build(),
                    null));
    assertTrue(bad.getMessage().contains("name"), bad.getMessage());
    assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
    assertEquals(List.of(), s.list());

    IllegalArgumentException zone =
        assertThrows(
            IllegalArgumentException.class,
            () -> ScheduleSpec.cron("x", "0 * * * *").zone("Mars/Olympus"));
    assertEquals(
        "schedule 'x': unknown time zone 'Mars/Olympus': use an IANA zone id such as"
            + " Europe/Berlin or America/New_York, or UTC",
        zone.getMessage());
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class, () -> ScheduleSpec.every("a b", Duration.ofMinutes(1)));
    assertTrue(name.getMessage().startsWith("schedule name 'a b' is not valid"), name.getMessage());
    IllegalArgumentException fast =
        assertThrows(
            IllegalArgumentException.class, () -> ScheduleSpec.every("x", Duration.ofMillis(10)));
    assertEquals("schedule 'x': interval PT0.01S is shorter than 1 second", fast.getMessage());
    IllegalArgumentException slow =
        assertThrows(
            IllegalArgumentException.class, () -> ScheduleSpec.every("x", Duration.ofDays(400)));
    assertEquals(
        "schedule 'x': interval PT9600H is longer than 366 days; use a cron expression such as"
            + " '0 0 1 1 *'",
        slow.getMessage());
    IllegalStateException noJob =
        assertThrows(
            IllegalStateException.class,
            () -> ScheduleSpec.every("x", Duration.ofMinutes(1)).build());
    assertEquals(
        "schedule 'x' has no job: call job(name, json) or job(object)", noJob.getMessage());
  }

  @Test
  void twoManagersOnOneDatabaseFireEverySlotExactlyOnce() {
    JobManager a = workers();
    JobManager b = workers();
    String tag = "every-second-" + UUID.randomUUID().toString().substring(0, 8);
    a.schedules()
        .put(
            ScheduleSpec.every("tick", Duration.ofSeconds(1))
                .job(new GreetJob("tick"))
                .tags(List.of(tag))
                .build(),
            null);
    await().atMost(Duration.ofSeconds(30)).until(() -> fired(a.schedules(), "tick").size() >= 5);
    a.schedules().pause("tick", "test over", null);
    List<ScheduleFire> fires = fired(b.schedules(), "tick");
    TreeSet<Instant> slots = new TreeSet<>();
    for (ScheduleFire f : fires) {
      assertTrue(slots.add(f.slot()), "slot fired twice: " + f.slot() + " in " + fires);
    }
    // Consecutive slots one second apart: none lost.
    Instant prev = null;
    for (Instant slot : slots) {
      if (prev != null) {
        assertEquals(Duration.ofSeconds(1), Duration.between(prev, slot), "gap in " + slots);
      }
      prev = slot;
    }
    // One job per slot, each dispatched by the schedule, all completed.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                a.list(JobQuery.builder().tag(tag).states(JobState.COMPLETED).limit(100).build())
                        .jobs()
                        .size()
                    == slots.size());
    assertEquals(
        slots.size(), a.list(JobQuery.builder().tag(tag).limit(100).build()).jobs().size());
    for (ScheduleFire f : fires) {
      assertEquals(
          Optional.of("schedule:tick"), a.job(f.jobId().orElseThrow()).orElseThrow().createdBy());
    }
  }

  @Test
  void aCronScheduleFiresOnItsSecondsAndPreviewsInItsZone() {
    JobManager jobs = workers();
    Schedules s = jobs.schedules();
    ScheduleInfo tokyo =
        s.put(
            ScheduleSpec.cron("tokyo-morning", "0 9 * * *")
                .zone("Asia/Tokyo")
                .job("test.greet", "{\"name\": \"tokyo\"}")
                .build(),
            null);
    assertEquals(Optional.of("0 9 * * *"), tokyo.cron());
    for (Instant t : s.preview("tokyo-morning", 3).orElseThrow()) {
      // 09:00 in Tokyo (UTC+9, no daylight saving) is midnight UTC.
      assertEquals(0, t.getEpochSecond() % 86_400, t.toString());
    }
    s.put(
        ScheduleSpec.cron("every-second", "* * * * * *")
            .job("test.greet", "{\"name\": \"tick\"}")
            .build(),
        null);
    await().atMost(Duration.ofSeconds(20)).until(() -> fired(s, "every-second").size() >= 3);
    s.pause("every-second", null, null);
    for (ScheduleFire f : fired(s, "every-second")) {
      assertEquals(0, f.slot().getNano(), "a slot on a whole second: " + f.slot());
    }
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.cron("x", "0 25 * * *"));
    assertEquals(
        "cron '0 25 * * *': hour 25 is out of range (column 3): use 0-23", bad.getMessage());
  }

  @Test
  void overlapSkipSkipsSlotsWhileThePreviousRunGoesOn() {
    JobManager jobs = workers();
    String gate = "overlap-" + UUID.randomUUID();
    jobs.schedules()
        .put(
            ScheduleSpec.every("slow", Duration.ofSeconds(1))
                .job(new BlockJob(gate))
                .overlap(ScheduleSpec.Overlap.SKIP)
                .build(),
            null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.schedules().history("slow", 100).orElseThrow().stream()
                    .anyMatch(f -> f.outcome() == ScheduleFire.Outcome.SKIPPED));
    jobs.schedules().pause("slow", null, null);
    Gates.open(gate);
    List<ScheduleFire> history = jobs.schedules().history("slow", 100).orElseThrow();
    assertEquals(1, fired(jobs.schedules(), "slow").size(), history.toString());
    ScheduleFire skipped =
        history.stream()
            .filter(f -> f.outcome() == ScheduleFire.Outcome.SKIPPED)
            .findFirst()
            .orElseThrow();
    String first = fired(jobs.schedules(), "slow").get(0).jobId().orElseThrow();
    assertEquals("the previous run " + first + " has not ended (overlap SKIP)", skipped.reason());
  }

  @Test
  void triggerDispatchesNowEvenWhenPausedAndKeepsTheSlots() throws Exception {
    JobManager jobs = workers();
    Schedules s = jobs.schedules();
    s.put(hourly("report", "zoe"), null);
    s.pause("report", "not now", null);
    Instant next = s.get("report").orElseThrow().nextFire().orElseThrow();
    JobHandle<?> h = s.trigger("report", "key:ops").orElseThrow();
    assertEquals("hello zoe", h.result().get(20, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(Optional.of("key:ops"), jobs.job(h.id()).orElseThrow().createdBy());
    ScheduleFire fire = s.history("report", 10).orElseThrow().get(0);
    assertEquals(ScheduleFire.Outcome.TRIGGERED, fire.outcome());
    assertEquals(Optional.of(h.id()), fire.jobId());
    assertEquals("triggered by key:ops", fire.reason());
    ScheduleInfo after = s.get("report").orElseThrow();
    assertEquals(Optional.of(next), after.nextFire());
    assertTrue(after.paused());
    assertEquals(Optional.of(h.id()), after.lastJobId());
  }

  @Test
  void aScheduleDeclaredInCodeIsCreatedThenUpdatedAtOpenKeepingItsPause() {
    JobManager first = open(db.builder().noWorkers().schedule(hourly("declared", "one")));
    ScheduleInfo created = first.schedules().get("declared").orElseThrow();
    assertTrue(created.declared());
    assertEquals(Optional.of("code"), created.createdBy());
    first.schedules().pause("declared", "by an operator", "cli");
    first.close();

    JobManager second = open(db.builder().noWorkers().schedule(hourly("declared", "two")));
    ScheduleInfo updated = second.schedules().get("declared").orElseThrow();
    assertEquals(Optional.of("{\"name\":\"two\"}"), updated.paramsJson());
    assertTrue(updated.paused());
    assertEquals(created.nextFire(), updated.nextFire());
    assertEquals(created.createdAt(), updated.createdAt());
  }

  @Test
  void migrateCopiesSchedulesAsTheyStandWithTheirHistory() {
    JobManager source = open(db.builder().noWorkers());
    source.schedules().put(hourly("report", "ann"), "cli");
    source.schedules().pause("report", "moving", null);
    source.schedules().trigger("report", "cli");
    ScheduleInfo before = source.schedules().get("report").orElseThrow();
    TestDatabase other =
        backend == TestDatabase.Backend.SQLITE
            ? TestDatabase.sqlite(dir.resolve("other.db"))
            : TestDatabase.postgres();
    JobManager target = open(other.builder().noWorkers());
    source.transfer().migrateTo(target);
    ScheduleInfo after = target.schedules().get("report").orElseThrow();
    assertEquals(before, after);
    assertEquals(
        source.schedules().history("report", 10), target.schedules().history("report", 10));
    assertEquals(1, target.schedules().history("report", 10).orElseThrow().size());
  }
}
