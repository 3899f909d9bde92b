package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * The tenant routes (#14): settings over {@code /api/v1/tenants} (an admin key without a tenant
 * only), a quota's refusal as 429 with {@code Retry-After}, and the audit trail over {@code
 * /api/v1/audit} (a tenant's key sees its own entries only).
 */
class TenantRoutesTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Api admin;
  static Api a;
  static Api b;
  static Api viewer;

  @BeforeAll
  static void start() {
    jobs = JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open();
    server = JobkitServer.builder(jobs).port(0).start();
    admin = as(jobs.apiKeys().create("root", ApiKeys.Role.ADMIN, null, "test").secret());
    a = as(jobs.apiKeys().create("a-admin", ApiKeys.Role.ADMIN, "ta", "test").secret());
    b = as(jobs.apiKeys().create("b-op", ApiKeys.Role.OPERATOR, "tb", "test").secret());
    viewer = as(jobs.apiKeys().create("view", ApiKeys.Role.VIEWER, null, "test").secret());
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

  static final String SUBMIT =
      "{\"name\":\"http.echo\",\"params\":{\"text\":\"x\"},\"options\":{\"delay\":\"PT1H\"}}";

  @Test
  void administratorsStoreReadAndDeleteTenantSettings() {
    HttpResponse<String> put =
        admin.put(
            "/api/v1/tenants/tq",
            "{\"weight\":3,\"maxQueued\":100,\"maxRunning\":4,\"submissions\":60,"
                + "\"submissionPeriod\":\"PT1M\",\"burst\":10,\"description\":\"search\"}");
    assertEquals(201, put.statusCode(), put.body());
    Map<String, Object> t = J.obj(put.body());
    assertEquals(3L, t.get("weight"));
    assertEquals(100L, t.get("maxQueued"));
    assertEquals(4L, t.get("maxRunning"));
    assertEquals(60L, t.get("submissions"));
    assertEquals("PT1M", t.get("submissionPeriod"));
    assertEquals(10L, t.get("burst"));
    assertEquals("search", t.get("description"));
    assertEquals(0L, t.get("queued"));
    assertEquals(Boolean.TRUE, t.get("configured"));
    assertEquals(3, jobs.tenants().get("tq").orElseThrow().spec().weight());

    assertEquals(200, admin.put("/api/v1/tenants/tq", "{\"weight\":2}").statusCode());
    assertEquals(2L, J.obj(admin.get("/api/v1/tenants/tq").body()).get("weight"));
    HttpResponse<String> list = admin.get("/api/v1/tenants");
    assertEquals(200, list.statusCode(), list.body());
    assertTrue(list.body().contains("\"tq\""), list.body());

    assertEquals(204, admin.delete("/api/v1/tenants/tq").statusCode());
    assertEquals(404, admin.delete("/api/v1/tenants/tq").statusCode());

    HttpResponse<String> bad = admin.put("/api/v1/tenants/tq", "{\"weight\":0}");
    assertEquals(400, bad.statusCode(), bad.body());
    assertTrue(J.obj(bad.body()).get("detail").toString().contains("weight"), bad.body());
    HttpResponse<String> unknownField = admin.put("/api/v1/tenants/tq", "{\"wieght\":2}");
    assertEquals(400, unknownField.statusCode());
    assertTrue(unknownField.body().contains("unknown field 'wieght'"), unknownField.body());
    assertEquals(400, admin.put("/api/v1/tenants/Bad%20Name", "{}").statusCode());
    assertEquals(400, admin.put("/api/v1/tenants/tq", "{\"submissions\":5}").statusCode());
  }

  @Test
  void onlyAdminKeysWithoutATenantReachTheTenantRoutes() {
    HttpResponse<String> tenantAdmin = a.get("/api/v1/tenants");
    assertEquals(403, tenantAdmin.statusCode(), tenantAdmin.body());
    assertTrue(
        J.obj(tenantAdmin.body()).get("detail").toString().contains("acts for tenant 'ta' only"),
        tenantAdmin.body());
    assertEquals(403, a.put("/api/v1/tenants/ta", "{\"weight\":5}").statusCode());
    assertEquals(403, viewer.get("/api/v1/tenants").statusCode(), "a viewer is not an admin");
    assertEquals(403, b.delete("/api/v1/tenants/tb").statusCode());
  }

  @Test
  void aDispatchOverAQuotaIs429WithRetryAfter() {
    assertEquals(201, admin.put("/api/v1/tenants/tr", "{\"maxQueued\":1}").statusCode());
    String body =
        "{\"name\":\"http.echo\",\"params\":{\"text\":\"x\"},"
            + "\"options\":{\"delay\":\"PT1H\",\"tenant\":\"tr\"}}";
    assertEquals(201, admin.post("/api/v1/jobs", body).statusCode());
    HttpResponse<String> refused = admin.post("/api/v1/jobs", body);
    assertEquals(429, refused.statusCode(), refused.body());
    assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
    Map<String, Object> p = J.obj(refused.body());
    assertEquals("https://jobkit.dev/problems/quota-exceeded", p.get("type"));
    assertEquals("MAX_QUEUED", p.get("quota"));
    assertEquals("tr", p.get("tenant"));
    assertTrue(p.get("detail").toString().contains("tr"), refused.body());

    assertEquals(
        201,
        admin
            .put("/api/v1/tenants/ts", "{\"submissions\":1,\"submissionPeriod\":\"PT1H\"}")
            .statusCode());
    String rate = body.replace("\"tr\"", "\"ts\"");
    assertEquals(201, admin.post("/api/v1/jobs", rate).statusCode());
    HttpResponse<String> slow = admin.post("/api/v1/jobs", rate);
    assertEquals(429, slow.statusCode(), slow.body());
    long seconds = Long.parseLong(slow.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(seconds > 3000 && seconds <= 3600, "about an hour: " + seconds);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAuditTrailNamesTheKeyAndATenantsKeySeesItsOwnEntriesOnly() {
    HttpResponse<String> submitted = b.post("/api/v1/jobs", SUBMIT);
    assertEquals(201, submitted.statusCode(), submitted.body());
    String id = (String) J.obj(submitted.body()).get("id");
    assertEquals(200, b.post("/api/v1/jobs/" + id + "/cancel", "").statusCode());
    assertEquals(201, admin.post("/api/v1/jobs", SUBMIT).statusCode());

    HttpResponse<String> mine = b.get("/api/v1/audit");
    assertEquals(200, mine.statusCode(), mine.body());
    List<Object> entries = (List<Object>) J.obj(mine.body()).get("entries");
    assertFalse(entries.isEmpty(), mine.body());
    for (Object e : entries) {
      assertEquals("tb", ((Map<String, Object>) e).get("tenant"), mine.body());
    }
    Map<String, Object> newest = (Map<String, Object>) entries.get(0);
    assertEquals("job.cancel", newest.get("action"));
    assertEquals("key:b-op", newest.get("actor"));
    assertEquals(id, newest.get("target"));
    assertEquals(403, b.get("/api/v1/audit?tenant=ta").statusCode());

    HttpResponse<String> all = admin.get("/api/v1/audit?actor=key:root&action=job.submit");
    List<Object> rootEntries = (List<Object>) J.obj(all.body()).get("entries");
    assertFalse(rootEntries.isEmpty(), all.body());
    for (Object e : rootEntries) {
      assertEquals("key:root", ((Map<String, Object>) e).get("actor"));
    }

    // Keyset pages: one entry a page, the second page older than the first.
    HttpResponse<String> page1 = admin.get("/api/v1/audit?limit=1");
    String next = (String) J.obj(page1.body()).get("next");
    assertTrue(next != null, page1.body());
    HttpResponse<String> page2 = admin.get("/api/v1/audit?limit=1&after=" + next);
    assertEquals(200, page2.statusCode(), page2.body());
    String first = (String) J.get(J.parse(page1.body()), "entries.0.id");
    String second = (String) J.get(J.parse(page2.body()), "entries.0.id");
    assertTrue(second.compareTo(first) < 0, first + " then " + second);

    assertEquals(200, admin.get("/api/v1/audit?since=PT1H").statusCode());
    HttpResponse<String> badSince = admin.get("/api/v1/audit?since=yesterday");
    assertEquals(400, badSince.statusCode());
    assertEquals("since", J.obj(badSince.body()).get("field"));
    HttpResponse<String> future = admin.get("/api/v1/audit?since=2999-01-01T00:00:00Z");
    assertEquals(List.of(), J.obj(future.body()).get("entries"));
    assertNull(J.obj(future.body()).get("next"));
  }
}
