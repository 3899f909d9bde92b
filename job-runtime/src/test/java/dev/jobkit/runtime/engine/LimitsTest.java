package dev.jobkit.runtime.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.LimitSpec;
import dev.jobkit.runtime.ScheduleSpec;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
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
 * Concurrency and rate limits through the manager (#12 limits), on both databases ({@link
 * LimitsSqliteTest}, {@link LimitsPostgresTest}): declared on {@code @Job} and on the builder,
 * keyed by a parameter, and the waiting reason of a job that waits for one.
 */
abstract class LimitsTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  LimitsTest(TestDatabase.Backend backend) {
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
    JobManager m =
        b.dataDirectory(dir.resolve("jobkit-data"))
            .workers("default", 4)
            .pollInterval(Duration.ofMillis(50))
            .shutdownGrace(Duration.ofSeconds(5))
            .open();
    open.add(m);
    return m;
  }

  private static String gate() {
    return "limits-" + UUID.randomUUID();
  }

  @Test
  void aKeyedLimitOnJobRunsOnePerHostAndSaysWhyTheOtherWaits() throws Exception {
    JobManager jobs = open(db.builder());
    String g1 = gate();
    String g2 = gate();
    String g3 = gate();
    JobHandle<String> first = jobs.dispatch(new LimitedJob("db1", g1));
    JobHandle<String> second = jobs.dispatch(new LimitedJob("db1", g2));
    JobHandle<String> other = jobs.dispatch(new LimitedJob("db2", g3));
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g1 + ".started"));
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g3 + ".started"));
    assertEquals(
        Optional.of("waiting for a slot of test.limited[host=db1] (1 of 1 running)"),
        jobs.waitingReason(second.id()));
    assertEquals(JobState.QUEUED, jobs.job(second.id()).orElseThrow().state());
    assertEquals(Optional.empty(), jobs.waitingReason(first.id()), "running: not waiting");
    Gates.open(g1);
    Gates.open(g3);
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g2 + ".started"));
    Gates.open(g2);
    assertEquals("db1", second.result().get(20, TimeUnit.SECONDS));
    assertEquals("db2", other.result().get(20, TimeUnit.SECONDS));
    assertEquals(Optional.empty(), jobs.waitingReason(second.id()), "finished: not waiting");
  }

  @Test
  void aRateLimitOnTheBuilderSaysWhenTheNextStartIs() throws Exception {
    JobManager jobs =
        open(db.builder().limit(LimitSpec.rate("test.greet", 1, Duration.ofHours(1))));
    JobHandle<String> first = jobs.dispatch(new GreetJob("ann"));
    JobHandle<String> second = jobs.dispatch(new GreetJob("bob"));
    assertEquals("hello ann", first.result().get(20, TimeUnit.SECONDS));
    String reason = jobs.waitingReason(second.id()).orElseThrow();
    assertTrue(reason.startsWith("next start in 3"), reason);
    assertTrue(reason.endsWith(" s (rate test.greet 1/1h)"), reason);
  }

  @Test
  void aQueueLimitAppliesToEveryJobOfTheQueue() throws Exception {
    JobManager jobs = open(db.builder().limit(LimitSpec.queueConcurrency("default", 1)));
    String g1 = gate();
    JobHandle<String> blocking = jobs.dispatch(new BlockJob(g1));
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g1 + ".started"));
    JobHandle<String> greet = jobs.dispatch(new GreetJob("cy"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.waitingReason(greet.id())
                    .equals(Optional.of("waiting for a slot of queue:default (1 of 1 running)")));
    Gates.open(g1);
    assertEquals(g1 + " done", blocking.result().get(20, TimeUnit.SECONDS));
    assertEquals("hello cy", greet.result().get(20, TimeUnit.SECONDS));
  }

  @Test
  void jobsThatAScheduleFiresHaveTheirLimitsToo() throws Exception {
    JobManager jobs = open(db.builder());
    String g1 = gate();
    String g2 = gate();
    for (String g : List.of(g1, g2)) {
      jobs.schedules()
          .put(
              ScheduleSpec.every("deploy-" + g, Duration.ofHours(1))
                  .job("test.limited", "{\"host\": \"db9\", \"gate\": \"" + g + "\"}")
                  .build(),
              "test");
    }
    String first = jobs.schedules().trigger("deploy-" + g1, "test").orElseThrow().id();
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g1 + ".started"));
    String second = jobs.schedules().trigger("deploy-" + g2, "test").orElseThrow().id();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.waitingReason(second)
                    .equals(
                        Optional.of(
                            "waiting for a slot of test.limited[host=db9] (1 of 1 running)")));
    Gates.open(g1);
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g2 + ".started"));
    Gates.open(g2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> jobs.job(first).orElseThrow().state() == JobState.COMPLETED);
  }

  @Test
  void jobsMadeFromATemplateHaveTheirLimitsToo() throws Exception {
    JobManager jobs = open(db.builder());
    String g1 = gate();
    String g2 = gate();
    jobs.templates().save("deploy-db8", "test.limited", "{\"host\": \"db8\"}", null, "test");
    JobHandle<?> first =
        jobs.templates()
            .dispatch("deploy-db8", Map.of("gate", "\"" + g1 + "\""), DispatchOptions.defaults());
    await().atMost(Duration.ofSeconds(20)).until(() -> Gates.isOpen(g1 + ".started"));
    JobHandle<?> second =
        jobs.templates()
            .dispatch("deploy-db8", Map.of("gate", "\"" + g2 + "\""), DispatchOptions.defaults());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jobs.waitingReason(second.id())
                    .equals(
                        Optional.of(
                            "waiting for a slot of test.limited[host=db8] (1 of 1 running)")));
    Gates.open(g1);
    Gates.open(g2);
    first.result().get(20, TimeUnit.SECONDS);
    second.result().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aLimitOnAnUnknownJobTypeIsRefusedWithTheName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> db.builder().noWorkers().limit(LimitSpec.concurrency("test.gret", 1)).open());
    assertTrue(e.getMessage().contains("no job type 'test.gret' is registered"), e.getMessage());
  }
}
