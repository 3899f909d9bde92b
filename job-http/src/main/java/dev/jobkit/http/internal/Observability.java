package dev.jobkit.http.internal;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * #13 metrics and tracing over HTTP, without a dependency on Micrometer or OpenTelemetry: the W3C
 * trace context headers of a submit, passed to the dispatch; and {@code GET /api/v1/metrics}, the
 * text an application's Prometheus registry scrapes.
 */
public final class Observability {
  /** A W3C {@code traceparent}: version, trace id, parent id, flags (lower-case hex). */
  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  /**
   * The longest {@code tracestate} kept: the 512 characters W3C Trace Context asks every vendor to
   * propagate; a longer one is left out (the job's stored context stays well under its limit).
   */
  private static final int MAX_TRACESTATE = 512;

  /** The Prometheus text format's content type. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private Observability() {}

  /**
   * The request's {@code traceparent} and {@code tracestate}, for {@code
   * DispatchOptions.traceContext}; empty when there is no valid {@code traceparent} (W3C: an
   * invalid one is ignored, and {@code tracestate} with it).
   */
  static Map<String, String> traceHeaders(Headers headers) {
    String parent = headers.getFirst("traceparent");
    if (parent == null) {
      return Map.of();
    }
    parent = parent.strip();
    if (!TRACEPARENT.matcher(parent).matches() || parent.startsWith("ff")) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("traceparent", parent);
    String state = headers.getFirst("tracestate");
    if (state != null && !state.isBlank() && state.length() <= MAX_TRACESTATE) {
      out.put("tracestate", state.strip());
    }
    return out;
  }

  /** Adds {@code GET /api/v1/metrics}, answered with {@code scrape}'s text. */
  public static void registerMetrics(Router r, Supplier<String> scrape) {
    r.add(
        "GET",
        ApiRoutes.API + "/metrics",
        Access.READ,
        "Metrics in the Prometheus text format",
        c -> metrics(c, scrape));
  }

  private static void metrics(Call c, Supplier<String> scrape) throws IOException {
    String text = scrape.get();
    c.send(200, PROMETHEUS_TEXT, text.getBytes(StandardCharsets.UTF_8));
  }
}
