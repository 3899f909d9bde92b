package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/batches} (issue #12): dispatch, list, one batch with members, problems, roles. */
class BatchRoutesTest {
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

  static final String BODY =
      "{\"name\":\"greetings\",\"description\":\"two echoes\","
          + "\"jobs\":[{\"name\":\"http.echo\",\"params\":{\"text\":\"a\"}},"
          + "{\"name\":\"http.echo\",\"params\":{\"text\":\"b\"},\"options\":{\"queue\":\"q2\"}}],"
          + "\"onSuccess\":{\"name\":\"http.echo\",\"params\":{\"text\":\"done\"}},"
          + "\"onComplete\":{\"name\":\"http.echo\",\"params\":{\"text\":\"end\"},"
          + "\"options\":{\"priority\":\"HIGH\"}}}";

  @Test
  @SuppressWarnings("unchecked")
  void operatorsDispatchAndViewersRead() {
    HttpResponse<String> refused = viewer.post("/api/v1/batches", BODY);
    assertEquals(403, refused.statusCode(), refused.body());

    HttpResponse<String> created = operator.post("/api/v1/batches", BODY);
    assertEquals(201, created.statusCode(), created.body());
    Map<String, Object> b = J.obj(created.body());
    String id = (String) b.get("id");
    assertEquals("greetings", b.get("name"));
    assertEquals("RUNNING", b.get("state"));
    assertEquals(2, ((Number) b.get("total")).intValue());
    assertEquals("key:op", b.get("createdBy"));
    assertTrue(b.get("onSuccess") instanceof String);
    assertEquals(null, b.get("onFailure"));
    assertTrue(
        created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/batches/" + id));

    HttpResponse<String> list = viewer.get("/api/v1/batches");
    assertEquals(200, list.statusCode(), list.body());
    assertEquals(id, J.get(J.obj(list.body()), "batches.0.id"));

    HttpResponse<String> one = viewer.get("/api/v1/batches/" + id);
    assertEquals(200, one.statusCode(), one.body());
    List<Object> members = (List<Object>) J.obj(one.body()).get("members");
    assertEquals(2, members.size());
    String member = (String) ((Map<String, Object>) members.get(1)).get("id");
    assertEquals("q2", ((Map<String, Object>) members.get(1)).get("queue"));
    assertEquals(0.0, ((Number) J.obj(one.body()).get("progress")).doubleValue());

    HttpResponse<String> job = viewer.get("/api/v1/jobs/" + member);
    assertEquals(id, J.obj(job.body()).get("batch"), "a member's detail names its batch");
    HttpResponse<String> callback = viewer.get("/api/v1/jobs/" + b.get("onComplete"));
    assertEquals("WAITING", J.obj(callback.body()).get("state"));
    assertEquals("HIGH", J.obj(callback.body()).get("priority"));
  }

  @Test
  void problemsNameWhatIsWrong() {
    HttpResponse<String> missing = viewer.get("/api/v1/batches/nope");
    assertEquals(404, missing.statusCode(), missing.body());
    assertTrue(J.obj(missing.body()).get("detail").toString().contains("no batch with id nope"));

    HttpResponse<String> empty = operator.post("/api/v1/batches", "{\"jobs\":[]}");
    assertEquals(400, empty.statusCode(), empty.body());
    assertTrue(empty.body().contains("non-empty array"), empty.body());

    HttpResponse<String> unknown =
        operator.post("/api/v1/batches", "{\"jobs\":[{\"name\":\"no.such.job\"}]}");
    assertEquals(400, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().contains("no.such.job"), unknown.body());

    HttpResponse<String> badParams =
        operator.post(
            "/api/v1/batches", "{\"jobs\":[{\"name\":\"http.echo\",\"params\":{\"text\":5}}]}");
    assertEquals(400, badParams.statusCode(), badParams.body());
    assertEquals(
        "invalid-parameters", J.obj(badParams.body()).get("type").toString().replaceAll(".*/", ""));

    HttpResponse<String> field =
        operator.post("/api/v1/batches", "{\"jobs\":[{\"name\":\"http.echo\"}],\"x\":1}");
    assertEquals(400, field.statusCode(), field.body());
    assertTrue(field.body().contains("unknown field 'x'"), field.body());

    HttpResponse<String> limit = viewer.get("/api/v1/batches?limit=0");
    assertEquals(400, limit.statusCode(), limit.body());
    assertEquals(0, jobs.batches().list(10).stream().filter(x -> x.total() == 0).count());
  }
}
