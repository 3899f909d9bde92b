package dev.jobkit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code jobkit serve}'s options. */
class ServePluginTest {
  @Test
  void optionsAndDefaults() {
    ServePlugin.Options o =
        ServePlugin.parse(
            List.of("--port", "0", "--bind=0.0.0.0", "--no-workers", "--read-only", "--db", "x.db"),
            Map.of());
    assertEquals(0, o.port());
    assertEquals("0.0.0.0", o.bind());
    assertTrue(o.noWorkers() && o.readOnly());
    assertEquals("x.db", o.db());
    assertEquals("env.db", ServePlugin.parse(List.of(), Map.of("JOBKIT_DB", "env.db")).db());
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
}
