package dev.jobkit.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.StreamTest.Client;
import dev.jobkit.http.StreamTest.Message;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.testing.EmbeddedPostgresSupport;
import dev.jobkit.runtime.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database: the server runs on node A, which has no workers; a job
 * dispatched and run on node B reaches A's stream with its dispatch, start, progress, log lines and
 * completion, and A lists B among the nodes.
 */
class PostgresStreamTest {

  @AfterAll
  static void dropDatabases() {
    EmbeddedPostgresSupport.dropDatabases();
  }

  private static boolean has(Client c, String event, String jobId, String field, Object value) {
    return c.messages.stream().anyMatch(m -> matches(m, event, jobId, field, value));
  }

  private static boolean matches(Message m, String event, String jobId, String field, Object v) {
    if (!m.event().equals(event)) {
      return false;
    }
    Object data = J.parse(m.data());
    return jobId.equals(J.get(data, "jobId")) && (field == null || v.equals(J.get(data, field)));
  }

  @Test
  void aJobDispatchedAndRunOnAnotherNodeReachesTheStreamOfThisOne() {
    TestDatabase db = TestDatabase.postgres();
    try (JobManager a = db.builder().noWorkers().open();
        JobManager b =
            db.builder()
                .workers("default", 2)
                .pollInterval(Duration.ofMillis(50))
                .progressInterval(Duration.ofMillis(20))
                .open();
        JobkitServer server = JobkitServer.builder(a).port(0).start()) {
      Api api = new Api(server.uri());
      try (Client c = new Client(api, "", null)) {
        assertEquals(200, c.status);
        String id =
            b.dispatchByName(
                    "http.steps",
                    "{\"total\": 10, \"delayMs\": 100}",
                    DispatchOptions.builder().createdBy("node-b").build())
                .id();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> has(c, "job", id, "to", "COMPLETED") && has(c, "job", id, "kind", "CREATED"));
        assertTrue(has(c, "job", id, "to", "RUNNING"), "started");
        assertTrue(has(c, "progress", id, null, null), "progress");
        Message created =
            c.messages.stream()
                .filter(m -> matches(m, "job", id, "kind", "CREATED"))
                .findFirst()
                .orElseThrow();
        assertEquals("QUEUED", J.get(J.parse(created.data()), "to"));
        assertEquals("node-b", J.get(J.parse(created.data()), "actor"));
        Set<String> lines = c.logMessages(id);
        for (int i = 1; i <= 10; i++) {
          assertTrue(lines.contains("item " + i), "missing item " + i + " in " + lines);
        }
      }

      HttpResponse<String> nodes = api.get("api/v1/nodes");
      assertEquals(200, nodes.statusCode(), nodes.body());
      Set<Object> ids = new HashSet<>();
      for (Object n : (List<?>) J.get(J.parse(nodes.body()), "nodes")) {
        ids.add(J.get(n, "id"));
      }
      // nodes() lists worker nodes (docs/runtime.md): B; A, without workers, is not one.
      assertEquals(Set.of(b.health().ownerId()), ids, nodes.body());
      assertEquals(List.of("default"), J.get(J.parse(nodes.body()), "nodes.0.queues"));
      assertEquals(Boolean.TRUE, J.get(J.parse(nodes.body()), "nodes.0.alive"));
    }
  }
}
