package dev.jobkit.http.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.cli.Jobkit;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobkit serve}'s options. */
class ServePluginTest {
  @Test
  void optionsAndDefaults() {
    ServePlugin.Options o =
        ServePlugin.parse(
            List.of(
                "--port", "0", "--bind=0.0.0.0", "--no-workers", "--read-only", "--db", "x.db"));
    assertEquals(0, o.port());
    assertEquals("0.0.0.0", o.bind());
    assertTrue(o.noWorkers() && o.readOnly());
    assertEquals("x.db", o.db());
    assertEquals(null, ServePlugin.parse(List.of()).db(), "the global --db or $JOBKIT_DB");
  }

  @Test
  void retentionOptionsReadLikeTheWorkers() {
    ServePlugin.Options o =
        ServePlugin.parse(List.of("--keep-completed", "36h", "--keep-failed=forever"));
    assertEquals(java.time.Duration.ofHours(36), o.keepCompleted());
    assertEquals(dev.jobkit.runtime.RetentionPolicy.FOREVER, o.keepFailed());
    assertEquals(null, ServePlugin.parse(List.of()).keepCompleted(), "the defaults apply");

    IllegalArgumentException bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> ServePlugin.parse(List.of("--keep-completed", "0")));
    assertTrue(
        bad.getMessage().startsWith("--keep-completed: '0' keeps nothing"), bad.getMessage());
    IllegalArgumentException idle =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> ServePlugin.parse(List.of("--no-workers", "--keep-failed", "7d")));
    assertTrue(idle.getMessage().contains("need workers"), idle.getMessage());
  }

  @Test
  void badOptionsAreUsageErrorsAndAnExposedAddressWithoutKeyIsRefused(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    StringWriter err = new StringWriter();
    ServePlugin p = new ServePlugin(Map.of());
    int code =
        p.run(
            List.of("--port", "x"),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            false);
    assertEquals(2, code);
    assertTrue(err.toString().contains("--port must be a number"), err.toString());
    StringWriter err2 = new StringWriter();
    int code2 =
        p.run(
            List.of(
                "--bind",
                "0.0.0.0",
                "--port",
                "0",
                "--no-workers",
                "--db",
                dir.resolve("j.db").toString()),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err2),
            false);
    assertEquals(2, code2);
    assertTrue(err2.toString().contains("jobkit keys create"), err2.toString());
  }

  /** {@code jobkit --db FILE serve}: the global option reaches the plugin. */
  @Test
  void theGlobalDbOptionReachesServe(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("global.db");
    String id;
    try (JobManager m = JobManager.builder().database(file).noWorkers().open()) {
      id =
          m.dispatchByName("http.steps", "{}", DispatchOptions.builder().queue("nowhere").build())
              .id();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread cli =
        new Thread(
            () ->
                code.set(
                    new Jobkit()
                        .run(
                            new String[] {
                              "--db", file.toString(), "serve", "--port", "0", "--no-workers"
                            },
                            new PrintWriter(out, true),
                            new PrintWriter(err, true))),
            "jobkit-serve-test");
    cli.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> out.toString().contains("http://") || !cli.isAlive());
      Matcher m = Pattern.compile("at (http://[^ ;,]+)").matcher(out.toString());
      assertTrue(m.find(), out + " / " + err);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(m.group(1)).resolve("api/v1/jobs/" + id))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    } finally {
      cli.interrupt();
      cli.join(30_000);
    }
    assertFalse(cli.isAlive());
    assertEquals(0, code.get(), err.toString());

    StringWriter err2 = new StringWriter();
    int bad =
        new Jobkit()
            .run(
                new String[] {"--db", "jdbc:mysql://h/db", "serve", "--port", "0"},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err2, true));
    assertEquals(2, bad, err2.toString());
    assertTrue(err2.toString().contains("only PostgreSQL JDBC URLs"), err2.toString());
  }
}
