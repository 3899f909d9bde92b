package dev.jobkit.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSE stream: live events, progress with rate, and a reconnect that misses nothing. */
class StreamTest {
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
            .pollInterval(Duration.ofMillis(50))
            .progressInterval(Duration.ofMillis(50))
            .open();
    server = JobkitServer.builder(jobs).port(0).start();
    api = new Api(server.uri());
  }

  @AfterAll
  static void stop() {
    server.close();
    jobs.close();
  }

  record Message(String event, String id, String data) {}

  /** A connected client that collects messages on a thread of its own until closed. */
  static final class Client implements AutoCloseable {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final InputStream in;
    final int status;

    Client(String query, String lastEventId) {
      this(api, query, lastEventId);
    }

    /** A client of the server {@code api} talks to. */
    Client(Api api, String query, String lastEventId) {
      HttpRequest.Builder b = api.request("api/v1/stream" + query).timeout(Duration.ofMinutes(5));
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<InputStream> r;
      try {
        r = api.client.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
      status = r.statusCode();
      assertEquals(
          "text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
      in = r.body();
      Thread t = new Thread(this::read, "sse-test-client");
      t.setDaemon(true);
      t.start();
    }

    private void read() {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String event = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
          if (line.isEmpty()) {
            if (event != null) {
              messages.add(new Message(event, id, data.toString()));
            }
            event = null;
            id = null;
            data.setLength(0);
          } else if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("data: ")) {
            data.append(line.substring(6));
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    String lastId() {
      String id = null;
      for (Message m : messages) {
        if (m.id() != null) {
          id = m.id();
        }
      }
      return id;
    }

    Set<String> logMessages(String jobId) {
      Set<String> out = new TreeSet<>();
      for (Message m : messages) {
        if (m.event().equals("log") && jobId.equals(J.get(J.parse(m.data()), "jobId"))) {
          out.add((String) J.get(J.parse(m.data()), "message"));
        }
      }
      return out;
    }

    boolean sawState(String jobId, String state) {
      return messages.stream()
          .anyMatch(
              m ->
                  m.event().equals("job")
                      && jobId.equals(J.get(J.parse(m.data()), "jobId"))
                      && state.equals(J.get(J.parse(m.data()), "to")));
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // gone
      }
    }
  }

  static String submit(int total, long delayMs) {
    HttpResponse<String> r =
        api.post(
            "api/v1/jobs",
            "{\"name\":\"http.steps\",\"params\":{\"total\":"
                + total
                + ",\"delayMs\":"
                + delayMs
                + "}}");
    assertEquals(201, r.statusCode(), r.body());
    return (String) J.get(J.parse(r.body()), "id");
  }

  @Test
  void aClientThatDropsMidJobMissesNothingAfterReconnectingWithLastEventId() {
    String id;
    String last;
    Client first = new Client("?job=", null);
    {
      assertEquals(200, first.status);
      id = submit(40, 25);
      await().atMost(Duration.ofSeconds(20)).until(() -> first.logMessages(id).size() >= 5);
      last = first.lastId();
      assertNotNull(last);
      Set<String> before = first.logMessages(id);
      first.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "COMPLETED".equals(J.get(J.parse(api.get("api/v1/jobs/" + id).body()), "state")));
      try (Client second = new Client("?job=" + id, last)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> second.sawState(id, "COMPLETED"));
        Set<String> all = new TreeSet<>(before);
        all.addAll(second.logMessages(id));
        for (int i = 1; i <= 40; i++) {
          assertTrue(all.contains("item " + i), "missing item " + i + " in " + all);
        }
      }
    }
  }

  @Test
  void aClientThatDropsBeforeAnyEventResumesFromItsReadyCursor() {
    String ready;
    try (Client first = new Client("", null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !first.messages.isEmpty());
      Message m = first.messages.get(0);
      assertEquals("ready", m.event(), first.messages.toString());
      assertNotNull(m.id(), "the first message says where the client stands");
      assertEquals(m.id(), J.get(J.parse(m.data()), "cursor"));
      assertEquals(false, J.get(J.parse(m.data()), "resumed"));
      ready = m.id();
    }
    // Everything this job logs happens after the first client dropped: only its cursor finds it.
    String id = submit(12, 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> "COMPLETED".equals(J.get(J.parse(api.get("api/v1/jobs/" + id).body()), "state")));
    try (Client second = new Client("?job=" + id, ready)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> second.logMessages(id).size() == 12);
      Message m = second.messages.get(0);
      assertEquals("ready", m.event());
      assertEquals(ready, m.id(), "a resumed stream starts where the client said it stands");
      assertEquals(true, J.get(J.parse(m.data()), "resumed"));
    }
  }

  @Test
  void progressArrivesLiveWithRateAndEta() {
    try (Client c = new Client("", null)) {
      String id = submit(30, 40);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  c.messages.stream()
                      .anyMatch(
                          m ->
                              m.event().equals("progress")
                                  && id.equals(J.get(J.parse(m.data()), "jobId"))
                                  && J.get(J.parse(m.data()), "rate") != null));
      Message p =
          c.messages.stream()
              .filter(m -> m.event().equals("progress") && J.get(J.parse(m.data()), "rate") != null)
              .findFirst()
              .orElseThrow();
      assertEquals("COUNT", J.get(J.parse(p.data()), "progress.kind"));
      assertNotNull(J.get(J.parse(p.data()), "etaSeconds"), p.data());
      await().atMost(Duration.ofSeconds(20)).until(() -> c.sawState(id, "RUNNING"));
    }
  }

  /** The CREATED messages of one job. */
  static List<Message> dispatches(Client c, String jobId) {
    return c.messages.stream()
        .filter(
            m ->
                m.event().equals("job")
                    && jobId.equals(J.get(J.parse(m.data()), "jobId"))
                    && "CREATED".equals(J.get(J.parse(m.data()), "kind")))
        .toList();
  }

  @Test
  void aJobDispatchedByAnotherManagerOnTheFileAppearsOnTheStream() {
    try (Client c = new Client("", null);
        JobManager other =
            JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open()) {
      String id =
          other
              .dispatchByName(
                  "http.steps",
                  "{\"total\":1}",
                  DispatchOptions.builder().delay(Duration.ofHours(1)).createdBy("cli").build())
              .id();
      await().atMost(Duration.ofSeconds(20)).until(() -> !dispatches(c, id).isEmpty());
      Object data = J.parse(dispatches(c, id).get(0).data());
      assertEquals("SCHEDULED", J.get(data, "to"));
      assertEquals("cli", J.get(data, "actor"));
      assertEquals("http.steps", J.get(data, "name"));
      assertNull(J.get(data, "id"), "a dispatch has no event row");
      assertNotNull(dispatches(c, id).get(0).id());
      // Resuming from before it delivers it again (a repeat, never a gap).
      String before = "0.0." + id.substring(0, 10);
      try (Client again = new Client("?job=" + id, before)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !dispatches(again, id).isEmpty());
      }
    }
  }

  @Test
  void aLocalDispatchIsSentAtOnceAndOnlyOnce() {
    try (Client c = new Client("", null);
        JobManager other =
            JobManager.builder().database(dir.resolve("jobs.db")).noWorkers().open()) {
      String id = submit(1, 0);
      await().atMost(Duration.ofSeconds(2)).until(() -> !dispatches(c, id).isEmpty());
      assertEquals("QUEUED", J.get(J.parse(dispatches(c, id).get(0).data()), "to"));
      // The feed reports it too, DISPATCH_SETTLE later, in id order: once a later job of another
      // manager arrived, the feed has passed it, and the server did not send it again.
      String later = other.dispatchByName("http.steps", "{}").id();
      await().atMost(Duration.ofSeconds(20)).until(() -> !dispatches(c, later).isEmpty());
      assertEquals(1, dispatches(c, id).size(), c.messages.toString());
    }
  }

  @Test
  void aBadCursorIs400() {
    HttpResponse<String> r =
        api.send(api.request("api/v1/stream").header("Last-Event-ID", "nonsense").GET().build());
    assertEquals(400, r.statusCode());
  }
}
