package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.CapturedLog;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys, roles, sessions, CSRF, read-only mode and the rate limit. */
class AuthTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static String viewer;
  static String operator;
  static String admin;

  @BeforeAll
  static void start() {
    jobs = JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open();
    viewer = jobs.apiKeys().create("viewer", ApiKeys.Role.VIEWER, "test").secret();
    operator = jobs.apiKeys().create("op", ApiKeys.Role.OPERATOR, "test").secret();
    admin = jobs.apiKeys().create("admin", ApiKeys.Role.ADMIN, "test").secret();
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

  static final String SUBMIT = "{\"name\":\"http.steps\",\"options\":{\"delay\":\"PT1H\"}}";

  @Test
  void onceAKeyExistsEveryRouteButHealthNeedsOne() {
    Api anon = as(null);
    HttpResponse<String> r = anon.get("/api/v1/jobs");
    assertEquals(401, r.statusCode());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    assertEquals("https://jobkit.dev/problems/unauthorized", J.obj(r.body()).get("type"));
    assertEquals(200, anon.get("/api/v1/health").statusCode());
    assertEquals(200, anon.get("/jobs").statusCode(), "the login page itself is public");
  }

  @Test
  void rolesDecideWhatAKeyMayDo() {
    assertEquals(200, as(viewer).get("/api/v1/jobs").statusCode());
    HttpResponse<String> r = as(viewer).post("/api/v1/jobs", SUBMIT);
    assertEquals(403, r.statusCode());
    assertTrue(
        J.obj(r.body()).get("detail").toString().contains("needs the role operator"), r.body());

    HttpResponse<String> created = as(operator).post("/api/v1/jobs", SUBMIT);
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("key:op", J.get(J.parse(created.body()), "createdBy"));
    String id = (String) J.get(J.parse(created.body()), "id");
    assertEquals(200, as(operator).post("/api/v1/jobs/" + id + "/cancel", "").statusCode());
    Object events = J.parse(as(viewer).get("/api/v1/jobs/" + id + "/events").body());
    List<?> list = (List<?>) J.get(events, "events");
    assertEquals("key:op", J.get(list.get(list.size() - 1), "actor"), events.toString());

    assertEquals(403, as(operator).get("/api/v1/keys").statusCode());
    HttpResponse<String> keys = as(admin).get("/api/v1/keys");
    assertEquals(200, keys.statusCode());
    assertFalse(keys.body().contains(viewer.substring(20)), "no secret in the key list");
  }

  @Test
  void adminCreatesAndRevokesKeys() {
    HttpResponse<String> r =
        as(admin).post("/api/v1/keys", "{\"name\":\"ci\",\"role\":\"viewer\"}");
    assertEquals(201, r.statusCode(), r.body());
    String secret = (String) J.get(J.parse(r.body()), "secret");
    assertEquals(200, as(secret).get("/api/v1/types").statusCode());
    assertEquals(
        409, as(admin).post("/api/v1/keys", "{\"name\":\"ci\",\"role\":\"viewer\"}").statusCode());
    assertEquals(204, as(admin).delete("/api/v1/keys/ci").statusCode());
    assertEquals(401, as(secret).get("/api/v1/types").statusCode());
    assertEquals(404, as(admin).delete("/api/v1/keys/ci").statusCode());
  }

  @Test
  void sessionCookieWorksAndStateChangesNeedTheSameOrigin() {
    Api anon = as(null);
    HttpResponse<String> login = anon.post("/api/v1/session", "{\"key\":\"" + operator + "\"}");
    assertEquals(200, login.statusCode(), login.body());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(setCookie.contains("Path=/"), setCookie);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertFalse(cookie.contains(operator), "the cookie does not carry the key");

    HttpResponse<String> who =
        anon.send(anon.request("/api/v1/session").header("Cookie", cookie).GET().build());
    assertEquals("key:op", J.get(J.parse(who.body()), "name"));
    assertEquals("operator", J.get(J.parse(who.body()), "role"));

    HttpRequest.Builder post =
        anon.request("/api/v1/jobs")
            .header("Cookie", cookie)
            .POST(HttpRequest.BodyPublishers.ofString(SUBMIT));
    HttpResponse<String> noOrigin = anon.send(post.build());
    assertEquals(403, noOrigin.statusCode());
    assertTrue(
        J.obj(noOrigin.body()).get("detail").toString().startsWith("cross-site request refused"));
    HttpResponse<String> evil =
        anon.send(
            anon.request("/api/v1/jobs")
                .header("Cookie", cookie)
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(SUBMIT))
                .build());
    assertEquals(403, evil.statusCode());
    String host = server.uri().getAuthority();
    HttpResponse<String> same =
        anon.send(
            anon.request("/api/v1/jobs")
                .header("Cookie", cookie)
                .header("Origin", "http://" + host)
                .POST(HttpRequest.BodyPublishers.ofString(SUBMIT))
                .build());
    assertEquals(201, same.statusCode(), same.body());

    HttpResponse<String> forged =
        anon.send(
            anon.request("/api/v1/jobs")
                .header("Cookie", cookie.substring(0, cookie.length() - 3) + "abc")
                .GET()
                .build());
    assertEquals(401, forged.statusCode());
    HttpResponse<String> out =
        anon.send(anon.request("/api/v1/session").header("Cookie", cookie).DELETE().build());
    assertEquals(204, out.statusCode());
    assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
  }

  @Test
  void failedAttemptsAreRateLimitedAndNoSecretIsEchoedOrLogged() {
    String wrong = "jk_0123456789abcdef_" + "A".repeat(43);
    try (CapturedLog log = CapturedLog.start();
        JobkitServer own = JobkitServer.builder(jobs).port(0).start()) {
      Api bad = new Api(own.uri());
      bad.bearer = wrong;
      int last = 0;
      Optional<String> retry = Optional.empty();
      for (int i = 0; i < 12; i++) {
        HttpResponse<String> r = bad.get("/api/v1/jobs");
        assertFalse(r.body().contains(wrong), r.body());
        last = r.statusCode();
        retry = r.headers().firstValue("Retry-After");
      }
      assertEquals(429, last);
      assertTrue(retry.isPresent());
      // the same address with a good key is also held back until the window passes
      bad.bearer = viewer;
      assertEquals(429, bad.get("/api/v1/jobs").statusCode());
      assertTrue(log.linesWith("AAAAAAAAAA").isEmpty(), log.lines().toString());
    }
  }

  @Test
  void readOnlyServerRefusesStateChanges() {
    try (JobkitServer ro = JobkitServer.builder(jobs).port(0).readOnly(true).start()) {
      Api api = new Api(ro.uri());
      api.bearer = admin;
      HttpResponse<String> r = api.post("/api/v1/jobs", SUBMIT);
      assertEquals(403, r.statusCode());
      assertTrue(J.obj(r.body()).get("detail").toString().startsWith("the server is read-only"));
      assertEquals(200, api.get("/api/v1/jobs").statusCode());
      assertEquals(Boolean.TRUE, J.get(J.parse(api.get("/api/v1/session").body()), "readOnly"));
    }
  }

  @Test
  void anotherAddressThanLoopbackNeedsAKey(@TempDir Path other) {
    try (JobManager empty =
        JobManager.builder().database(other.resolve("e.db")).noWorkers().open()) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> JobkitServer.builder(empty).bind("0.0.0.0").port(0).start());
      assertTrue(e.getMessage().contains("jobkit keys create"), e.getMessage());
    }
  }

  @Test
  void anApplicationsAuthenticatorDecidesFirst() {
    try (JobkitServer app =
        JobkitServer.builder(jobs)
            .port(0)
            .basePath("/jobkit")
            .authenticator(
                ex ->
                    "alice".equals(ex.getRequestHeaders().getFirst("X-User"))
                        ? Optional.of(new Principal("user:alice", ApiKeys.Role.VIEWER))
                        : Optional.empty())
            .start()) {
      Api api = new Api(app.uri());
      assertTrue(app.uri().toString().endsWith("/jobkit/"), app.uri().toString());
      assertEquals(401, api.get("api/v1/jobs").statusCode());
      HttpResponse<String> r =
          api.send(api.request("api/v1/session").header("X-User", "alice").GET().build());
      assertEquals("user:alice", J.get(J.parse(r.body()), "name"), r.body());
    }
  }
}
