package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.ScheduleFire;
import dev.jobkit.runtime.ScheduleInfo;
import dev.jobkit.runtime.ScheduleSpec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule routes (#12) on a SQLite file: reading, changing, errors, roles, read-only. */
class ScheduleRoutesTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static String viewer;
  static String operator;

  @BeforeAll
  static void start() {
    jobs = JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open();
    viewer = jobs.apiKeys().create("viewer", ApiKeys.Role.VIEWER, "test").secret();
    operator = jobs.apiKeys().create("op", ApiKeys.Role.OPERATOR, "test").secret();
    server = JobkitServer.builder(jobs).port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    jobs.close();
  }

  static Api as(String secret) {
    Api api = new Api(server.uri());
    api.bearer = secret;
    return api;
  }

  static HttpResponse<String> put(Api api, String name, String json) {
    return api.send(
        api.request("/api/v1/schedules/" + name)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  static Map<String, Object> problem(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
    return J.obj(r.body());
  }

  @Test
  void putCreatesThenReplacesAndGetShowsNextFireTimesAndHistory() {
    Api op = as(operator);
    Instant before = Instant.now();
    HttpResponse<String> created =
        put(
            op,
            "report",
            "{\"every\": \"PT1H30M\", \"job\": \"http.echo\", \"params\": {\"text\": \"hi\"},"
                + " \"queue\": \"reports\", \"priority\": \"high\", \"tags\": [\"nightly\"],"
                + " \"maxAttempts\": 4, \"timeout\": \"PT5M\", \"misfire\": \"fire-all\","
                + " \"misfireCap\": 7, \"misfireGrace\": 30000, \"overlap\": \"QUEUE_ONE\","
                + " \"jitter\": \"PT10S\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(
        created
            .headers()
            .firstValue("Location")
            .orElseThrow()
            .endsWith("/api/v1/schedules/report"));
    Object c = J.parse(created.body());
    assertEquals("PT1H30M", J.get(c, "every"));
    assertNull(J.get(c, "cron"));
    assertEquals("every 1h30m", J.get(c, "when"));
    assertEquals("hi", J.get(c, "params.text"));
    assertEquals("reports", J.get(c, "queue"));
    assertEquals("HIGH", J.get(c, "priority"));
    assertEquals("nightly", J.get(c, "tags.0"));
    assertEquals(4L, J.get(c, "maxAttempts"));
    assertEquals("PT5M", J.get(c, "timeout"));
    assertEquals("FIRE_ALL", J.get(c, "misfire"));
    assertEquals(7L, J.get(c, "misfireCap"));
    assertEquals("PT30S", J.get(c, "misfireGrace"));
    assertEquals("QUEUE_ONE", J.get(c, "overlap"));
    assertEquals("PT10S", J.get(c, "jitter"));
    assertEquals("key:op", J.get(c, "createdBy"));
    Instant next = Instant.parse((String) J.get(c, "nextFire"));
    assertFalse(next.isBefore(before.plus(Duration.ofMinutes(90)).minusSeconds(1)));

    String id = jobs.schedules().trigger("report", "test").orElseThrow().id();
    Object one = J.parse(as(viewer).get("/api/v1/schedules/report?next=3").body());
    assertEquals(
        List.of(
            next.toString(),
            next.plus(Duration.ofMinutes(90)).toString(),
            next.plus(Duration.ofMinutes(180)).toString()),
        J.get(one, "next"));
    assertEquals("TRIGGERED", J.get(one, "history.0.outcome"));
    assertEquals(id, J.get(one, "history.0.jobId"));
    assertEquals("triggered by test", J.get(one, "history.0.reason"));
    Object dflt = J.parse(as(viewer).get("/api/v1/schedules/report").body());
    assertEquals(5, ((List<?>) J.get(dflt, "next")).size(), "five fire times by default");
    List<?> list =
        (List<?>) J.get(J.parse(as(viewer).get("/api/v1/schedules").body()), "schedules");
    Object listed =
        list.stream().filter(x -> "report".equals(J.get(x, "name"))).findFirst().orElseThrow();
    assertEquals(id, J.get(listed, "lastJobId"));

    HttpResponse<String> replaced =
        put(op, "report", "{\"every\": \"PT1H30M\", \"job\": \"http.echo\"}");
    assertEquals(200, replaced.statusCode(), replaced.body());
    assertEquals(next.toString(), J.get(J.parse(replaced.body()), "nextFire"));
    assertEquals("ALLOW", J.get(J.parse(replaced.body()), "overlap"));
    assertEquals("", J.get(J.parse(replaced.body()), "params.text"));

    Map<String, Object> bad = problem(op.get("/api/v1/schedules/report?next=5000"), 400);
    assertEquals("next", bad.get("field"));
  }

  @Test
  void theOpenApiDocumentDescribesThePutBody() {
    Object doc = J.parse(as(viewer).get("/api/v1/openapi.json").body());
    assertEquals(
        "#/components/schemas/ScheduleRequest",
        J.get(
            doc,
            "paths./api/v1/schedules/{name}.put.requestBody.content.application/json.schema.$ref"));
    assertEquals(
        List.of("SKIP", "QUEUE_ONE", "ALLOW"),
        J.get(doc, "components.schemas.ScheduleRequest.properties.overlap.enum"));
    assertEquals("viewer", J.get(doc, "paths./api/v1/schedules.get.x-jobkit-role"));
    assertEquals(
        "operator", J.get(doc, "paths./api/v1/schedules/{name}/trigger.post.x-jobkit-role"));
  }

  @Test
  void pauseResumeTriggerAndDeleteAnswerWithTheScheduleOrTheJob() {
    Api op = as(operator);
    assertEquals(201, put(op, "ping", "{\"every\": 3600000, \"job\": \"http.echo\"}").statusCode());

    HttpResponse<String> paused =
        op.post("/api/v1/schedules/ping/pause", "{\"reason\": \"maintenance\"}");
    assertEquals(200, paused.statusCode(), paused.body());
    assertEquals(Boolean.TRUE, J.get(J.parse(paused.body()), "paused"));
    assertEquals("maintenance", J.get(J.parse(paused.body()), "pauseReason"));

    HttpResponse<String> triggered = op.post("/api/v1/schedules/ping/trigger", "");
    assertEquals(201, triggered.statusCode(), triggered.body());
    String id = (String) J.get(J.parse(triggered.body()), "id");
    assertEquals("http.echo", J.get(J.parse(triggered.body()), "name"));
    assertEquals("key:op", J.get(J.parse(triggered.body()), "createdBy"));
    assertTrue(triggered.headers().firstValue("Location").orElseThrow().endsWith("/jobs/" + id));
    List<ScheduleFire> h = jobs.schedules().history("ping", 5).orElseThrow();
    assertEquals("triggered by key:op", h.get(0).reason());

    HttpResponse<String> resumed = op.post("/api/v1/schedules/ping/resume", "");
    assertEquals(200, resumed.statusCode(), resumed.body());
    assertEquals(Boolean.FALSE, J.get(J.parse(resumed.body()), "paused"));

    assertEquals(204, op.delete("/api/v1/schedules/ping").statusCode());
    assertEquals(Optional.empty(), jobs.schedules().get("ping"));
    assertTrue(jobs.job(id).isPresent(), "the triggered job stays");
  }

  @Test
  void badBodiesAreProblemsWithTheRuntimesMessageAndWhereItWas() {
    Api op = as(operator);
    Map<String, Object> params =
        problem(
            put(
                op,
                "x",
                "{\"every\": \"PT1M\", \"job\": \"http.echo\",\n \"params\": {\"count\": \"no\"}}"),
            400);
    assertEquals("https://jobkit.dev/problems/invalid-parameters", params.get("type"));
    assertEquals("$.params.count", params.get("path"));
    assertEquals(2L, params.get("line"));
    assertEquals("count", params.get("field"));
    assertFalse(params.get("detail").toString().contains("\n"));

    Map<String, Object> zone =
        problem(
            put(
                op,
                "x",
                "{\"cron\": \"0 * * * *\", \"zone\": \"Mars/Olympus\", \"job\": \"http.echo\"}"),
            400);
    assertEquals(
        "schedule 'x': unknown time zone 'Mars/Olympus': use an IANA zone id such as"
            + " Europe/Berlin or America/New_York, or UTC",
        zone.get("detail"));
    assertEquals("$.zone", zone.get("path"));
    assertEquals(31L, zone.get("column"));

    Map<String, Object> blank =
        problem(put(op, "x", "{\"cron\": \" \", \"job\": \"http.echo\"}"), 400);
    assertTrue(blank.get("detail").toString().startsWith("cron '"), blank.toString());
    assertEquals("$.cron", blank.get("path"));

    Map<String, Object> fast =
        problem(put(op, "x", "{\"every\": \"PT0.5S\", \"job\": \"http.echo\"}"), 400);
    assertEquals("schedule 'x': interval PT0.5S is shorter than 1 second", fast.get("detail"));

    Map<String, Object> type =
        problem(put(op, "x", "{\"every\": \"PT1M\", \"job\": \"http.ecko\"}"), 400);
    assertEquals("https://jobkit.dev/problems/unknown-job", type.get("type"));
    assertEquals("$.job", type.get("path"));

    Map<String, Object> both =
        problem(
            put(op, "x", "{\"every\": \"PT1M\", \"cron\": \"* * * * *\", \"job\": \"http.echo\"}"),
            400);
    assertTrue(both.get("detail").toString().contains("exactly one of 'cron'"), both.toString());
    Map<String, Object> unknownField =
        problem(
            put(op, "x", "{\"every\": \"PT1M\", \"job\": \"http.echo\", \"jiter\": \"PT1S\"}"),
            400);
    assertTrue(unknownField.get("detail").toString().startsWith("$.jiter: unknown field 'jiter'"));
    Map<String, Object> policy =
        problem(
            put(op, "x", "{\"every\": \"PT1M\", \"job\": \"http.echo\", \"overlap\": \"never\"}"),
            400);
    assertTrue(
        policy.get("detail").toString().contains("expected SKIP, QUEUE_ONE, ALLOW"),
        policy.toString());
    Map<String, Object> name =
        problem(put(op, "a%20b", "{\"every\": \"PT1M\", \"job\": \"http.echo\"}"), 400);
    assertTrue(name.get("detail").toString().startsWith("schedule name 'a b' is not valid"));
    problem(put(op, "x", "{\"every\": \"1h\", \"job\": \"http.echo\"}"), 400);
    problem(put(op, "x", "[]"), 400);
    assertEquals(Optional.empty(), jobs.schedules().get("x"), "nothing stored");

    jobs.schedules()
        .put(
            ScheduleSpec.every("nightly-report", Duration.ofDays(1)).job("http.echo", "{}").build(),
            null);
    for (HttpResponse<String> r :
        List.of(
            op.get("/api/v1/schedules/nightly-reprot"),
            op.post("/api/v1/schedules/nightly-reprot/pause", ""),
            op.post("/api/v1/schedules/nightly-reprot/resume", ""),
            op.post("/api/v1/schedules/nightly-reprot/trigger", ""),
            op.delete("/api/v1/schedules/nightly-reprot"))) {
      Map<String, Object> p = problem(r, 404);
      assertEquals(
          "no schedule named 'nightly-reprot'; did you mean 'nightly-report'?; list them with GET"
              + " /api/v1/schedules",
          p.get("detail"));
    }
  }

  @Test
  void viewersReadOperatorsChangeAndAReadOnlyServerRefusesChanges() {
    jobs.schedules()
        .put(ScheduleSpec.every("roles", Duration.ofHours(1)).job("http.echo", "{}").build(), null);
    Api v = as(viewer);
    assertEquals(200, v.get("/api/v1/schedules").statusCode());
    assertEquals(200, v.get("/api/v1/schedules/roles").statusCode());
    for (HttpResponse<String> r :
        List.of(
            put(v, "roles", "{\"every\": \"PT1M\", \"job\": \"http.echo\"}"),
            v.post("/api/v1/schedules/roles/pause", ""),
            v.post("/api/v1/schedules/roles/resume", ""),
            v.post("/api/v1/schedules/roles/trigger", ""),
            v.delete("/api/v1/schedules/roles"))) {
      Map<String, Object> p = problem(r, 403);
      assertTrue(p.get("detail").toString().contains("needs the role operator"), p.toString());
    }
    assertEquals(401, as(null).get("/api/v1/schedules").statusCode());

    try (JobkitServer ro = JobkitServer.builder(jobs).port(0).readOnly(true).start()) {
      Api api = new Api(ro.uri());
      api.bearer = operator;
      assertEquals(200, api.get("/api/v1/schedules/roles").statusCode());
      Map<String, Object> p = problem(api.post("/api/v1/schedules/roles/trigger", ""), 403);
      assertTrue(p.get("detail").toString().startsWith("the server is read-only"), p.toString());
      problem(put(api, "roles", "{\"every\": \"PT1M\", \"job\": \"http.echo\"}"), 403);
    }
    ScheduleInfo after = jobs.schedules().get("roles").orElseThrow();
    assertEquals(Optional.of(Duration.ofHours(1)), after.interval());
    assertFalse(after.paused());
    assertTrue(after.lastJobId().isEmpty(), "nothing was triggered");
  }
}
