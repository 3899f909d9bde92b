package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.ApiKeys;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/cleanup}: admins only, a dry run that counts, and a run that deletes. */
class CleanupRouteTest {
  @TempDir static Path dir;
  static JobManager jobs;
  static JobkitServer server;
  static Api operator;
  static Api admin;

  @BeforeAll
  static void start() {
    jobs = JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open();
    server = JobkitServer.builder(jobs).port(0).start();
    operator = new Api(server.uri());
    operator.bearer = jobs.apiKeys().create("op", ApiKeys.Role.OPERATOR, "test").secret();
    admin = new Api(server.uri());
    admin.bearer = jobs.apiKeys().create("root", ApiKeys.Role.ADMIN, "test").secret();
  }

  @AfterAll
  static void stop() {
    server.close();
    jobs.close();
  }

  @Test
  void onlyAnAdminMayCleanUpAndADryRunDeletesNothing() {
    DispatchOptions later = DispatchOptions.builder().delay(Duration.ofHours(1)).build();
    String finished = jobs.dispatchByName("http.steps", "{}", later).id();
    String waiting = jobs.dispatchByName("http.steps", "{}", later).id();
    assertTrue(jobs.cancel(finished));

    HttpResponse<String> refused = operator.post("/api/v1/cleanup", "{\"olderThan\":\"PT0S\"}");
    assertEquals(403, refused.statusCode(), refused.body());

    HttpResponse<String> dry =
        admin.post("/api/v1/cleanup", "{\"olderThan\":\"PT0S\",\"dryRun\":true}");
    assertEquals(200, dry.statusCode(), dry.body());
    assertEquals(1, ((Number) J.obj(dry.body()).get("wouldDelete")).intValue(), dry.body());
    assertTrue(jobs.job(finished).isPresent(), "a dry run deletes nothing");

    HttpResponse<String> real = admin.post("/api/v1/cleanup", "{\"olderThan\":\"PT0S\"}");
    assertEquals(200, real.statusCode(), real.body());
    assertEquals(1, ((Number) J.obj(real.body()).get("deleted")).intValue(), real.body());
    assertTrue(jobs.job(finished).isEmpty(), "the cancelled job is gone");
    assertTrue(jobs.job(waiting).isPresent(), "a job that has not finished stays");
    // #14: the cleanup is in the audit trail with the key as the actor; the dry run is not
    var entries =
        jobs.audit()
            .list(dev.jobkit.runtime.AuditQuery.builder().action("job.cleanup").build())
            .entries();
    assertEquals(1, entries.size(), entries.toString());
    assertEquals("key:root", entries.get(0).actor());
    assertEquals(java.util.Optional.of("1 jobs"), entries.get(0).target());
  }

  @Test
  void aBadDurationIsAProblemAtItsPath() {
    HttpResponse<String> r = admin.post("/api/v1/cleanup", "{\"olderThan\": \"a week\"}");
    assertEquals(400, r.statusCode(), r.body());
    Map<String, Object> p = J.obj(r.body());
    assertEquals("$.olderThan", p.get("path"), r.body());
    assertTrue(((String) p.get("detail")).contains("ISO-8601 duration"), r.body());

    HttpResponse<String> missing = admin.post("/api/v1/cleanup", "{}");
    assertEquals(400, missing.statusCode(), missing.body());
    assertTrue(J.obj(missing.body()).get("detail").toString().contains("missing 'olderThan'"));
  }
}
