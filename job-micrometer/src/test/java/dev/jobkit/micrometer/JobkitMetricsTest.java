package dev.jobkit.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobkit.runtime.AttemptOutcome;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobAttempt;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.ScheduleSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JobkitMetrics} on a real SQLite manager: each meter moves as jobs run. */
class JobkitMetricsTest {
  @TempDir Path dir;
  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final List<JobManager> managers = new ArrayList<>();

  private JobManager open(JobkitMetrics metrics) {
    JobManager m =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .dataDirectory(dir.resolve("data"))
            .workers("default", 2)
            .pollInterval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .intercept(metrics)
            .open();
    managers.add(m);
    return m;
  }

  @AfterEach
  void close() {
    StepJob.gate = new CountDownLatch(0);
    managers.forEach(JobManager::close);
  }

  private double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  private long timerCount(String name, String... tags) {
    return registry.find(name).tags(tags).timers().stream().mapToLong(Timer::count).sum();
  }

  private void awaitEnded(JobManager m, String id) {
    Awaitility.await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () -> {
              JobState s = m.job(id).orElseThrow().state();
              return s == JobState.COMPLETED || s == JobState.FAILED;
            });
  }

  @Test
  void dispatchRunFailAndRetryMoveTheirMeters() {
    JobManager m = open(new JobkitMetrics(registry));
    String ok = m.dispatch(new StepJob(0, false, false)).id();
    String flaky = m.dispatch(new StepJob(1, false, false)).id();
    String fatal = m.dispatch(new StepJob(0, true, false)).id();
    for (String id : List.of(ok, flaky, fatal)) {
      awaitEnded(m, id);
    }
    // The outcome is recorded before the interceptor returns; the timers follow at once.
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> timerCount("jobkit.job.duration") == 4);
    String[] step = {"job", "metrics.step", "queue", "default"};
    assertEquals(3, count("jobkit.jobs.dispatched", step));
    assertEquals(2, count("jobkit.jobs.finished", "job", "metrics.step", "outcome", "completed"));
    assertEquals(1, count("jobkit.jobs.finished", "outcome", "failed"));
    assertEquals(1, count("jobkit.job.retries", step));
    assertEquals(0, count("jobkit.lease.lost"));
    assertEquals(2, timerCount("jobkit.job.duration", "outcome", "completed"));
    assertEquals(1, timerCount("jobkit.job.duration", "outcome", "retry_scheduled"));
    assertEquals(1, timerCount("jobkit.job.duration", "outcome", "failed"));
    assertEquals(4, timerCount("jobkit.job.wait", step));
  }

  @Test
  void noTenantTagByDefault() {
    JobManager m = open(new JobkitMetrics(registry));
    String id =
        m.dispatch(new StepJob(0, false, false), DispatchOptions.builder().tenant("acme").build())
            .id();
    awaitEnded(m, id);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> timerCount("jobkit.job.duration") == 1);
    for (String name :
        List.of(
            "jobkit.jobs.dispatched",
            "jobkit.jobs.finished",
            "jobkit.job.duration",
            "jobkit.job.wait")) {
      assertEquals(
          List.of(),
          registry.find(name).meters().stream()
              .filter(meter -> meter.getId().getTag("tenant") != null)
              .toList(),
          name);
    }
  }

  @Test
  void tenantTagOnTheDispatchAndAttemptMetersWhenEnabled() {
    JobManager m = open(new JobkitMetrics(registry).tenantTag(true));
    String acme =
        m.dispatch(new StepJob(1, false, false), DispatchOptions.builder().tenant("acme").build())
            .id();
    String plain = m.dispatch(new StepJob(0, false, false)).id();
    awaitEnded(m, acme);
    awaitEnded(m, plain);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> timerCount("jobkit.job.duration") == 3);
    assertEquals(1, count("jobkit.jobs.finished", "tenant", "acme", "outcome", "completed"));
    assertEquals(1, count("jobkit.jobs.finished", "tenant", "default", "outcome", "completed"));
    assertEquals(1, count("jobkit.job.retries", "tenant", "acme"));
    assertEquals(2, timerCount("jobkit.job.duration", "tenant", "acme"));
    assertEquals(2, timerCount("jobkit.job.wait", "tenant", "acme"));
    assertEquals(1, timerCount("jobkit.job.wait", "tenant", "default"));
    assertEquals(1, count("jobkit.jobs.dispatched", "tenant", "acme"));
    assertEquals(1, count("jobkit.jobs.dispatched", "tenant", "default"));
  }

  @Test
  void savingAScheduleIsNotADispatch() {
    JobManager m = open(new JobkitMetrics(registry));
    m.schedules()
        .put(
            ScheduleSpec.cron("nightly", "0 3 * * *").job(new StepJob(0, false, false)).build(),
            "test");
    assertEquals(0, count("jobkit.jobs.dispatched"));
  }

  @Test
  void runningCountsAttemptsInProgress() {
    StepJob.gate = new CountDownLatch(1);
    JobManager m = open(new JobkitMetrics(registry));
    String id = m.dispatch(new StepJob(0, false, true)).id();
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> gauge("jobkit.jobs.running", "default") == 1.0);
    StepJob.gate.countDown();
    awaitEnded(m, id);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> gauge("jobkit.jobs.running", "default") == 0.0);
  }

  private double gauge(String name, String queue) {
    Gauge g = registry.find(name).tag("queue", queue).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void queueDepthIsReadOncePerRefreshNotPerScrape() {
    JobManager m = open(new JobkitMetrics(registry).queueDepthRefresh(Duration.ofSeconds(10)));
    // "idle" has no workers: its jobs stay queued. The depths were read when the manager opened.
    for (int i = 0; i < 3; i++) {
      m.dispatch(new StepJob(0, false, false), DispatchOptions.builder().queue("idle").build());
    }
    assertEquals(3, m.queueDepths().get("idle"));
    assertEquals(0.0, gauge("jobkit.queue.depth", "idle"), "cached from the open");
    clock.add(Duration.ofSeconds(9));
    assertEquals(0.0, gauge("jobkit.queue.depth", "idle"), "still cached after 9 s");
    clock.add(Duration.ofSeconds(2));
    assertEquals(3.0, gauge("jobkit.queue.depth", "idle"), "read again after 11 s");
    m.dispatch(new StepJob(0, false, false), DispatchOptions.builder().queue("idle").build());
    assertEquals(3.0, gauge("jobkit.queue.depth", "idle"), "cached again");
  }

  @Test
  void aLostLeaseIsCountedAndIsNotAFinish() {
    JobkitMetrics metrics = new JobkitMetrics(registry);
    AttemptOutcome o = metrics.around(attempt(), () -> AttemptOutcome.LEASE_LOST);
    assertEquals(AttemptOutcome.LEASE_LOST, o);
    assertEquals(1, count("jobkit.lease.lost", "job", "x", "queue", "q"));
    assertNull(registry.find("jobkit.jobs.finished").counter());
    assertEquals(1, timerCount("jobkit.job.duration", "outcome", "lease_lost"));
  }

  @Test
  void aNegativeRefreshIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new JobkitMetrics(registry).queueDepthRefresh(Duration.ofSeconds(-1)));
    assertEquals(
        "queueDepthRefresh must not be negative, got PT-1S; use Duration.ZERO to read on every"
            + " scrape",
        e.getMessage());
  }

  static JobAttempt attempt() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new JobAttempt() {
      @Override
      public String id() {
        return "j1";
      }

      @Override
      public String name() {
        return "x";
      }

      @Override
      public String queue() {
        return "q";
      }

      @Override
      public String tenant() {
        return "default";
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public int maxAttempts() {
        return 3;
      }

      @Override
      public boolean resumed() {
        return false;
      }

      @Override
      public Instant dueAt() {
        return t;
      }

      @Override
      public Instant startedAt() {
        return t.plusMillis(5);
      }

      @Override
      public Map<String, String> traceContext() {
        return Map.of();
      }

      @Override
      public Optional<Throwable> failure() {
        return Optional.empty();
      }

      @Override
      public void logTraceId(String traceId) {}
    };
  }
}
