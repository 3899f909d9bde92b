package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.DispatchedJob;
import dev.jobkit.runtime.JobInterceptor;
import dev.jobkit.runtime.JobManager;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #13 over HTTP: a submit's W3C trace headers reach the dispatch as its trace context (stored with
 * the job, for a tracing worker), and {@code GET /api/v1/metrics} serves the scrape it was given.
 */
class ObservabilityRoutesTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static JobkitServer plain;
  static Api operator;
  static final List<DispatchedJob> dispatched = new CopyOnWriteArrayList<>();

  static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @BeforeAll
  static void start() {
    JobInterceptor recorder =
        new JobInterceptor() {
          @Override
          public Map<String, String> dispatching(DispatchedJob job) {
            dispatched.add(job);
            return Map.of();
          }
        };
    jobs =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .noWorkers()
            .intercept(recorder)
            .open();
    server = JobkitServer.builder(jobs).port(0).metrics(() -> "jobkit_jobs_running 0.0\n").start();
    plain = JobkitServer.builder(jobs).port(0).start();
    operator = new Api(server.uri());
    operator.bearer = jobs.apiKeys().create("op", ApiKeys.Role.OPERATOR, "test").secret();
  }

  @AfterAll
  static void stop() {
    server.close();
    plain.close();
    jobs.close();
  }

  private DispatchedJob submit(String... headers) {
    dispatched.clear();
    HttpRequest.Builder r =
        operator
            .request("/api/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"http.echo\"}"));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> res = operator.send(r.build());
    assertEquals(201, res.statusCode(), res.body());
    assertEquals(1, dispatched.size());
    return dispatched.get(0);
  }

  @Test
  void theTraceHeadersOfASubmitGoWithTheDispatch() {
    DispatchedJob j = submit("traceparent", PARENT, "tracestate", "congo=t61rcWkgMzE");
    assertEquals(
        Map.of("traceparent", PARENT, "tracestate", "congo=t61rcWkgMzE"), j.traceContext());
  }

  @Test
  void anInvalidTraceparentIsIgnoredWithItsTracestate() {
    assertEquals(Map.of(), submit("traceparent", "00-xyz-01", "tracestate", "a=b").traceContext());
    assertEquals(Map.of(), submit().traceContext());
  }

  @Test
  void aTracestateLongerThan512CharactersIsLeftOut() {
    assertEquals(
        Map.of("traceparent", PARENT),
        submit("traceparent", PARENT, "tracestate", "a=" + "b".repeat(511)).traceContext());
  }

  @Test
  void theMetricsRouteServesTheScrapeItWasGiven() {
    HttpResponse<String> res = operator.get("/api/v1/metrics");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("jobkit_jobs_running 0.0\n", res.body());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        res.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void withoutAScrapeThereIsNoMetricsRoute() {
    Api a = new Api(plain.uri());
    a.bearer = operator.bearer;
    HttpResponse<String> res = a.get("/api/v1/metrics");
    assertEquals(404, res.statusCode(), res.body());
    assertTrue(res.body().contains("/api/v1/metrics"), res.body());
  }
}
