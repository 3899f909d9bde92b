package dev.jobkit.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.StreamTest.Client;
import dev.jobkit.http.StreamTest.Message;
import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" (#14): two tenants with their own keys on one database cannot see each
 * other's jobs, schedules, templates, batches or stream events, and a request naming the other
 * tenant is refused. Another tenant's object answers exactly as an unknown one. Runs on SQLite and
 * PostgreSQL (the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenantIsolationTest {
  @TempDir static Path dir;
  JobManager jobs;
  JobkitServer server;
  Api a;
  Api b;
  Api admin;

  /** The database the test runs on. */
  abstract TestDatabase database(Path dir);

  @BeforeAll
  void start() {
    jobs = database(dir).builder().noWorkers().pollInterval(Duration.ofMillis(50)).open();
    server = JobkitServer.builder(jobs).port(0).start();
    a = as(jobs.apiKeys().create("a-op", ApiKeys.Role.OPERATOR, "a", "test").secret());
    b = as(jobs.apiKeys().create("b-op", ApiKeys.Role.OPERATOR, "b", "test").secret());
    admin = as(jobs.apiKeys().create("root", ApiKeys.Role.ADMIN, null, "test").secret());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (jobs != null) {
      jobs.close();
    }
  }

  private Api as(String secret) {
    Api api = new Api(server.uri());
    api.bearer = secret;
    return api;
  }

  private static String submit(Api api, String options) {
    HttpResponse<String> r =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"http.echo\",\"params\":{\"text\":\"x\"},\"options\":"
                + "{\"delay\":\"PT1H\""
                + options
                + "}}");
    assertEquals(201, r.statusCode(), r.body());
    return (String) J.obj(r.body()).get("id");
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(HttpResponse<String> list, String member) {
    assertEquals(200, list.statusCode(), list.body());
    return ((List<Object>) J.obj(list.body()).get(member))
        .stream().map(o -> (String) ((Map<String, Object>) o).get("id")).toList();
  }

  @SuppressWarnings("unchecked")
  private static long scheduledIn(HttpResponse<String> stats) {
    assertEquals(200, stats.statusCode(), stats.body());
    Map<String, Object> byState = (Map<String, Object>) J.obj(stats.body()).get("byState");
    return ((Number) byState.get("SCHEDULED")).longValue();
  }

  @Test
  void statsCountTheKeysTenantOnly() {
    Api c = as(jobs.apiKeys().create("c-view", ApiKeys.Role.OPERATOR, "c", "test").secret());
    Api d = as(jobs.apiKeys().create("d-view", ApiKeys.Role.OPERATOR, "d", "test").secret());
    submit(c, "");
    submit(c, "");
    submit(d, "");
    assertEquals(2, scheduledIn(c.get("/api/v1/stats")));
    assertEquals(1, scheduledIn(d.get("/api/v1/stats")));
    assertEquals(2, scheduledIn(admin.get("/api/v1/stats?tenant=c")));
    assertTrue(scheduledIn(admin.get("/api/v1/stats")) >= 3, "a key without tenant counts all");
    @SuppressWarnings("unchecked")
    Map<String, Object> queues =
        (Map<String, Object>) J.obj(d.get("/api/v1/stats").body()).get("queues");
    assertEquals(1L, ((Number) queues.get("default")).longValue(), queues.toString());
    assertEquals(403, c.get("/api/v1/stats?tenant=d").statusCode());
  }

  @Test
  void eachTenantsKeySeesAndControlsItsOwnJobsOnly() {
    String ja = submit(a, "");
    String jb = submit(b, "");
    assertEquals("a", J.obj(a.get("/api/v1/jobs/" + ja).body()).get("tenant"));
    assertEquals("b", jobs.job(jb).orElseThrow().tenant(), "dispatch goes into the key's tenant");

    List<String> listA = ids(a.get("/api/v1/jobs"), "jobs");
    assertTrue(listA.contains(ja) && !listA.contains(jb), listA.toString());
    List<String> listB = ids(b.get("/api/v1/jobs"), "jobs");
    assertTrue(listB.contains(jb) && !listB.contains(ja), listB.toString());

    // Another tenant's job is exactly an unknown job: the same status, type and wording.
    HttpResponse<String> unknown = b.get("/api/v1/jobs/0000000000000000000000nope");
    for (String path : List.of("", "/logs", "/events", "/output")) {
      HttpResponse<String> r = b.get("/api/v1/jobs/" + ja + path);
      assertEquals(404, r.statusCode(), path + ": " + r.body());
      assertEquals(J.obj(unknown.body()).get("type"), J.obj(r.body()).get("type"), r.body());
      assertFalse(r.body().contains("tenant"), "no hint that the job exists: " + r.body());
    }
    assertEquals(404, b.get("/api/v1/jobs/" + ja.substring(0, 20)).statusCode(), "by prefix");
    for (String action : List.of("cancel", "pause", "resume", "retry", "clone")) {
      assertEquals(404, b.post("/api/v1/jobs/" + ja + "/" + action, "").statusCode(), action);
    }
    assertEquals("SCHEDULED", jobs.job(ja).orElseThrow().state().name(), "untouched");

    // Bulk: by ids, the other tenant's are left out; by filter, only its own match.
    HttpResponse<String> bulk =
        b.post("/api/v1/jobs/bulk/cancel", "{\"ids\":[\"" + ja + "\"],\"dryRun\":false}");
    assertEquals(0L, J.obj(bulk.body()).get("matched"), bulk.body());
    HttpResponse<String> byFilter =
        b.post("/api/v1/jobs/bulk/cancel", "{\"filter\":{},\"dryRun\":true}");
    assertEquals(
        ids(b.get("/api/v1/jobs"), "jobs").size(),
        ((Number) J.obj(byFilter.body()).get("matched")).intValue(),
        byFilter.body());
    assertEquals(
        403, b.post("/api/v1/jobs/bulk/cancel", "{\"filter\":{\"tenant\":\"a\"}}").statusCode());

    // Its own job it controls.
    assertEquals(200, a.post("/api/v1/jobs/" + ja + "/cancel", "").statusCode());

    // The administrator sees both, and filters by tenant.
    List<String> all = ids(admin.get("/api/v1/jobs"), "jobs");
    assertTrue(all.contains(ja) && all.contains(jb), all.toString());
    List<String> onlyB = ids(admin.get("/api/v1/jobs?tenant=b"), "jobs");
    assertTrue(onlyB.contains(jb) && !onlyB.contains(ja), onlyB.toString());
    assertEquals(200, admin.get("/api/v1/jobs/" + ja).statusCode());
  }

  @Test
  void namingAnotherTenantIsRefusedWithAOneLineProblem() {
    HttpResponse<String> r =
        a.post(
            "/api/v1/jobs",
            "{\"name\":\"http.echo\",\"params\":{\"text\":\"x\"},\"options\":{\"tenant\":\"b\"}}");
    assertEquals(403, r.statusCode(), r.body());
    String detail = (String) J.obj(r.body()).get("detail");
    assertTrue(detail.startsWith("API key 'a-op' acts for tenant 'a' only"), detail);
    assertFalse(detail.contains("\n"), detail);
    assertEquals("$.options.tenant", J.obj(r.body()).get("path"), r.body());
    assertEquals(403, a.get("/api/v1/jobs?tenant=b").statusCode());
    assertEquals(200, a.get("/api/v1/jobs?tenant=a").statusCode(), "its own tenant is fine");
    submit(a, ",\"tenant\":\"a\"");

    // A key without a tenant dispatches into any tenant.
    String id = submit(admin, ",\"tenant\":\"b\"");
    assertEquals("b", jobs.job(id).orElseThrow().tenant());
    assertTrue(ids(b.get("/api/v1/jobs"), "jobs").contains(id));

    // A parent of another tenant is a parent that does not exist.
    String parentOfB = submit(b, "");
    HttpResponse<String> child =
        a.post(
            "/api/v1/jobs",
            "{\"name\":\"http.echo\",\"params\":{\"text\":\"x\"},\"options\":"
                + "{\"dependsOn\":[\""
                + parentOfB
                + "\"]}}");
    assertEquals(400, child.statusCode(), child.body());
    assertTrue(child.body().contains("does not exist"), child.body());
  }

  @Test
  void schedulesAreIsolated() {
    HttpResponse<String> put =
        a.put(
            "/api/v1/schedules/a-nightly",
            "{\"every\":\"PT1H\",\"job\":\"http.echo\",\"params\":{\"text\":\"n\"}}");
    assertEquals(201, put.statusCode(), put.body());
    assertEquals("a", J.obj(put.body()).get("tenant"));
    assertEquals("a", jobs.schedules().get("a-nightly").orElseThrow().tenant());

    HttpResponse<String> unknown = b.get("/api/v1/schedules/no-such-schedule");
    HttpResponse<String> other = b.get("/api/v1/schedules/a-nightly");
    assertEquals(404, other.statusCode(), other.body());
    assertEquals(J.obj(unknown.body()).get("type"), J.obj(other.body()).get("type"));
    assertFalse(ids2(b.get("/api/v1/schedules")).contains("a-nightly"));
    assertTrue(ids2(a.get("/api/v1/schedules")).contains("a-nightly"));
    assertTrue(ids2(admin.get("/api/v1/schedules")).contains("a-nightly"));
    for (String action : List.of("pause", "resume", "trigger")) {
      assertEquals(404, b.post("/api/v1/schedules/a-nightly/" + action, "").statusCode(), action);
    }
    assertEquals(404, b.delete("/api/v1/schedules/a-nightly").statusCode());
    HttpResponse<String> taken =
        b.put(
            "/api/v1/schedules/a-nightly",
            "{\"every\":\"PT1H\",\"job\":\"http.echo\",\"params\":{\"text\":\"n\"}}");
    assertEquals(409, taken.statusCode(), taken.body());
    assertEquals("a", jobs.schedules().get("a-nightly").orElseThrow().tenant(), "not replaced");
    assertEquals(
        403,
        a.put(
                "/api/v1/schedules/a-other",
                "{\"every\":\"PT1H\",\"job\":\"http.echo\",\"tenant\":\"b\"}")
            .statusCode());
    // A fire by hand goes into the schedule's tenant.
    HttpResponse<String> fired = a.post("/api/v1/schedules/a-nightly/trigger", "");
    assertEquals(201, fired.statusCode(), fired.body());
    assertEquals("a", J.obj(fired.body()).get("tenant"));
  }

  @Test
  void templatesAreIsolated() {
    HttpResponse<String> put =
        a.put("/api/v1/templates/a-tpl", "{\"job\":\"http.echo\",\"params\":{\"text\":\"t\"}}");
    assertEquals(201, put.statusCode(), put.body());
    assertEquals("a", J.obj(put.body()).get("tenant"));

    assertEquals(404, b.get("/api/v1/templates/a-tpl").statusCode());
    assertEquals(404, b.delete("/api/v1/templates/a-tpl").statusCode());
    assertFalse(ids2(b.get("/api/v1/templates")).contains("a-tpl"));
    assertTrue(ids2(a.get("/api/v1/templates")).contains("a-tpl"));
    HttpResponse<String> viaTemplate = b.post("/api/v1/jobs", "{\"template\":\"a-tpl\"}");
    HttpResponse<String> viaUnknown = b.post("/api/v1/jobs", "{\"template\":\"no-such-tpl\"}");
    assertEquals(viaUnknown.statusCode(), viaTemplate.statusCode(), viaTemplate.body());
    assertEquals(J.obj(viaUnknown.body()).get("type"), J.obj(viaTemplate.body()).get("type"));
    assertEquals(
        409,
        b.put("/api/v1/templates/a-tpl", "{\"job\":\"http.echo\",\"params\":{\"text\":\"t\"}}")
            .statusCode());

    HttpResponse<String> fromTemplate = a.post("/api/v1/jobs", "{\"template\":\"a-tpl\"}");
    assertEquals(201, fromTemplate.statusCode(), fromTemplate.body());
    assertEquals("a", J.obj(fromTemplate.body()).get("tenant"));
  }

  @Test
  void batchesAreIsolated() {
    HttpResponse<String> created =
        a.post(
            "/api/v1/batches",
            "{\"name\":\"a-batch\",\"jobs\":[{\"name\":\"http.echo\",\"params\":{\"text\":\"1\"},"
                + "\"options\":{\"delay\":\"PT1H\"}}]}");
    assertEquals(201, created.statusCode(), created.body());
    String id = (String) J.obj(created.body()).get("id");
    assertEquals("a", J.obj(created.body()).get("tenant"));

    assertEquals(404, b.get("/api/v1/batches/" + id).statusCode());
    assertFalse(ids(b.get("/api/v1/batches"), "batches").contains(id));
    assertTrue(ids(a.get("/api/v1/batches"), "batches").contains(id));
    assertTrue(ids(admin.get("/api/v1/batches"), "batches").contains(id));
  }

  @Test
  void theStreamOfATenantsKeyCarriesNoEventOfAnotherTenant() {
    try (Client streamB = new Client(b, "", null);
        Client streamA = new Client(a, "", null)) {
      assertEquals(200, streamB.status);
      assertEquals(200, streamA.status);
      String ja = submit(a, "");
      String jb = submit(b, "");
      assertEquals(200, a.post("/api/v1/jobs/" + ja + "/cancel", "").statusCode());
      assertEquals(200, b.post("/api/v1/jobs/" + jb + "/cancel", "").statusCode());
      // b's cancellation comes after a's in the feed: once b's client has it, it would have had
      // a's too, had the stream leaked it.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> has(streamB, jb, "CANCELLED") && has(streamA, ja, "CANCELLED"));
      assertFalse(
          streamB.messages.stream().anyMatch(m -> m.data().contains(ja)),
          "b's stream carried a job of tenant a: " + streamB.messages);
      assertFalse(
          streamA.messages.stream().anyMatch(m -> m.data().contains(jb)),
          "a's stream carried a job of tenant b: " + streamA.messages);
    }
    assertEquals(403, b.get("/api/v1/stream?tenant=a").statusCode());
  }

  private static boolean has(Client c, String jobId, String to) {
    for (Message m : c.messages) {
      Object d = J.parse(m.data());
      if (m.event().equals("job") && jobId.equals(J.get(d, "jobId")) && to.equals(J.get(d, "to"))) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids2(HttpResponse<String> list) {
    assertEquals(200, list.statusCode(), list.body());
    Map<String, Object> doc = J.obj(list.body());
    List<Object> items = (List<Object>) doc.values().iterator().next();
    return items.stream().map(o -> (String) ((Map<String, Object>) o).get("name")).toList();
  }

  @Test
  void aSessionCarriesTheKeysTenant() {
    String ja = submit(a, "");
    String jb = submit(b, "");
    Api anon = new Api(server.uri());
    HttpResponse<String> login = anon.post("/api/v1/session", "{\"key\":\"" + a.bearer + "\"}");
    assertEquals(200, login.statusCode(), login.body());
    assertEquals("a", J.obj(login.body()).get("tenant"));
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> list =
        anon.send(anon.request("/api/v1/jobs").header("Cookie", cookie).GET().build());
    List<String> seen = ids(list, "jobs");
    assertTrue(seen.contains(ja) && !seen.contains(jb), seen.toString());
    HttpResponse<String> who =
        anon.send(anon.request("/api/v1/session").header("Cookie", cookie).GET().build());
    assertEquals("a", J.obj(who.body()).get("tenant"));
  }

  @Test
  void anAuthenticatorsPrincipalActsForItsTenant() {
    String ja = submit(a, "");
    String jb = submit(b, "");
    try (JobkitServer own =
        JobkitServer.builder(jobs)
            .port(0)
            .authenticator(
                ex ->
                    java.util.Optional.ofNullable(ex.getRequestHeaders().getFirst("X-Tenant"))
                        .map(t -> Principal.ofTenant("user:" + t, ApiKeys.Role.OPERATOR, t)))
            .start()) {
      Api api = new Api(own.uri());
      HttpResponse<String> list =
          api.send(api.request("/api/v1/jobs").header("X-Tenant", "b").GET().build());
      List<String> seen = ids(list, "jobs");
      assertTrue(seen.contains(jb) && !seen.contains(ja), seen.toString());
      HttpResponse<String> other =
          api.send(api.request("/api/v1/jobs/" + ja).header("X-Tenant", "b").GET().build());
      assertEquals(404, other.statusCode(), other.body());
      HttpResponse<String> who =
          api.send(api.request("/api/v1/session").header("X-Tenant", "b").GET().build());
      assertEquals("b", J.obj(who.body()).get("tenant"), who.body());
    }
  }

  @Test
  void keysOfATenantAreScopedToIt() {
    Api aAdmin = as(jobs.apiKeys().create("a-admin", ApiKeys.Role.ADMIN, "a", "test").secret());
    HttpResponse<String> created =
        aAdmin.post("/api/v1/keys", "{\"name\":\"a-ci\",\"role\":\"operator\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("a", J.obj(created.body()).get("tenant"), "created in the key's own tenant");
    assertEquals(
        403,
        aAdmin
            .post("/api/v1/keys", "{\"name\":\"x\",\"role\":\"admin\",\"tenant\":\"b\"}")
            .statusCode());
    HttpResponse<String> keys = aAdmin.get("/api/v1/keys");
    assertFalse(keys.body().contains("\"b-op\""), keys.body());
    assertTrue(keys.body().contains("\"a-op\""), keys.body());
    assertEquals(404, aAdmin.delete("/api/v1/keys/b-op").statusCode());
    HttpResponse<String> byRoot =
        admin.post("/api/v1/keys", "{\"name\":\"c-op\",\"role\":\"operator\",\"tenant\":\"c\"}");
    assertEquals(201, byRoot.statusCode(), byRoot.body());
    assertEquals("c", J.obj(byRoot.body()).get("tenant"));
    // Tenants and cleanup need a key without a tenant.
    assertEquals(403, aAdmin.get("/api/v1/tenants").statusCode());
    assertEquals(403, aAdmin.post("/api/v1/cleanup", "{\"olderThan\":\"P1D\"}").statusCode());
  }
}
