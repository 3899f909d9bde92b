package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/templates} and {@code POST /api/v1/jobs} with a template (issue #12). */
class TemplateRoutesTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Api viewer;
  static Api operator;

  @BeforeAll
  static void start() {
    jobs = JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open();
    server = JobkitServer.builder(jobs).port(0).start();
    viewer = new Api(server.uri());
    viewer.bearer = jobs.apiKeys().create("view", ApiKeys.Role.VIEWER, "test").secret();
    operator = new Api(server.uri());
    operator.bearer = jobs.apiKeys().create("op", ApiKeys.Role.OPERATOR, "test").secret();
  }

  @AfterAll
  static void stop() {
    server.close();
    jobs.close();
  }

  private static HttpResponse<String> put(Api api, String path, String json) {
    return api.send(
        api.request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  @Test
  void viewersReadOperatorsSaveDispatchAndDelete() {
    String body = "{\"job\":\"http.echo\",\"params\":{\"text\":\"hi\"},\"description\":\"Hi\"}";
    HttpResponse<String> refused = put(viewer, "/api/v1/templates/hello", body);
    assertEquals(403, refused.statusCode(), refused.body());

    HttpResponse<String> created = put(operator, "/api/v1/templates/hello", body);
    assertEquals(201, created.statusCode(), created.body());
    Map<String, Object> t = J.obj(created.body());
    assertEquals("hello", t.get("name"));
    assertEquals("http.echo", t.get("job"));
    assertEquals(Map.of("text", "hi"), t.get("params"));
    assertEquals("key:op", t.get("createdBy"));
    assertTrue(
        created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/templates/hello"));
    HttpResponse<String> updated = put(operator, "/api/v1/templates/hello", body);
    assertEquals(200, updated.statusCode(), updated.body());

    HttpResponse<String> list = viewer.get("/api/v1/templates");
    assertEquals(200, list.statusCode(), list.body());
    assertEquals("hello", J.get(J.obj(list.body()), "templates.0.name"));
    HttpResponse<String> one = viewer.get("/api/v1/templates/hello");
    assertEquals(200, one.statusCode(), one.body());
    assertEquals("Hi", J.obj(one.body()).get("description"));

    HttpResponse<String> noSubmit = viewer.post("/api/v1/jobs", "{\"template\":\"hello\"}");
    assertEquals(403, noSubmit.statusCode(), noSubmit.body());
    HttpResponse<String> submitted =
        operator.post(
            "/api/v1/jobs",
            "{\"template\":\"hello\",\"set\":{\"text\":\"yo\",\"items\":[\"a\"],\"count\":2},"
                + "\"options\":{\"tags\":[\"x\"]}}");
    assertEquals(201, submitted.statusCode(), submitted.body());
    String id = (String) J.obj(submitted.body()).get("id");
    JobInfo info = jobs.job(id).orElseThrow();
    assertEquals(List.of("x", "template:hello"), info.tags());
    assertEquals(Optional.of("key:op"), info.createdBy());
    assertEquals(
        Optional.of("{\"text\":\"yo\",\"items\":[\"a\"],\"count\":2}"),
        jobs.detail(id).orElseThrow().paramsJson());

    assertEquals(403, viewer.delete("/api/v1/templates/hello").statusCode());
    assertEquals(204, operator.delete("/api/v1/templates/hello").statusCode());
    HttpResponse<String> gone = operator.delete("/api/v1/templates/hello");
    assertEquals(404, gone.statusCode(), gone.body());
    assertEquals("https://jobkit.dev/problems/unknown-template", J.obj(gone.body()).get("type"));
  }

  @Test
  void errorsAreProblemsWithTemplatePathLineAndColumn() {
    HttpResponse<String> bad =
        put(
            operator,
            "/api/v1/templates/bad",
            "{\"job\":\"http.echo\",\n \"params\":{\"count\":\"x\"}}");
    assertEquals(400, bad.statusCode(), bad.body());
    assertTrue(
        bad.headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"));
    Map<String, Object> p = J.obj(bad.body());
    assertEquals("https://jobkit.dev/problems/invalid-parameters", p.get("type"));
    assertEquals("$.params.count", p.get("path"), bad.body());
    assertEquals(2, ((Number) p.get("line")).intValue(), bad.body());
    assertEquals("bad", p.get("template"));
    assertTrue(
        ((String) p.get("detail")).startsWith("template 'bad': http.echo: $.params.count: "),
        bad.body());

    HttpResponse<String> type = put(operator, "/api/v1/templates/bad", "{\"job\":\"http.echoo\"}");
    assertEquals(400, type.statusCode(), type.body());
    assertTrue(((String) J.obj(type.body()).get("detail")).contains("did you mean 'http.echo'?"));

    put(operator, "/api/v1/templates/ok", "{\"job\":\"http.echo\",\"params\":{\"text\":\"x\"}}");
    HttpResponse<String> unknown = operator.post("/api/v1/jobs", "{\"template\":\"ko\"}");
    assertEquals(400, unknown.statusCode(), unknown.body());
    assertEquals("$.template", J.obj(unknown.body()).get("path"));
    assertTrue(((String) J.obj(unknown.body()).get("detail")).contains("did you mean 'ok'?"));

    HttpResponse<String> set =
        operator.post("/api/v1/jobs", "{\"template\":\"ok\",\"set\":{\"text.a\":1}}");
    assertEquals(400, set.statusCode(), set.body());
    assertEquals("https://jobkit.dev/problems/invalid-set", J.obj(set.body()).get("type"));

    HttpResponse<String> fit =
        operator.post("/api/v1/jobs", "{\"template\":\"ok\",\"set\":{\"count\":\"many\"}}");
    assertEquals(400, fit.statusCode(), fit.body());
    assertEquals("$.count", J.obj(fit.body()).get("path"), fit.body());

    HttpResponse<String> mixed =
        operator.post("/api/v1/jobs", "{\"template\":\"ok\",\"name\":\"http.echo\"}");
    assertEquals(400, mixed.statusCode(), mixed.body());
    assertEquals("$.name", J.obj(mixed.body()).get("path"), mixed.body());
  }
}
