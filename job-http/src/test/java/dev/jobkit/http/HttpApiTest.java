package dev.jobkit.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.JobManager;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST routes on a real SQLite file, without authentication (loopback, no key). */
class HttpApiTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Api api;

  @BeforeAll
  static void start() {
    jobs =
        JobManager.builder()
            .database(dir.resolve("jobs.db"))
            .workers("default", 2)
            .workers("limited", 1) // #12 limits
            .limit(dev.jobkit.runtime.LimitSpec.queueRate("limited", 1, Duration.ofHours(1)))
            .pollInterval(Duration.ofMillis(50))
            .progressInterval(Duration.ofMillis(50))
            .open();
    server = JobkitServer.builder(jobs).port(0).maxBodyBytes(4096).start();
    api = new Api(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
    jobs.close();
  }

  @Test
  void typesListsEveryJobWithItsSchema() {
    HttpResponse<String> r = api.get("/api/v1/types");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    List<?> types = (List<?>) J.get(J.parse(r.body()), "types");
    assertTrue(types.stream().anyMatch(t -> "http.echo".equals(J.get(t, "name"))), r.body());
    Object one = J.parse(api.get("/api/v1/types/http.echo").body());
    assertEquals("object", J.get(one, "parameters.type"));
    assertNotNull(J.get(one, "parameters.properties.text"));
  }

  @Test
  void unknownTypeIs404Problem() {
    HttpResponse<String> r = api.get("/api/v1/types/http.nope");
    assertEquals(404, r.statusCode());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
    Map<String, Object> p = J.obj(r.body());
    assertEquals("https://jobkit.dev/problems/unknown-job", p.get("type"));
    assertEquals(404L, p.get("status"));
    assertEquals("/api/v1/types/http.nope", p.get("instance"));
    assertTrue(((String) p.get("detail")).contains("unknown job 'http.nope'"), r.body());
  }

  @Test
  void submitRunsTheJobAndTheJobRoutesShowIt() {
    HttpResponse<String> r =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"http.echo\",\"params\":{\"text\":\"hi\",\"items\":[\"a\",\"b\"]},"
                + "\"options\":{\"priority\":\"high\",\"tags\":[\"t1\"]}}");
    assertEquals(201, r.statusCode(), r.body());
    String id = (String) J.get(J.parse(r.body()), "id");
    assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/jobs/" + id));
    assertEquals("HIGH", J.get(J.parse(r.body()), "priority"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "COMPLETED".equals(J.get(J.parse(api.get("/api/v1/jobs/" + id).body()), "state")));
    assertEquals("\"HI\"", api.get("/api/v1/jobs/" + id + "/output").body());
    Object logs = J.parse(api.get("/api/v1/jobs/" + id.substring(0, 20) + "/logs").body());
    assertEquals("item a", J.get(logs, "lines.0.message"));
    Object warn = J.parse(api.get("/api/v1/jobs/" + id + "/logs?level=warn").body());
    assertEquals(1, ((List<?>) J.get(warn, "lines")).size());
    Object events = J.parse(api.get("/api/v1/jobs/" + id + "/events").body());
    assertEquals("CREATED", J.get(events, "events.0.kind"));
    Object list = J.parse(api.get("/api/v1/jobs?tag=t1&state=COMPLETED").body());
    assertEquals(id, J.get(list, "jobs.0.id"));
  }

  @Test
  void aJobThatWaitsForItsRateLimitSaysWhenItStartsNext() {
    dev.jobkit.runtime.DispatchOptions limited =
        dev.jobkit.runtime.DispatchOptions.builder().queue("limited").build();
    String first = jobs.dispatchByName("http.echo", "{\"text\": \"1\"}", limited).id();
    String second = jobs.dispatchByName("http.echo", "{\"text\": \"2\"}", limited).id();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> jobs.job(first).orElseThrow().state() == dev.jobkit.runtime.JobState.COMPLETED);
    Object doc = J.parse(api.get("/api/v1/jobs/" + second).body());
    assertEquals("QUEUED", J.get(doc, "state"));
    String waiting = (String) J.get(doc, "waitingFor");
    assertTrue(waiting.matches("next start in 3[0-9.]+ s \\(rate queue:limited 1/1h\\)"), waiting);
    assertEquals(null, J.get(J.parse(api.get("/api/v1/jobs/" + first).body()), "waitingFor"));
    jobs.cancel(second);
  }

  @Test
  void aJobThatWaitsForAParentShowsItsParents() {
    // The parent sits in a queue without workers, so the child stays WAITING.
    String parent =
        jobs.dispatchByName(
                "http.echo",
                "{\"text\": \"p\"}",
                dev.jobkit.runtime.DispatchOptions.builder().queue("nobody").build())
            .id();
    String child =
        jobs.dispatchByName(
                "http.echo",
                "{\"text\": \"c\"}",
                dev.jobkit.runtime.DispatchOptions.builder().dependsOn(parent).build())
            .id();
    Object doc = J.parse(api.get("/api/v1/jobs/" + child).body());
    assertEquals("WAITING", J.get(doc, "state"));
    assertEquals(parent, J.get(doc, "parents.0.id"));
    assertEquals("QUEUED", J.get(doc, "parents.0.state"));
    assertEquals("CANCEL", J.get(doc, "parents.0.onFailure"));
    assertEquals(false, J.get(doc, "parents.0.satisfied"));
    assertEquals(null, J.get(J.parse(api.get("/api/v1/jobs/" + parent).body()), "parents"));
    Object waiting = J.parse(api.get("/api/v1/jobs?state=WAITING").body());
    assertEquals(child, J.get(waiting, "jobs.0.id"));
    jobs.cancel(parent);
  }

  @Test
  void submitWithDependsOnWaitsForTheParentsWithTheirPolicies() {
    String a =
        jobs.dispatchByName(
                "http.echo",
                "{\"text\": \"a\"}",
                dev.jobkit.runtime.DispatchOptions.builder().queue("nobody").build())
            .id();
    String b =
        jobs.dispatchByName(
                "http.echo",
                "{\"text\": \"b\"}",
                dev.jobkit.runtime.DispatchOptions.builder().queue("nobody").build())
            .id();
    HttpResponse<String> r =
        api.post(
            "/api/v1/jobs",
            "{\"name\": \"http.echo\", \"params\": {\"text\": \"c\"}, \"options\":"
                + " {\"dependsOn\": [\""
                + a
                + "\", {\"id\": \""
                + b
                + "\", \"onFailure\": \"run_anyway\"}]}}");
    assertEquals(201, r.statusCode(), r.body());
    String child = (String) J.get(J.parse(r.body()), "id");
    Object doc = J.parse(api.get("/api/v1/jobs/" + child).body());
    assertEquals("WAITING", J.get(doc, "state"));
    assertEquals(a, J.get(doc, "parents.0.id"));
    assertEquals("CANCEL", J.get(doc, "parents.0.onFailure"));
    assertEquals(b, J.get(doc, "parents.1.id"));
    assertEquals("RUN_ANYWAY", J.get(doc, "parents.1.onFailure"));
    // The RUN_ANYWAY parent failing leaves the child waiting for the other one.
    jobs.cancel(b);
    assertEquals("WAITING", J.get(J.parse(api.get("/api/v1/jobs/" + child).body()), "state"));
    jobs.cancel(a);
    assertEquals("CANCELLED", J.get(J.parse(api.get("/api/v1/jobs/" + child).body()), "state"));
  }

  @Test
  void badDependsOnNamesTheOptionAndAMissingParent() {
    HttpResponse<String> policy =
        api.post(
            "/api/v1/jobs",
            "{\"name\": \"http.echo\", \"options\": {\"dependsOn\": [{\"id\": \"X\","
                + " \"onFailure\": \"IGNORE\"}]}}");
    assertEquals(400, policy.statusCode(), policy.body());
    Map<String, Object> p = J.obj(policy.body());
    assertEquals("$.options.dependsOn[0].onFailure", p.get("path"), policy.body());
    assertTrue(((String) p.get("detail")).contains("CANCEL, FAIL or RUN_ANYWAY"), policy.body());

    HttpResponse<String> notArray =
        api.post("/api/v1/jobs", "{\"name\": \"http.echo\", \"options\": {\"dependsOn\": \"X\"}}");
    assertEquals(400, notArray.statusCode(), notArray.body());
    assertEquals("$.options.dependsOn", J.obj(notArray.body()).get("path"), notArray.body());

    HttpResponse<String> missing =
        api.post(
            "/api/v1/jobs",
            "{\"name\": \"http.echo\", \"options\": {\"dependsOn\":"
                + " [\"01JZZZZZZZZZZZZZZZZZZZZZZZ\"]}}");
    assertEquals(400, missing.statusCode(), missing.body());
    String detail = (String) J.obj(missing.body()).get("detail");
    assertTrue(
        detail.contains("01JZZZZZZZZZZZZZZZZZZZZZZZ") && detail.contains("does not exist"),
        missing.body());
  }

  @Test
  void aRepeatedIdempotencyKeyAnswers200WithTheSameJob() {
    String body =
        "{\"name\":\"http.steps\",\"options\":{\"delay\":\"PT1H\",\"idempotencyKey\":\"once-1\"}}";
    HttpResponse<String> first = api.post("/api/v1/jobs", body);
    HttpResponse<String> second = api.post("/api/v1/jobs", body);
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(200, second.statusCode(), second.body());
    assertEquals(J.get(J.parse(first.body()), "id"), J.get(J.parse(second.body()), "id"));
    assertEquals(first.headers().firstValue("Location"), second.headers().firstValue("Location"));
  }

  /**
   * On PostgreSQL a job's createdAt comes from the database's clock, which may disagree with the
   * server's: the answer must not be guessed from it.
   */
  @Test
  void aRepeatedKeyIs200AndANewJob201WhateverTheStoreClockSays() {
    for (Duration skew : List.of(Duration.ofMinutes(-1), Duration.ofMinutes(1))) {
      try (JobManager skewed =
              JobManager.builder()
                  .database(dir.resolve("skew" + skew.isNegative() + ".db"))
                  .noWorkers()
                  .clock(Clock.offset(Clock.systemUTC(), skew))
                  .open();
          JobkitServer s = JobkitServer.builder(skewed).port(0).start()) {
        Api other = new Api(s.uri());
        String body = "{\"name\":\"http.steps\",\"options\":{\"idempotencyKey\":\"skew\"}}";
        assertEquals(201, other.post("/api/v1/jobs", body).statusCode(), "clock off by " + skew);
        assertEquals(200, other.post("/api/v1/jobs", body).statusCode(), "clock off by " + skew);
      }
    }
  }

  @Test
  void concurrentSubmitsWithOneKeyCreateOneJobAndOne201() {
    for (int round = 0; round < 3; round++) {
      String body =
          "{\"name\":\"http.steps\",\"options\":{\"delay\":\"PT1H\",\"idempotencyKey\":\"race-"
              + round
              + "\"}}";
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(
            api.client.sendAsync(
                api.request("/api/v1/jobs")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
      assertEquals(
          1, answers.stream().filter(r -> r.statusCode() == 201).count(), answers.toString());
      assertEquals(
          7, answers.stream().filter(r -> r.statusCode() == 200).count(), answers.toString());
      assertEquals(
          1,
          answers.stream().map(r -> J.get(J.parse(r.body()), "id")).distinct().count(),
          "one job");
    }
  }

  @Test
  void badParameterNamesPathLineAndColumnInTheWholeBody() {
    String body =
        "{\"name\": \"http.echo\",\n \"params\": {\"text\": \"x\",\n   \"count\": \"three\"}}";
    HttpResponse<String> r = api.post("/api/v1/jobs", body);
    assertEquals(400, r.statusCode(), r.body());
    Map<String, Object> p = J.obj(r.body());
    assertEquals("$.params.count", p.get("path"), r.body());
    assertEquals(3L, p.get("line"), r.body());
    assertEquals(13L, p.get("column"), r.body());
    assertEquals("http.echo", p.get("jobName"));
  }

  @Test
  void badJsonIs400WithPosition() {
    HttpResponse<String> r = api.post("/api/v1/jobs", "{\"name\": \"http.echo\",\n \"params\": {");
    assertEquals(400, r.statusCode(), r.body());
    Map<String, Object> p = J.obj(r.body());
    assertTrue(((String) p.get("detail")).startsWith("malformed JSON"), r.body());
    assertEquals(2L, p.get("line"));
  }

  @Test
  void unknownJobTypeOnSubmitIs400AtTheName() {
    HttpResponse<String> r = api.post("/api/v1/jobs", "{\"name\": \"http.ecko\"}");
    assertEquals(400, r.statusCode(), r.body());
    Map<String, Object> p = J.obj(r.body());
    assertEquals("$.name", p.get("path"));
    String detail = (String) p.get("detail");
    assertTrue(detail.contains("http.echo") && detail.contains("http.steps"), r.body());
  }

  @Test
  void oversizedBodyIs413() {
    String big = "{\"name\":\"http.echo\",\"params\":{\"text\":\"" + "x".repeat(5000) + "\"}}";
    HttpResponse<String> r = api.post("/api/v1/jobs", big);
    assertEquals(413, r.statusCode(), r.body());
    assertEquals("https://jobkit.dev/problems/body-too-large", J.obj(r.body()).get("type"));
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405WithAllow() {
    assertEquals(404, api.get("/api/v1/nothing").statusCode());
    HttpResponse<String> r = api.delete("/api/v1/jobs");
    assertEquals(405, r.statusCode());
    assertEquals("GET, POST", r.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void pagesServeTheAppWithCspAndTheBase() {
    for (String page :
        List.of("/", "/jobs", "/jobs/abc", "/types/http.echo", "/failed", "/login")) {
      HttpResponse<String> r = api.get(page);
      assertEquals(200, r.statusCode(), page);
      assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
      assertTrue(
          r.headers()
              .firstValue("Content-Security-Policy")
              .orElseThrow()
              .startsWith("default-src 'self'"));
      assertTrue(r.body().contains("<base href=\"/\">"), r.body());
    }
    assertEquals(404, api.get("/jobs/a/b/c").statusCode());
    assertEquals(404, api.get("/ui/nothing.js").statusCode());
  }

  @Test
  void healthIsReady() {
    HttpResponse<String> r = api.get("/api/v1/health");
    assertEquals(200, r.statusCode());
    assertEquals(Boolean.TRUE, J.get(J.parse(r.body()), "ready"));
  }

  @Test
  void keepAliveConnectionServesManyRequests() {
    for (int i = 0; i < 20; i++) {
      HttpRequest req = api.request("/api/v1/health").GET().build();
      assertEquals(200, api.send(req).statusCode());
    }
  }

  @Test
  void bulkCancelByFilterWithDryRunFirst() {
    for (int i = 0; i < 3; i++) {
      api.post(
          "/api/v1/jobs",
          "{\"name\":\"http.steps\",\"params\":{\"total\":1},"
              + "\"options\":{\"delay\":\"PT1H\",\"tags\":[\"bulk\"]}}");
    }
    String filter = "{\"filter\":{\"tag\":\"bulk\",\"state\":\"SCHEDULED\"}";
    Object dry = J.parse(api.post("/api/v1/jobs/bulk/cancel", filter + ",\"dryRun\":true}").body());
    assertEquals(3L, J.get(dry, "matched"));
    assertEquals(0L, J.get(dry, "changed"));
    Object done = J.parse(api.post("/api/v1/jobs/bulk/cancel", filter + "}").body());
    assertEquals(3L, J.get(done, "changed"), done.toString());
    Object list = J.parse(api.get("/api/v1/jobs?tag=bulk&state=CANCELLED").body());
    assertEquals(3, ((List<?>) J.get(list, "jobs")).size());
    HttpResponse<String> bad = api.post("/api/v1/jobs/bulk/cancel", "{\"ids\": 3}");
    assertEquals(400, bad.statusCode());
    assertEquals("$.ids", J.obj(bad.body()).get("path"));
  }

  @Test
  void controlActionsAnswerTheJobOr409() {
    String id =
        (String)
            J.get(
                J.parse(
                    api.post(
                            "/api/v1/jobs",
                            "{\"name\":\"http.steps\",\"options\":{\"delay\":\"PT1H\"}}")
                        .body()),
                "id");
    HttpResponse<String> paused = api.post("/api/v1/jobs/" + id + "/pause", "");
    assertEquals(200, paused.statusCode(), paused.body());
    assertEquals("PAUSED", J.get(J.parse(paused.body()), "state"));
    assertEquals(
        "CANCELLED",
        J.get(J.parse(api.post("/api/v1/jobs/" + id + "/cancel", "").body()), "state"));
    HttpResponse<String> r = api.post("/api/v1/jobs/" + id + "/pause", "");
    assertEquals(409, r.statusCode(), r.body());
    assertEquals(404, api.post("/api/v1/jobs/ZZZZ/cancel", "").statusCode());
  }

  @Test
  void badQueryParametersNameTheField() {
    HttpResponse<String> r = api.get("/api/v1/jobs?state=RUNING");
    assertEquals(400, r.statusCode());
    assertEquals("state", J.obj(r.body()).get("field"));
    assertEquals("limit", J.obj(api.get("/api/v1/jobs?limit=0").body()).get("field"));
  }
}
