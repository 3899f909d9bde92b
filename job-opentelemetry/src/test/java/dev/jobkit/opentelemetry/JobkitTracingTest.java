package dev.jobkit.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.JobkitServer;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleSpec;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JobkitTracing} with the SDK's in-memory exporter, on a real SQLite manager. */
class JobkitTracingTest {
  @TempDir Path dir;
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk otel;
  private Tracer tracer;
  private JobManager manager;

  @BeforeEach
  void open() {
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    tracer = otel.getTracer("test");
    manager =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .dataDirectory(dir.resolve("data"))
            .workers("default", 1)
            .pollInterval(Duration.ofMillis(50))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .intercept(new JobkitTracing(otel))
            .open();
  }

  @AfterEach
  void close() {
    manager.close();
    otel.close();
  }

  /** The job spans exported so far, once there are {@code n}, by attempt. */
  private List<SpanData> jobSpans(int n) {
    Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> jobSpansNow().size() >= n);
    return jobSpansNow();
  }

  private List<SpanData> jobSpansNow() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("job otel.step"))
        .sorted(Comparator.comparing(s -> s.getAttributes().get(JobkitTracing.ATTEMPT)))
        .toList();
  }

  private String dispatchInside(Span parent, int failTimes) {
    Scope scope = parent.makeCurrent();
    try {
      return manager.dispatch(new TraceJob(failTimes)).id();
    } finally {
      scope.close();
      parent.end();
    }
  }

  private String traceIdOfLine(String jobId, int attempt) {
    return manager.logs(jobId).stream()
        .filter(l -> l.attempt() == attempt)
        .map(JobLogLine::traceId)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theFirstAttemptIsAChildOfTheDispatchingSpan() {
    Span parent = tracer.spanBuilder("request").startSpan();
    String id = dispatchInside(parent, 0);
    SpanData job = jobSpans(1).get(0);
    assertEquals(parent.getSpanContext().getTraceId(), job.getTraceId());
    assertEquals(parent.getSpanContext().getSpanId(), job.getParentSpanId());
    assertEquals(SpanKind.CONSUMER, job.getKind());
    assertEquals(id, job.getAttributes().get(JobkitTracing.JOB_ID));
    assertEquals("default", job.getAttributes().get(JobkitTracing.QUEUE));
    assertEquals("completed", job.getAttributes().get(JobkitTracing.OUTCOME));
    assertTrue(job.getLinks().isEmpty());
    assertEquals(job.getTraceId(), traceIdOfLine(id, 1), "the job's log line carries its trace");
  }

  @Test
  void aRetryStartsANewTraceLinkedToTheDispatch() {
    Span parent = tracer.spanBuilder("request").startSpan();
    String id = dispatchInside(parent, 1);
    List<SpanData> spans = jobSpans(2);
    SpanData first = spans.get(0);
    SpanData retry = spans.get(1);
    SpanContext dispatch = parent.getSpanContext();
    assertEquals(dispatch.getTraceId(), first.getTraceId());
    assertEquals(StatusCode.ERROR, first.getStatus().getStatusCode());
    assertEquals("retry_scheduled", first.getAttributes().get(JobkitTracing.OUTCOME));
    assertTrue(
        first.getEvents().stream().anyMatch(e -> e.getName().equals("exception")),
        "the failure is recorded on the first attempt's span");
    assertNotEquals(dispatch.getTraceId(), retry.getTraceId());
    assertFalse(retry.getParentSpanContext().isValid(), "the retry's span is a root");
    assertEquals(
        List.of(dispatch.getTraceId() + "/" + dispatch.getSpanId()),
        retry.getLinks().stream()
            .map(LinkData::getSpanContext)
            .map(JobkitTracingTest::ids)
            .toList());
    assertEquals(first.getTraceId(), traceIdOfLine(id, 1));
    assertEquals(retry.getTraceId(), traceIdOfLine(id, 2));
  }

  @Test
  void aJobDispatchedOutsideAnySpanStartsATraceOfItsOwn() {
    manager.dispatch(new TraceJob(0));
    SpanData job = jobSpans(1).get(0);
    assertFalse(job.getParentSpanContext().isValid());
    assertTrue(job.getLinks().isEmpty());
  }

  @Test
  void aScheduleFireStartsATraceOfItsOwnThoughTheScheduleWasMadeInASpan() {
    Span parent = tracer.spanBuilder("admin").startSpan();
    Scope scope = parent.makeCurrent();
    try {
      manager
          .schedules()
          .put(
              ScheduleSpec.every("tick", Duration.ofSeconds(1)).job(new TraceJob(0)).build(),
              "test");
    } finally {
      scope.close();
      parent.end();
    }
    SpanData job = jobSpans(1).get(0);
    assertNotEquals(parent.getSpanContext().getTraceId(), job.getTraceId());
    assertFalse(job.getParentSpanContext().isValid());
    assertTrue(job.getLinks().isEmpty());
  }

  @Test
  void aJobSubmittedOverHttpContinuesTheTraceOfItsTraceparentHeader() throws Exception {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String spanId = "b7ad6b7169203331";
    try (JobkitServer server = JobkitServer.builder(manager).port(0).start()) {
      String key = manager.apiKeys().create("op", ApiKeys.Role.OPERATOR, "test").secret();
      HttpResponse<String> res =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.uri().resolve("api/v1/jobs"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .header("traceparent", "00-" + traceId + "-" + spanId + "-01")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"otel.step\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(201, res.statusCode(), res.body());
      Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(res.body());
      assertTrue(m.find(), res.body());
      SpanData job = jobSpans(1).get(0);
      assertEquals(traceId, job.getTraceId());
      assertEquals(spanId, job.getParentSpanId());
      assertEquals(m.group(1), job.getAttributes().get(JobkitTracing.JOB_ID));
    }
  }

  private static String ids(SpanContext c) {
    return c.getTraceId() + "/" + c.getSpanId();
  }
}
