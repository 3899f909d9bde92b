package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.AttemptOutcome;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.DispatchedJob;
import dev.jobkit.runtime.JobAttempt;
import dev.jobkit.runtime.JobInterceptor;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobInterceptor}s (#13): what they store at dispatch comes back with every attempt, they
 * see each attempt's outcome, the trace id they set goes with the log lines, and one that throws
 * stops neither a dispatch nor a job.
 */
class InterceptorsTest {
  @TempDir Path dir;
  private JobManager manager;

  /** What one attempt looked like to the interceptor. */
  record Seen(
      String id,
      int attempt,
      Map<String, String> context,
      AttemptOutcome outcome,
      boolean failed,
      boolean dueBeforeStart) {}

  /** Stores the job's id as its context, records each attempt, sets a trace id for the logs. */
  static final class Recorder implements JobInterceptor {
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<DispatchedJob> dispatched = new CopyOnWriteArrayList<>();
    volatile JobManager opened;

    @Override
    public void opened(JobManager m) {
      opened = m;
    }

    @Override
    public Map<String, String> dispatching(DispatchedJob job) {
      dispatched.add(job);
      return Map.of("id", job.id());
    }

    @Override
    public AttemptOutcome around(JobAttempt a, Proceed proceed) {
      a.logTraceId("trace-" + a.attempt());
      AttemptOutcome o = proceed.proceed();
      seen.add(
          new Seen(
              a.id(),
              a.attempt(),
              a.traceContext(),
              o,
              a.failure().isPresent(),
              !a.dueAt().isAfter(a.startedAt())));
      return o;
    }
  }

  /** Throws from every hook, before proceeding. */
  static final class Broken implements JobInterceptor {
    @Override
    public Map<String, String> dispatching(DispatchedJob job) {
      throw new IllegalStateException("broken dispatching");
    }

    @Override
    public AttemptOutcome around(JobAttempt attempt, Proceed proceed) {
      throw new IllegalStateException("broken around");
    }
  }

  private JobManager open(JobInterceptor... interceptors) {
    JobManager.Builder b =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .dataDirectory(dir.resolve("data"))
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20));
    for (JobInterceptor i : interceptors) {
      b.intercept(i);
    }
    manager = b.open();
    return manager;
  }

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close();
    }
  }

  @Test
  void theContextStoredAtDispatchComesBackWithEveryAttemptAndEachOutcomeIsSeen() throws Exception {
    Recorder r = new Recorder();
    JobManager m = open(r);
    assertSame(m, r.opened);
    String id =
        m.dispatch(
                new FlakyJob(1, false),
                DispatchOptions.builder().traceContext("traceparent", "tp").build())
            .id();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> r.seen.size() == 2);
    Map<String, String> stored = Map.of("id", id, "traceparent", "tp");
    assertEquals(
        List.of(
            new Seen(id, 1, stored, AttemptOutcome.RETRY_SCHEDULED, true, true),
            new Seen(id, 2, stored, AttemptOutcome.COMPLETED, false, true)),
        r.seen);
    assertEquals(Map.of("traceparent", "tp"), r.dispatched.get(0).traceContext());
    assertEquals("default", r.dispatched.get(0).queue());
  }

  @Test
  void aLogLineCarriesTheTraceIdItsAttemptSet() throws Exception {
    Recorder r = new Recorder();
    JobManager m = open(r);
    String id = m.dispatch(new LogLinesJob(2)).id();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> r.seen.size() == 1);
    List<JobLogLine> lines = m.logs(id);
    assertEquals(2, lines.size());
    for (JobLogLine l : lines) {
      assertEquals("trace-1", l.traceId());
    }
  }

  @Test
  void withoutInterceptorsNothingIsStoredAndLogLinesHaveNoTraceId() throws Exception {
    JobManager m = open();
    String id = m.dispatch(new LogLinesJob(1)).id();
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> m.job(id).orElseThrow().state().name().equals("COMPLETED"));
    assertNull(m.logs(id).get(0).traceId());
  }

  @Test
  void aContextTooLargeToStoreIsLeftOutAndTheJobStillRuns() throws Exception {
    Recorder r = new Recorder();
    JobInterceptor huge =
        new JobInterceptor() {
          @Override
          public Map<String, String> dispatching(DispatchedJob job) {
            return Map.of("baggage", "x".repeat(5000));
          }
        };
    JobManager m = open(huge, r);
    String id =
        m.dispatch(
                new FlakyJob(0, false),
                DispatchOptions.builder().traceContext("traceparent", "tp").build())
            .id();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> r.seen.size() == 1);
    assertEquals(Map.of("traceparent", "tp"), r.seen.get(0).context(), "the given context only");
    assertEquals(AttemptOutcome.COMPLETED, r.seen.get(0).outcome());
    assertFalse(m.job(id).isEmpty());
  }

  @Test
  void anInterceptorThatThrowsStopsNeitherTheDispatchNorTheJob() throws Exception {
    Recorder r = new Recorder();
    JobManager m = open(new Broken(), r);
    String id = m.dispatch(new FlakyJob(0, true)).id();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> r.seen.size() == 1);
    Seen s = r.seen.get(0);
    assertEquals(AttemptOutcome.FAILED, s.outcome());
    assertTrue(s.failed());
    assertEquals(Map.of("id", id), s.context());
    assertFalse(m.job(id).isEmpty());
  }
}
